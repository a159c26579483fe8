//! The structure the code must keep, read from the sources: dependencies point one way — the
//! shell, then the business slices, then approvals, then the platform (and `error`, `format` and
//! the domain `types` below it) — and no files import each other in a circle. A new slice is a new folder under `app/src/`
//! and is covered without editing this test. `ARCH_SRC=<folder>` checks another tree (e.g. an old
//! commit's `app/src`, to see what the checker finds there).
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The layers below the business slices: they must not know any slice.
const SHARED: [&str; 2] = ["platform", "approvals"];
/// Modules of the crate that are not slices (files at the top of `app/src`, and `types/`, the
/// domain types at the bottom).
const BASE: [&str; 5] = ["error", "format", "i18n", "shell", "types"];

fn src_root() -> PathBuf {
    std::env::var("ARCH_SRC")
        .map(PathBuf::from)
        .unwrap_or_else(|_| Path::new(env!("CARGO_MANIFEST_DIR")).join("src"))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The source without comments, string and character literals (so a doc comment or a message
/// that mentions a slice is not an import).
fn code_only(src: &str) -> String {
    let b = src.as_bytes();
    let mut out = String::with_capacity(src.len());
    let mut i = 0;
    while i < b.len() {
        if b[i..].starts_with(b"//") {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
        } else if b[i..].starts_with(b"/*") {
            let mut depth = 0;
            while i < b.len() {
                if b[i..].starts_with(b"/*") {
                    depth += 1;
                    i += 2;
                } else if b[i..].starts_with(b"*/") {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
        } else if b[i] == b'r'
            && (b[i..].starts_with(b"r\"") || b[i..].starts_with(b"r#"))
            && (i == 0 || !is_ident(b[i - 1]))
        {
            // raw string: r"…", r#"…"#
            let mut j = i + 1;
            let mut hashes = 0;
            while j < b.len() && b[j] == b'#' {
                hashes += 1;
                j += 1;
            }
            if j < b.len() && b[j] == b'"' {
                let close: Vec<u8> = std::iter::once(b'"')
                    .chain(std::iter::repeat_n(b'#', hashes))
                    .collect();
                j += 1;
                while j < b.len() && !b[j..].starts_with(&close) {
                    j += 1;
                }
                i = (j + close.len()).min(b.len());
                out.push_str("\"\"");
            } else {
                out.push('r');
                i += 1;
            }
        } else if b[i] == b'"' {
            i += 1;
            while i < b.len() && b[i] != b'"' {
                i += if b[i] == b'\\' { 2 } else { 1 };
            }
            i += 1;
            out.push_str("\"\"");
        } else if b[i] == b'\'' {
            // a character literal ('a', '\n', '\u{1f}') or a lifetime ('a)
            let rest = &b[i + 1..];
            let len = if rest.first() == Some(&b'\\') {
                rest.iter().position(|&c| c == b'\'').map(|p| p + 2)
            } else {
                let ch = src[i + 1..].chars().next().map(char::len_utf8).unwrap_or(1);
                (rest.get(ch) == Some(&b'\'')).then_some(ch + 2)
            };
            match len {
                Some(n) => {
                    i += n;
                    out.push_str("' '");
                }
                None => {
                    out.push('\'');
                    i += 1;
                }
            }
        } else {
            let ch = src[i..].chars().next().unwrap_or(' ');
            out.push(ch);
            i += ch.len_utf8();
        }
    }
    out
}

fn is_ident(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// Every path named from the crate root: `crate::a::b` and the trees of `use crate::{a::b, c}`,
/// each as its segments.
fn crate_paths(code: &str) -> Vec<Vec<String>> {
    let mut paths = Vec::new();
    let b = code.as_bytes();
    let mut i = 0;
    while let Some(at) = code[i..].find("crate::") {
        let start = i + at;
        i = start + "crate::".len();
        if start > 0 && (is_ident(b[start - 1]) || b[start - 1] == b'$') {
            continue;
        }
        expand(code, &mut i, Vec::new(), &mut paths);
    }
    paths
}

/// Reads a use tree at `*i` (after `prefix::`), pushing each leaf path.
fn expand(code: &str, i: &mut usize, prefix: Vec<String>, out: &mut Vec<Vec<String>>) {
    let b = code.as_bytes();
    let skip_ws = |i: &mut usize| {
        while *i < b.len() && b[*i].is_ascii_whitespace() {
            *i += 1;
        }
    };
    skip_ws(i);
    if *i < b.len() && b[*i] == b'{' {
        *i += 1;
        loop {
            skip_ws(i);
            if *i >= b.len() {
                return;
            }
            if b[*i] == b'}' {
                *i += 1;
                return;
            }
            if b[*i] == b',' {
                *i += 1;
                continue;
            }
            let before = *i;
            expand(code, i, prefix.clone(), out);
            if *i == before {
                *i += 1;
            }
        }
    }
    let mut path = prefix;
    loop {
        let s = *i;
        while *i < b.len() && is_ident(b[*i]) {
            *i += 1;
        }
        if *i == s {
            break;
        }
        path.push(code[s..*i].to_string());
        if code[*i..].starts_with("::") {
            *i += 2;
            skip_ws(i);
            if *i < b.len() && b[*i] == b'{' {
                expand(code, i, path, out);
                return;
            }
        } else {
            break;
        }
    }
    // `self` in a tree names the module before it; `as x` renames are left where they are
    if path.last().is_some_and(|s| s == "self") {
        path.pop();
    }
    if !path.is_empty() {
        out.push(path);
    }
}

/// The file a crate path lives in: the longest prefix that is a module file.
fn file_of(root: &Path, path: &[String], files: &BTreeSet<PathBuf>) -> Option<PathBuf> {
    for n in (1..=path.len()).rev() {
        let rel: PathBuf = path[..n].iter().collect();
        for candidate in [
            root.join(&rel).with_extension("rs"),
            root.join(&rel).join("mod.rs"),
        ] {
            if files.contains(&candidate) {
                return Some(candidate);
            }
        }
    }
    None
}

/// The top-level module a file belongs to (`platform`, `procurement`, `shell`, …).
fn top_module(root: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(root).unwrap_or(file);
    let first = rel
        .components()
        .next()
        .map(|c| c.as_os_str().to_string_lossy().to_string());
    first
        .unwrap_or_default()
        .trim_end_matches(".rs")
        .to_string()
}

/// What may a module of layer `from` name at the crate root? None: anything.
fn forbidden(from: &str, to: &str, slices: &BTreeSet<String>) -> bool {
    let is_slice = |m: &str| slices.contains(m);
    match from {
        "error" | "format" | "types" => {
            to == "platform" || to == "approvals" || to == "shell" || is_slice(to)
        }
        "platform" => to == "approvals" || to == "shell" || is_slice(to),
        "approvals" => to == "shell" || is_slice(to),
        _ if is_slice(from) => to == "shell",
        _ => false,
    }
}

struct Report {
    wrong_way: Vec<String>,
    circles: Vec<Vec<PathBuf>>,
}

fn check(root: &Path) -> Report {
    let mut all = Vec::new();
    rust_files(root, &mut all);
    let files: BTreeSet<PathBuf> = all.into_iter().collect();
    let slices: BTreeSet<String> = std::fs::read_dir(root)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|m| !SHARED.contains(&m.as_str()) && !BASE.contains(&m.as_str()))
        .collect();
    let mut wrong_way = Vec::new();
    let mut edges: BTreeMap<PathBuf, BTreeSet<PathBuf>> = BTreeMap::new();
    for file in &files {
        let src = std::fs::read_to_string(file).unwrap_or_default();
        let from = top_module(root, file);
        for path in crate_paths(&code_only(&src)) {
            if forbidden(&from, &path[0], &slices) {
                wrong_way.push(format!(
                    "{} names crate::{}",
                    file.strip_prefix(root).unwrap_or(file).display(),
                    path.join("::")
                ));
            }
            if let Some(to) = file_of(root, &path, &files) {
                if &to != file {
                    edges.entry(file.clone()).or_default().insert(to);
                }
            }
        }
    }
    Report {
        wrong_way,
        circles: circles(&edges),
    }
}

/// Strongly connected components of more than one file (Tarjan).
fn circles(edges: &BTreeMap<PathBuf, BTreeSet<PathBuf>>) -> Vec<Vec<PathBuf>> {
    struct State<'a> {
        edges: &'a BTreeMap<PathBuf, BTreeSet<PathBuf>>,
        index: BTreeMap<&'a PathBuf, usize>,
        low: BTreeMap<&'a PathBuf, usize>,
        stack: Vec<&'a PathBuf>,
        on_stack: BTreeSet<&'a PathBuf>,
        next: usize,
        found: Vec<Vec<PathBuf>>,
    }
    fn visit<'a>(s: &mut State<'a>, v: &'a PathBuf) {
        s.index.insert(v, s.next);
        s.low.insert(v, s.next);
        s.next += 1;
        s.stack.push(v);
        s.on_stack.insert(v);
        if let Some(targets) = s.edges.get(v) {
            for w in targets {
                if !s.index.contains_key(w) {
                    visit(s, w);
                    let lw = s.low[w];
                    let lv = s.low.get_mut(v).expect("visited");
                    *lv = (*lv).min(lw);
                } else if s.on_stack.contains(w) {
                    let iw = s.index[w];
                    let lv = s.low.get_mut(v).expect("visited");
                    *lv = (*lv).min(iw);
                }
            }
        }
        if s.low[v] == s.index[v] {
            let mut component = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                component.push(w.clone());
                if w == v {
                    break;
                }
            }
            if component.len() > 1 {
                component.sort();
                s.found.push(component);
            }
        }
    }
    let mut s = State {
        edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        next: 0,
        found: Vec::new(),
    };
    for v in edges.keys() {
        if !s.index.contains_key(v) {
            visit(&mut s, v);
        }
    }
    s.found
}

#[test]
fn the_platform_and_approvals_name_no_business_slice_and_dependencies_point_one_way() {
    let report = check(&src_root());
    assert!(
        report.wrong_way.is_empty(),
        "imports against the layering (shell -> slices -> approvals -> platform -> error/format):\n{}",
        report.wrong_way.join("\n")
    );
}

#[test]
fn no_files_import_each_other_in_a_circle() {
    let root = src_root();
    let report = check(&root);
    let shown: Vec<String> = report
        .circles
        .iter()
        .map(|c| {
            c.iter()
                .map(|f| f.strip_prefix(&root).unwrap_or(f).display().to_string())
                .collect::<Vec<_>>()
                .join(" <-> ")
        })
        .collect();
    assert!(shown.is_empty(), "import circles:\n{}", shown.join("\n"));
}

/// The checker itself: it must see the imports a reviewer would, and nothing in comments or text.
#[test]
fn the_checker_sees_imports_in_every_form_and_ignores_comments_and_strings() {
    let dir = std::env::temp_dir().join(format!("mw-arch-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let write = |rel: &str, text: &str| {
        let p = dir.join(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, text).expect("write");
    };
    write("platform/mod.rs", "pub mod a;\npub mod b;\n");
    // a comment, a doc comment and a string naming a slice are fine
    write(
        "platform/a.rs",
        "//! see crate::quality::x\n/// crate::quality\nfn f() { let s = \"crate::quality::y\"; let c = '\\''; }\nuse crate::platform::b::B;\n",
    );
    write("platform/b.rs", "pub struct B;\n");
    write("quality/mod.rs", "pub mod service;\n");
    write("quality/service.rs", "use crate::platform::a;\n");
    let clean = check(&dir);
    assert!(clean.wrong_way.is_empty(), "{:?}", clean.wrong_way);
    assert!(clean.circles.is_empty(), "{:?}", clean.circles);

    // a grouped import of a slice from the platform, and a circle through it
    write(
        "platform/b.rs",
        "use crate::{error::E, quality::{service::{self, Thing}}};\npub struct B;\n",
    );
    write(
        "quality/service.rs",
        "use crate::platform::b::B;\npub struct Thing;\n",
    );
    let bad = check(&dir);
    assert_eq!(
        bad.wrong_way,
        vec![
            "platform/b.rs names crate::quality::service".to_string(),
            "platform/b.rs names crate::quality::service::Thing".to_string()
        ]
    );
    assert_eq!(bad.circles.len(), 1, "{:?}", bad.circles);
    // a path in code, not a use
    write(
        "platform/b.rs",
        "pub struct B;\nfn g() { crate::approvals::engine::go(); }\n",
    );
    assert_eq!(
        check(&dir).wrong_way,
        vec!["platform/b.rs names crate::approvals::engine::go".to_string()]
    );
    let _ = std::fs::remove_dir_all(&dir);
}
