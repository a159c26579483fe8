// The migrations are embedded by `sqlx::migrate!`: a new or edited migration rebuilds the server.
fn main() {
    println!("cargo:rerun-if-changed=../migrations");
}
