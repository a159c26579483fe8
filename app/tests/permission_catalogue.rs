//! Every permission the code checks is in the catalogue that the role editor offers
//! (`platform::permission::CATALOGUE`, served by `GET /api/v1/permissions`): a `require("x:y")`,
//! `can("x:y")` or `authorize(…, "x:y")` naming a permission the catalogue lacks fails here, so a
//! new permission cannot be checked without administrators being able to grant it.
use app::platform::permission::{allowed_scopes, CATALOGUE};
use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The permissions named as the first string argument of the checking calls in `src`.
fn checked(src: &str) -> Vec<String> {
    let mut found = Vec::new();
    for call in ["require(\"", "can(\"", "authorize(&"] {
        let mut rest = src;
        while let Some(at) = rest.find(call) {
            rest = &rest[at + call.len()..];
            let arg = if call == "authorize(&" {
                // authorize(&grants, "x:y")
                rest.split_once('"')
                    .and_then(|(before, after)| (!before.contains(')')).then_some(after))
            } else {
                Some(rest)
            };
            if let Some(name) = arg.and_then(|a| a.split('"').next()) {
                if name.contains(':') {
                    found.push(name.to_string());
                }
            }
        }
    }
    found
}

#[test]
fn every_permission_the_code_checks_is_in_the_catalogue() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    rust_files(&root.join("../server/src"), &mut files);
    assert!(files.len() > 50, "the sources were found");
    let mut seen = 0;
    let mut missing = Vec::new();
    for f in &files {
        let src = std::fs::read_to_string(f).expect("source");
        for perm in checked(&src) {
            seen += 1;
            // the permission module's own tests use made-up names
            if f.ends_with("platform/permission.rs") {
                continue;
            }
            if allowed_scopes(&perm).is_none() {
                missing.push(format!("{}: {perm}", f.display()));
            }
        }
    }
    assert!(seen > 30, "the checks were found ({seen})");
    assert!(
        missing.is_empty(),
        "checked but missing from the catalogue: {missing:#?}"
    );
}

#[test]
fn the_scanner_finds_each_form_of_check() {
    let found = checked(
        "p.require(\"po:view\")?; u.can(\"goods:receive\"); authorize(&grants, \"audit:view\"); require(x)",
    );
    assert_eq!(found, vec!["po:view", "goods:receive", "audit:view"]);
    assert!(CATALOGUE.len() >= 27);
}
