//! A value that must never reach a log: a connection URL with its password, a token. `Debug`
//! prints a placeholder; the value is read only where it is used, through [`Secret::expose`].

#[derive(Clone, PartialEq, Eq)]
pub struct Secret<T>(T);

impl<T> Secret<T> {
    pub fn new(value: T) -> Self {
        Secret(value)
    }

    /// The value itself, for the one place that uses it (connecting, hashing, answering once).
    pub fn expose(&self) -> &T {
        &self.0
    }
}

impl<T> std::fmt::Debug for Secret<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_never_prints_its_value() {
        let url = Secret::new("smtps://mailer:hunter2@mail.example.com".to_string());
        let shown = format!("{url:?} {:?}", Some(&url));
        assert!(!shown.contains("hunter2"), "{shown}");
        assert_eq!(url.expose(), "smtps://mailer:hunter2@mail.example.com");
    }
}
