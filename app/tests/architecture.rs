//! The structure the code must keep, read from the sources: dependencies point one way — the
//! shell, then the business slices, then approvals, then the platform (and `error`, `format` and
//! the domain `types` below it) — and no files import each other in a circle. A new slice is a new folder under `app/src/`
//! and is covered without editing this test. `ARCH_SRC=<folder>` checks another tree (e.g. an old
//! commit's `app/src`, to see what the checker finds there).
//!
//! The slices also keep to their own tables: a table belongs to the slice whose migration
//! (`migrations/*_<slice>.sql`) creates it, and no other slice's `repo/` SQL reads or writes it
//! (after `from`, `join`, `update` or `into`); other slices ask the owner's services.
//! `ARCH_MIGRATIONS=<folder>` reads another tree's migrations.
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
    scan(src).0
}

/// The source split into its code (without comments, string and character literals) and the
/// text of its string literals (escapes resolved), in order.
fn scan(src: &str) -> (String, Vec<String>) {
    let b = src.as_bytes();
    let mut out = String::with_capacity(src.len());
    let mut strings = Vec::new();
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
                let start = j;
                while j < b.len() && !b[j..].starts_with(&close) {
                    j += 1;
                }
                strings.push(src[start..j].to_string());
                i = (j + close.len()).min(b.len());
                out.push_str("\"\"");
            } else {
                out.push('r');
                i += 1;
            }
        } else if b[i] == b'"' {
            i += 1;
            let start = i;
            while i < b.len() && b[i] != b'"' {
                i += if b[i] == b'\\' { 2 } else { 1 };
            }
            strings.push(unescape(src.get(start..i).unwrap_or_default()));
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
    (out, strings)
}

/// A string literal's text: `\n`, `\t`, `\r` as whitespace, a line continuation dropped, other
/// escapes as the character escaped (enough to read the SQL in it).
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n' | 't' | 'r') => out.push(' '),
            Some('\n') => {
                while chars.peek().is_some_and(|c| c.is_whitespace()) {
                    chars.next();
                }
                out.push(' ');
            }
            Some(other) => out.push(other),
            None => {}
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

/// The business slices: the folders of `root` that are neither shared layers nor base modules.
fn slices(root: &Path) -> BTreeSet<String> {
    std::fs::read_dir(root)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|m| !SHARED.contains(&m.as_str()) && !BASE.contains(&m.as_str()))
        .collect()
}

struct Report {
    wrong_way: Vec<String>,
    circles: Vec<Vec<PathBuf>>,
}

fn check(root: &Path) -> Report {
    let mut all = Vec::new();
    rust_files(root, &mut all);
    let files: BTreeSet<PathBuf> = all.into_iter().collect();
    let slices = slices(root);
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

fn migrations_root() -> PathBuf {
    std::env::var("ARCH_MIGRATIONS")
        .map(PathBuf::from)
        .unwrap_or_else(|_| Path::new(env!("CARGO_MANIFEST_DIR")).join("../migrations"))
}

/// SQL as lower-case words: identifiers (a schema-qualified or quoted name as its last part) and
/// single punctuation characters; `--` comments dropped.
fn sql_words(sql: &str) -> Vec<String> {
    let mut words = Vec::new();
    for line in sql.lines() {
        let line = line.split("--").next().unwrap_or_default().to_lowercase();
        let mut word = String::new();
        for c in line.chars() {
            if c.is_alphanumeric() || c == '_' || c == '.' || c == '"' {
                word.push(c);
                continue;
            }
            if !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
            if !c.is_whitespace() {
                words.push(c.to_string());
            }
        }
        if !word.is_empty() {
            words.push(word);
        }
    }
    words
        .into_iter()
        .map(|w| {
            let last = w.rsplit('.').next().unwrap_or_default();
            last.trim_matches('"').to_string()
        })
        .collect()
}

/// The tables a migration creates (`create [unlogged|temp|temporary] table [if not exists] x`).
fn created_tables(sql: &str) -> Vec<String> {
    let w = sql_words(sql);
    let mut tables = Vec::new();
    for i in 0..w.len() {
        if w[i] != "create" {
            continue;
        }
        let mut j = i + 1;
        while j < w.len() && ["unlogged", "temp", "temporary"].contains(&w[j].as_str()) {
            j += 1;
        }
        if w.get(j).map(String::as_str) != Some("table") {
            continue;
        }
        j += 1;
        if w.get(j).map(String::as_str) == Some("if") {
            j += 3;
        }
        if let Some(name) = w.get(j) {
            tables.push(name.clone());
        }
    }
    tables
}

/// Which slice owns each table: the tables created by the migrations named after a slice
/// (`<version>_<slice>.sql`). Tables of other migrations (the platform's, approvals') are shared.
fn owners(migrations: &Path, slices: &BTreeSet<String>) -> BTreeMap<String, String> {
    let mut owner = BTreeMap::new();
    for entry in std::fs::read_dir(migrations)
        .into_iter()
        .flatten()
        .flatten()
    {
        let name = entry.file_name().to_string_lossy().to_string();
        let Some(stem) = name.strip_suffix(".sql") else {
            continue;
        };
        let Some(slice) = stem.split_once('_').map(|(_, s)| s) else {
            continue;
        };
        if !slices.contains(slice) {
            continue;
        }
        let sql = std::fs::read_to_string(entry.path()).unwrap_or_default();
        for table in created_tables(&sql) {
            owner.insert(table, slice.to_string());
        }
    }
    owner
}

/// Words that end a table reference in a `from` list rather than name an alias.
const CLAUSE_WORDS: [&str; 24] = [
    "where",
    "join",
    "left",
    "right",
    "inner",
    "full",
    "cross",
    "natural",
    "on",
    "using",
    "order",
    "group",
    "having",
    "limit",
    "offset",
    "for",
    "union",
    "except",
    "intersect",
    "returning",
    "set",
    "window",
    "values",
    "select",
];

/// The tables SQL reads or writes: the name after `from`, `join`, `update` and `into`, and the
/// further names of a `from a x, b y` list. Column names never stand there.
fn tables_named(sql: &str) -> Vec<String> {
    let w = sql_words(sql);
    let is_name = |s: &str| {
        s.chars()
            .next()
            .is_some_and(|c| c.is_alphabetic() || c == '_')
    };
    let mut tables = Vec::new();
    let mut i = 0;
    while i < w.len() {
        let keyword = w[i].as_str();
        i += 1;
        if !["from", "join", "update", "into"].contains(&keyword) {
            continue;
        }
        while let Some(name) = w.get(i).filter(|n| is_name(n)) {
            tables.push(name.clone());
            i += 1;
            if keyword != "from" {
                break;
            }
            // an alias (`as x` or `x`), then a comma for one more table of the list
            if w.get(i).map(String::as_str) == Some("as") {
                i += 1;
            }
            if w.get(i)
                .is_some_and(|a| is_name(a) && !CLAUSE_WORDS.contains(&a.as_str()))
            {
                i += 1;
            }
            if w.get(i).map(String::as_str) != Some(",") {
                break;
            }
            i += 1;
        }
    }
    tables
}

/// Each use of another slice's table in a slice's `repo/`: "<file> names <owner>'s table <t>".
fn foreign_tables(root: &Path, migrations: &Path) -> Vec<String> {
    let slices = slices(root);
    let owner = owners(migrations, &slices);
    let mut found = Vec::new();
    for slice in &slices {
        let mut files = Vec::new();
        rust_files(&root.join(slice).join("repo"), &mut files);
        let single = root.join(slice).join("repo.rs");
        if single.is_file() {
            files.push(single);
        }
        files.sort();
        for file in files {
            let src = std::fs::read_to_string(&file).unwrap_or_default();
            // the file's literals as one text: a query built in pieces reads across them
            let sql = scan(&src).1.join("\n");
            let mut named: Vec<String> = tables_named(&sql)
                .into_iter()
                .filter_map(|t| {
                    let o = owner.get(&t)?;
                    (o != slice).then(|| format!("{o}'s table {t}"))
                })
                .collect();
            named.sort();
            named.dedup();
            for n in named {
                found.push(format!(
                    "{} names {n}",
                    file.strip_prefix(root).unwrap_or(&file).display()
                ));
            }
        }
    }
    found
}

#[test]
fn a_slice_s_sql_names_only_its_own_and_shared_tables() {
    let migrations = migrations_root();
    let root = src_root();
    let owner = owners(&migrations, &slices(&root));
    assert!(
        owner.values().any(|o| o == "procurement") && owner.values().any(|o| o == "inventory"),
        "the slices' migrations were not found in {}: {owner:?}",
        migrations.display()
    );
    let found = foreign_tables(&root, &migrations);
    assert!(
        found.is_empty(),
        "a slice's repo names another slice's tables (ask that slice's services instead):\n{}",
        found.join("\n")
    );
}

/// The table checker: tables after from/join/update/into and in from lists, not columns, not
/// comments, across the pieces of a built query.
#[test]
fn the_table_checker_sees_tables_and_not_columns_or_comments() {
    let dir = std::env::temp_dir().join(format!("mw-arch-tables-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let write = |rel: &str, text: &str| {
        let p = dir.join(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, text).expect("write");
    };
    write(
        "migrations/1_platform.sql",
        "create table users (id uuid);\n",
    );
    write(
        "migrations/2_alpha.sql",
        "-- create table not_this (id uuid)\ncreate table orders (id uuid);\nCREATE TABLE IF NOT EXISTS order_lines (order_id uuid);\n",
    );
    write(
        "migrations/3_beta.sql",
        "create unlogged table receipts (order_id uuid, order_lines int);\n",
    );
    write(
        "src/alpha/repo/mod.rs",
        "const Q: &str = \"select * from orders o, order_lines l, users u\";\n",
    );
    // columns named like alpha's tables, comments and alpha's tables in text that is not SQL's
    write(
        "src/beta/repo/mod.rs",
        "// reads from orders\n/// join order_lines\nconst Q: &str = r#\"select r.order_id, order_lines from receipts r join users u on u.id = r.order_id\n  where r.order_id = any($1) for update of r\"#;\nconst P: &str = \"insert into receipts (order_id) values ($1) on conflict do update set order_id = 1\";\n",
    );
    write(
        "src/platform/mod.rs",
        "const Q: &str = \"select * from orders\";\n",
    );
    let clean = foreign_tables(&dir.join("src"), &dir.join("migrations"));
    assert!(clean.is_empty(), "{clean:?}");

    write(
        "src/beta/repo/mod.rs",
        "const A: &str = \"select 1 from receipts r, Public.Orders o where true\";\nconst B: &str = \"update order_lines set x = 1\";\n",
    );
    write(
        "src/beta/repo/built.rs",
        "fn c() { q.push(\"select 1 from \").push(\"\\n   order_lines\"); }\n",
    );
    write(
        "src/beta/repo/deeper/more.rs",
        "const D: &str = r#\"insert into orders (id) select id from receipts left join \"order_lines\" on true\"#;\n",
    );
    assert_eq!(
        foreign_tables(&dir.join("src"), &dir.join("migrations")),
        vec![
            "beta/repo/built.rs names alpha's table order_lines".to_string(),
            "beta/repo/deeper/more.rs names alpha's table order_lines".to_string(),
            "beta/repo/deeper/more.rs names alpha's table orders".to_string(),
            "beta/repo/mod.rs names alpha's table order_lines".to_string(),
            "beta/repo/mod.rs names alpha's table orders".to_string(),
        ]
    );
    let _ = std::fs::remove_dir_all(&dir);
}
