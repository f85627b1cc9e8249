//! `cargo xtask codegen`: finding the APIs in `specs/`, generating them, writing or checking
//! `generated/`.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use generator::diagnostics::{Diagnostic, Severity};
use generator::load::Source;
use generator::{ApiInput, GeneratedFile};

/// The workspace root: the parent of this crate's folder.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

pub fn is_spec_file(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("json" | "yaml" | "yml")
    )
}

/// A crate name from a file or folder name: lower case, runs of anything but letters and
/// digits turned into one `-`.
pub fn crate_name(stem: &str) -> String {
    let mut name = String::new();
    for c in stem.chars() {
        if c.is_ascii_alphanumeric() {
            name.push(c.to_ascii_lowercase());
        } else if !name.ends_with('-') && !name.is_empty() {
            name.push('-');
        }
    }
    let name = name.trim_end_matches('-').to_owned();
    if name.is_empty() {
        "api".to_owned()
    } else {
        name
    }
}

/// Every spec file under `dir`, sorted, so a folder API reads its documents in a fixed order.
pub fn spec_files_under(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in fs::read_dir(&dir).with_context(|| format!("reading {}", dir.display()))? {
            let path = entry?.path();
            if path.is_dir() {
                pending.push(path);
            } else if is_spec_file(&path) {
                found.push(path);
            }
        }
    }
    found.sort();
    Ok(found)
}

/// The input for an API made of `paths` (files, or folders of files), naming files in
/// messages relative to `display_base` where they lie under it.
pub fn api_input(paths: &[PathBuf], name: Option<&str>, display_base: &Path) -> Result<ApiInput> {
    let Some(first) = paths.first() else {
        bail!("no spec given");
    };
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            files.extend(spec_files_under(path)?);
        } else {
            files.push(path.clone());
        }
    }
    let stem = if first.is_dir() {
        first.file_name()
    } else {
        first.file_stem()
    }
    .and_then(|s| s.to_str())
    .unwrap_or("api");
    let origin = paths
        .iter()
        .map(|p| {
            let file = p.file_name().and_then(|n| n.to_str()).unwrap_or("spec");
            if p.is_dir() {
                format!("{file}/")
            } else {
                file.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(", ");
    let mut sources = Vec::new();
    for file in files {
        let text =
            fs::read_to_string(&file).with_context(|| format!("reading {}", file.display()))?;
        let shown = file.strip_prefix(display_base).unwrap_or(&file);
        sources.push(Source {
            path: shown.display().to_string(),
            text,
        });
    }
    Ok(ApiInput {
        name: name.map_or_else(|| crate_name(stem), crate_name),
        origin,
        sources,
    })
}

/// One input per entry of `specs/`: a file is an API, a folder is an API of all its files.
pub fn workspace_inputs(root: &Path) -> Result<Vec<ApiInput>> {
    let specs = root.join("specs");
    let mut entries: Vec<PathBuf> = fs::read_dir(&specs)
        .with_context(|| format!("reading {}", specs.display()))?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    entries.sort();
    entries
        .into_iter()
        .filter(|p| p.is_dir() || is_spec_file(p))
        .map(|p| api_input(&[p], None, root))
        .collect()
}

/// The result of generating one API.
pub struct Generated {
    pub name: String,
    pub files: Vec<GeneratedFile>,
    pub diagnostics: Vec<Diagnostic>,
    pub types_summary: String,
}

/// Generates every input; APIs with errors are reported, and the others still generated.
pub fn generate_all(inputs: &[ApiInput]) -> (Vec<Generated>, Vec<(String, Vec<Diagnostic>)>) {
    let mut generated = Vec::new();
    let mut failed = Vec::new();
    for input in inputs {
        match generator::generate(input) {
            Ok(output) => generated.push(Generated {
                name: input.name.clone(),
                files: output.files,
                diagnostics: output.diagnostics,
                types_summary: output.types_summary,
            }),
            Err(generator::Error::InvalidSpec { api, diagnostics }) => {
                failed.push((api, diagnostics))
            }
            Err(e) => failed.push((
                input.name.clone(),
                vec![internal(&input.name, &e.to_string())],
            )),
        }
    }
    (generated, failed)
}

fn internal(api: &str, message: &str) -> Diagnostic {
    Diagnostic {
        severity: Severity::Error,
        rule: "internal",
        file: api.to_owned(),
        pointer: String::new(),
        message: message.to_owned(),
    }
}

/// Files in `dir` (recursively, relative, `/`-separated) that generation did not produce.
fn extra_files(dir: &Path, produced: &[GeneratedFile]) -> Vec<String> {
    let mut extra = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        let Ok(entries) = fs::read_dir(&current) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
                continue;
            }
            let relative = path
                .strip_prefix(dir)
                .unwrap_or(&path)
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            if !produced.iter().any(|f| f.path == relative) {
                extra.push(relative);
            }
        }
    }
    extra.sort();
    extra
}

/// Writes a crate into `dir`, removing files there that generation no longer produces.
pub fn write_crate(dir: &Path, files: &[GeneratedFile]) -> Result<()> {
    for extra in extra_files(dir, files) {
        fs::remove_file(dir.join(&extra)).with_context(|| format!("removing {extra}"))?;
    }
    for file in files {
        let path = dir.join(&file.path);
        if fs::read_to_string(&path).ok().as_deref() == Some(file.contents.as_str()) {
            continue;
        }
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
        }
        fs::write(&path, &file.contents).with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(())
}

/// What differs between `generated_dir` and what generation gives: each stale, missing or
/// extra file, and each crate folder no spec produces. `failed` names APIs whose specs have
/// errors: their folders are reported with the errors, not as orphans.
pub fn stale_files(generated_dir: &Path, generated: &[Generated], failed: &[&str]) -> Vec<String> {
    let mut stale = Vec::new();
    for api in generated {
        let dir = generated_dir.join(&api.name);
        for file in &api.files {
            match fs::read_to_string(dir.join(&file.path)) {
                Ok(on_disk) if on_disk == file.contents => {}
                Ok(_) => stale.push(format!("generated/{}/{} is stale", api.name, file.path)),
                Err(_) => stale.push(format!("generated/{}/{} is missing", api.name, file.path)),
            }
        }
        for extra in extra_files(&dir, &api.files) {
            stale.push(format!(
                "generated/{}/{extra} is not generated by any spec",
                api.name
            ));
        }
    }
    let names: Vec<&str> = generated
        .iter()
        .map(|g| g.name.as_str())
        .chain(failed.iter().copied())
        .collect();
    if let Ok(entries) = fs::read_dir(generated_dir) {
        let mut orphans: Vec<String> = entries
            .flatten()
            .filter(|e| e.path().is_dir())
            .filter_map(|e| e.file_name().to_str().map(str::to_owned))
            .filter(|name| !names.contains(&name.as_str()))
            .collect();
        orphans.sort();
        stale.extend(
            orphans
                .into_iter()
                .map(|o| format!("generated/{o}/ has no spec in specs/")),
        );
    }
    stale
}

/// Prints diagnostics, then a count of repairs by rule.
pub fn report(api: &str, diagnostics: &[Diagnostic]) {
    for d in diagnostics {
        eprintln!("{d}");
    }
    let mut by_rule: BTreeMap<&str, usize> = BTreeMap::new();
    for d in diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning)
    {
        *by_rule.entry(d.rule).or_default() += 1;
    }
    if !by_rule.is_empty() {
        let summary: Vec<String> = by_rule
            .iter()
            .map(|(rule, n)| format!("{rule}: {n}"))
            .collect();
        eprintln!(
            "{api}: repaired or skipped {} ({})",
            by_rule.values().sum::<usize>(),
            summary.join(", ")
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crate_names_from_file_names() {
        assert_eq!(crate_name("rocketchat-logout"), "rocketchat-logout");
        assert_eq!(
            crate_name("BalancePlatformService-v2"),
            "balanceplatformservice-v2"
        );
        assert_eq!(crate_name("api.github.com"), "api-github-com");
        assert_eq!(crate_name("__"), "api");
    }

    fn generate_workspace() -> Vec<Generated> {
        let root = workspace_root();
        let inputs = workspace_inputs(&root).unwrap();
        let (generated, failed) = generate_all(&inputs);
        assert!(failed.is_empty(), "{:?}", failed);
        generated
    }

    /// The freshness gate: `generated/` is exactly what the specs produce.
    #[test]
    fn generated_is_fresh() {
        let generated = generate_workspace();
        let stale = stale_files(&workspace_root().join("generated"), &generated, &[]);
        assert!(
            stale.is_empty(),
            "run `cargo xtask codegen`:\n{}",
            stale.join("\n")
        );
    }

    #[test]
    fn generating_twice_gives_identical_bytes() {
        let first = generate_workspace();
        let second = generate_workspace();
        assert_eq!(first.len(), second.len());
        for (a, b) in first.iter().zip(&second) {
            assert_eq!(a.files, b.files, "{} differs between runs", a.name);
        }
    }

    #[test]
    fn stale_and_extra_files_are_named() {
        let generated = generate_workspace();
        let dir = std::env::temp_dir().join(format!("xtask-stale-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let api = &generated[0];
        write_crate(&dir.join(&api.name), &api.files).unwrap();
        assert!(stale_files(&dir, std::slice::from_ref(api), &[]).is_empty());

        let lib = dir.join(&api.name).join("src/lib.rs");
        fs::write(&lib, "// edited by hand\n").unwrap();
        fs::write(dir.join(&api.name).join("src/extra.rs"), "").unwrap();
        fs::create_dir_all(dir.join("orphan")).unwrap();
        let stale = stale_files(&dir, std::slice::from_ref(api), &[]);
        assert_eq!(
            stale,
            [
                format!("generated/{}/src/lib.rs is stale", api.name),
                format!(
                    "generated/{}/src/extra.rs is not generated by any spec",
                    api.name
                ),
                "generated/orphan/ has no spec in specs/".to_owned(),
            ]
        );
        write_crate(&dir.join(&api.name), &api.files).unwrap();
        assert_eq!(
            stale_files(&dir, std::slice::from_ref(api), &[]).len(),
            1,
            "only the orphan is left"
        );
        fs::remove_dir_all(&dir).unwrap();
    }
}
