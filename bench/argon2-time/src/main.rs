//! Times `PasswordVerifier::verify_password` with the parameters of
//! app/src/platform/password.rs (argon2id, 19 MiB, 2 iterations, 1 lane): the work one sign-in
//! does for its password, alone.
//!
//! Usage: `argon2-time [verifies] [malloc]` prints `median_ms p95_ms min_ms` of that many
//! verifies (after 5 not counted); `argon2-time stdin [malloc]` verifies once per line read on
//! stdin and prints that verify's milliseconds (bench/signin-load.mjs interleaves these with its
//! sign-ins, so machine noise hits both alike).
//! `malloc` = `server` (the default): glibc tuned as server/src/main.rs tunes it
//! (M_MMAP_THRESHOLD 1 MiB, 2 arenas: the 19 MiB block is mapped and unmapped at every verify);
//! `default`: glibc's defaults (the block is reused).
use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::{Algorithm, Argon2, Params, Version};
use std::io::{BufRead, Write};
use std::time::Instant;

const PASSWORD: &str = "Bench-signin-password-1";

fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("params");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// One verify, in milliseconds; as the server does it: the parameters built, the hash parsed.
fn verify_ms(stored: &str) -> f64 {
    let t = Instant::now();
    let parsed = PasswordHash::new(stored).expect("parse");
    let ok = argon2()
        .verify_password(PASSWORD.as_bytes(), &parsed)
        .is_ok();
    let ms = t.elapsed().as_secs_f64() * 1000.0;
    assert!(ok, "verify failed");
    ms
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let stdin_mode = args.first().is_some_and(|a| a == "stdin");
    let n: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(100);
    let malloc = args.get(1).cloned().unwrap_or_else(|| "server".into());
    if malloc == "server" {
        // SAFETY: adjusts allocator parameters once, before any other thread exists.
        unsafe {
            libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
            libc::mallopt(libc::M_ARENA_MAX, 2);
        }
    }
    let salt = SaltString::generate(&mut OsRng);
    let stored = argon2()
        .hash_password(PASSWORD.as_bytes(), &salt)
        .expect("hash")
        .to_string();
    // on a spawned thread, as the server verifies on a blocking thread
    std::thread::spawn(move || {
        for _ in 0..5 {
            verify_ms(&stored);
        }
        if stdin_mode {
            let mut out = std::io::stdout().lock();
            for line in std::io::stdin().lock().lines() {
                if line.is_err() {
                    break;
                }
                writeln!(out, "{:.3}", verify_ms(&stored)).expect("stdout");
                out.flush().expect("stdout");
            }
            return;
        }
        let mut times: Vec<f64> = (0..n).map(|_| verify_ms(&stored)).collect();
        times.sort_by(f64::total_cmp);
        let at =
            |q: f64| times[((q * times.len() as f64).ceil() as usize).clamp(1, times.len()) - 1];
        println!("{:.3} {:.3} {:.3}", at(0.5), at(0.95), times[0]);
    })
    .join()
    .expect("thread");
}
