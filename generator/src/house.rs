//! The house rules the code of this repository keeps, as a test: every source file of the
//! generator, its runtime and xtask opens with its `//!` doc and is named in
//! ARCHITECTURE.md's codemap, and no function runs past 200 lines.

use std::path::{Path, PathBuf};

/// The longest a function may be, in lines from its `fn` to its closing brace.
const LONGEST_FUNCTION: usize = 200;

/// Every `.rs` file under `dir`, sorted.
fn sources(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// Each function of rustfmt-formatted source that runs past `longest` lines: its name and
/// length. A function ends at the first closing brace at its own indentation.
fn long_functions(text: &str, longest: usize) -> Vec<(String, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut long = Vec::new();
    for (start, line) in lines.iter().enumerate() {
        let code = line.trim_start();
        let indent = &line[..line.len() - code.len()];
        let code = [
            "pub ",
            "pub(crate) ",
            "pub(super) ",
            "const ",
            "async ",
            "unsafe ",
        ]
        .iter()
        .fold(code, |code, prefix| {
            code.strip_prefix(prefix).unwrap_or(code)
        });
        let Some(rest) = code.strip_prefix("fn ") else {
            continue;
        };
        if line.trim_end().ends_with(';') {
            continue;
        }
        let closing = format!("{indent}}}");
        if let Some(end) = lines[start + 1..].iter().position(|l| *l == closing) {
            let length = end + 2;
            if length > longest {
                let name = rest.split(['(', '<']).next().unwrap_or(rest);
                long.push((name.to_owned(), length));
            }
        }
    }
    long
}

#[test]
fn every_source_file_is_documented_and_mapped_and_no_function_is_too_long() {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let map = std::fs::read_to_string(workspace.join("ARCHITECTURE.md")).unwrap();
    let mut broken = Vec::new();
    for root in ["generator/src", "generator/runtime", "xtask/src"] {
        let root = workspace.join(root);
        for file in sources(&root) {
            let relative = file.strip_prefix(&root).unwrap().display().to_string();
            let text = std::fs::read_to_string(&file).unwrap();
            if !text.trim_start().starts_with("//!") {
                broken.push(format!("{relative}: no //! doc"));
            }
            // A `mod.rs` is named by its folder (`emit/`), any other file by its name.
            let name = match relative.strip_suffix("mod.rs") {
                Some(folder) => folder.to_owned(),
                None => file.file_name().unwrap().to_string_lossy().into_owned(),
            };
            if !map.contains(&name) {
                broken.push(format!("{relative}: not named in ARCHITECTURE.md"));
            }
            for (function, length) in long_functions(&text, LONGEST_FUNCTION) {
                broken.push(format!("{relative}: fn {function} is {length} lines"));
            }
        }
    }
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}

#[test]
fn a_long_function_is_found_and_a_short_one_is_not() {
    let body = "    let x = 1;\n".repeat(5);
    let text = format!("fn short() {{\n}}\n\npub(super) fn long<T>(\n    t: T,\n) {{\n{body}}}\n");
    assert_eq!(long_functions(&text, 5), [("long".to_owned(), 9)]);
}
