//! The file side of the generator: finding an API's documents and settings on disk, and
//! writing or checking a generated crate.
//!
//! The pipeline ([`crate::generate`]) touches no files; this module is the one place that
//! does, shared by the `openapi-gen` command, `cargo xtask codegen` and build scripts
//! ([`generate_into`]).

mod folder;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::PoisonError;

use crate::diagnostics::{Diagnostic, Diagnostics, Severity};
use crate::load::{self, Source};
use crate::settings::Settings;
use crate::{ApiInput, Error, GeneratedFile};

use folder::Folder;

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |source| Error::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// A `.json`, `.yaml` or `.yml` file, but not an overlay (`*.overlay.yaml`): overlays sit
/// beside the specs they fix and are read through the settings, never as specs.
pub fn is_spec_file(path: &Path) -> bool {
    let overlay = path
        .file_stem()
        .and_then(|s| s.to_str())
        .is_some_and(|s| s.ends_with(".overlay"));
    !overlay
        && matches!(
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
/// Symbolic links leading out of `dir` are left out ([`api_input`] reports them).
pub fn spec_files_under(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    Ok(Folder::new(dir, String::new())?.spec_files()?.0)
}

/// The name an API takes from its first path: a file's stem or a folder's name.
fn stem_of(path: &Path) -> &str {
    if path.is_dir() {
        path.file_name()
    } else {
        path.file_stem()
    }
    .and_then(|s| s.to_str())
    .unwrap_or("api")
}

/// Where the settings of the API whose first path is `spec` are looked for: beside it, named
/// after its file stem or folder name (`specs/petstore.toml` for `specs/petstore.yaml`,
/// `specs/rocketchat.toml` for `specs/rocketchat/`).
pub fn settings_path_for(spec: &Path) -> PathBuf {
    spec.with_file_name(format!("{}.toml", stem_of(spec)))
}

/// Reads a settings file and the overlay it names (relative to it, and in its folder or
/// below: the overlay is read as the settings say, so it may not reach elsewhere).
fn read_settings(
    path: &Path,
    display_base: &Path,
    api: &str,
) -> Result<(Settings, Option<Source>), Error> {
    let source = Source {
        path: shown(path, display_base),
        text: fs::read_to_string(path).map_err(io_error(path))?,
    };
    let invalid = |diagnostics| Error::InvalidSpec {
        api: api.to_owned(),
        diagnostics,
    };
    let settings = Settings::from_toml(&source).map_err(invalid)?;
    let overlay = match &settings.overlay {
        Some(relative) => {
            let overlay = path.with_file_name(relative);
            let dir = path.parent().unwrap_or(Path::new(""));
            let folder = shown_folder(dir, display_base);
            if Folder::new(dir, folder.clone())?.leads_outside(&overlay) {
                let mut diags = Diagnostics::default();
                diags.error(
                    "settings",
                    &source.path,
                    "/overlay",
                    format!(
                        "{relative:?} leads outside {folder}, the settings file's folder: an \
                         overlay is read from there or below"
                    ),
                );
                return Err(invalid(diags.into_vec()));
            }
            Some(Source {
                path: shown(&overlay, display_base),
                text: fs::read_to_string(&overlay).map_err(io_error(&overlay))?,
            })
        }
        None => None,
    };
    Ok((settings, overlay))
}

/// Which settings an API is generated with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SettingsFile<'a> {
    /// [`settings_path_for`] the first path, when that file exists.
    Beside,
    /// This file.
    Given(&'a Path),
    /// None, even where a file lies beside the spec (`codegen --no-settings`): a settings
    /// file is code (see README, "What the generator trusts").
    Ignored,
}

/// The input for an API made of `paths` (files, or folders of files), naming files in
/// messages relative to `display_base` where they lie under it: [`api_input_with`] the
/// settings file `settings`, or else the one beside the first path.
pub fn api_input(
    paths: &[PathBuf],
    name: Option<&str>,
    settings: Option<&Path>,
    display_base: &Path,
) -> Result<ApiInput, Error> {
    let settings = settings.map_or(SettingsFile::Beside, SettingsFile::Given);
    api_input_with(paths, name, settings, display_base)
}

/// The input for an API made of `paths` (files, or folders of files), with the settings
/// `settings` says, naming files in messages relative to `display_base` where they lie
/// under it.
///
/// The crate name is `name`, else the settings' `crate-name`, else the first path's file
/// stem or folder name (normalized by [`crate_name`]). The files read are those given, the
/// spec files in the folders given, and the files their `$ref`s reach, refs of refs
/// included; never a file outside the folder given (or the given file's folder), whether a
/// ref climbs out with `..` or a symbolic link leads out (reported in [`ApiInput::refused`]).
pub fn api_input_with(
    paths: &[PathBuf],
    name: Option<&str>,
    settings: SettingsFile<'_>,
    display_base: &Path,
) -> Result<ApiInput, Error> {
    let Some(first) = paths.first() else {
        return Err(Error::NoSpec);
    };
    let default_settings = settings_path_for(first);
    let settings = match settings {
        SettingsFile::Beside => default_settings.is_file().then_some(&*default_settings),
        SettingsFile::Given(path) => Some(path),
        SettingsFile::Ignored => None,
    };
    let (settings, overlay) = match settings {
        Some(path) => read_settings(path, display_base, &crate_name(stem_of(first)))?,
        None => Default::default(),
    };
    // Each file with the folder its refs may reach: the folder given, or the given file's,
    // written (`tree`, for refs climbing out with `..`) and canonical (for links).
    let mut folders: Vec<(String, Folder)> = Vec::new();
    let mut files = Vec::new();
    let mut refused = Vec::new();
    for path in paths {
        if path.is_dir() {
            let folder = Folder::new(path, shown_folder(path, display_base))?;
            let (inside, outside) = folder.spec_files()?;
            refused.extend(
                outside
                    .iter()
                    .map(|p| folder.refusal(shown(p, display_base))),
            );
            files.extend(inside.into_iter().map(|f| (f, folders.len())));
            folders.push((path.display().to_string(), folder));
        } else {
            let tree = load::join(&path.display().to_string(), "");
            let folder = Folder::new(
                Path::new(&tree),
                shown_folder(Path::new(&tree), display_base),
            )?;
            files.push((path.clone(), folders.len()));
            folders.push((tree, folder));
        }
    }
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
    for (file, _) in &files {
        sources.push(Source {
            path: shown(file, display_base),
            text: fs::read_to_string(file).map_err(io_error(file))?,
        });
    }
    // The documents the refs reach, and theirs in turn, so that a multi-file spec is read from
    // its root file as every other tool reads it.
    let mut next = 0;
    while next < sources.len() {
        let (file, at) = files[next].clone();
        let (tree, folder) = &folders[at];
        let file = file.display().to_string();
        for relative in load::referenced_files(&sources[next].text) {
            let path = load::join(&file, &relative);
            let inside = tree.is_empty() && !path.starts_with("../") && !path.starts_with('/')
                || path.starts_with(&format!("{tree}/"));
            let shown_path = load::join(&sources[next].path, &relative);
            let known = sources.iter().any(|s| s.path == shown_path)
                || refused.iter().any(|d: &Diagnostic| d.file == shown_path);
            let path = PathBuf::from(path);
            if !inside || known || !is_spec_file(&path) || !path.is_file() {
                continue;
            }
            if folder.leads_outside(&path) {
                refused.push(folder.refusal(shown_path));
                continue;
            }
            sources.push(Source {
                path: shown_path,
                text: fs::read_to_string(&path).map_err(io_error(&path))?,
            });
            files.push((path, at));
        }
        next += 1;
    }
    let name = name
        .or(settings.crate_name.as_deref())
        .unwrap_or_else(|| stem_of(first));
    Ok(ApiInput {
        name: crate_name(name),
        origin,
        sources,
        settings,
        overlay,
        refused,
        command: String::new(),
    })
}

/// A folder as messages show it, with a final `/` (`./` for the folder itself).
fn shown_folder(dir: &Path, base: &Path) -> String {
    let shown = shown(dir, base);
    if shown.is_empty() {
        "./".to_owned()
    } else {
        format!("{}/", shown.trim_end_matches('/'))
    }
}

/// A path as messages show it: relative to `base` where it lies under it.
fn shown(path: &Path, base: &Path) -> String {
    path.strip_prefix(base)
        .unwrap_or(path)
        .display()
        .to_string()
}

/// The APIs in `specs_dir`, sorted: each spec file directly in it, and each folder (an API
/// of all the spec files under it). Give each to [`api_input`].
pub fn api_paths(specs_dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let mut entries: Vec<PathBuf> = fs::read_dir(specs_dir)
        .map_err(io_error(specs_dir))?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()
        .map_err(io_error(specs_dir))?;
    entries.retain(|p| p.is_dir() || is_spec_file(p));
    entries.sort();
    Ok(entries)
}

/// Files in `dir` (recursively, relative, `/`-separated) that generation did not produce.
fn extra_files(dir: &Path, produced: &BTreeSet<String>) -> Vec<String> {
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
            if !produced.contains(&relative) {
                extra.push(relative);
            }
        }
    }
    extra.sort();
    extra
}

/// A generated crate written into its folder, or checked against it (`--check`), a file at
/// a time as generation finishes each ([`crate::generate_each`]), so the crate's text is
/// never held whole; [`CrateFiles::finish`] then deals with the files generation did not
/// produce. Files may come from several threads at once.
pub struct CrateFiles<'a> {
    dir: &'a Path,
    /// How `--check` names the folder; `None` writes.
    checked_as: Option<&'a str>,
    seen: std::sync::Mutex<Seen>,
}

#[derive(Default)]
struct Seen {
    produced: BTreeSet<String>,
    written: usize,
    /// What `--check` found, by the place of the file in the crate.
    stale: Vec<(usize, String)>,
    failed: Option<Error>,
}

impl<'a> CrateFiles<'a> {
    /// Writes into `dir` each file whose contents are not already there (so the times of
    /// those that are do not change).
    pub fn writing(dir: &'a Path) -> Self {
        CrateFiles {
            dir,
            checked_as: None,
            seen: Default::default(),
        }
    }

    /// Writes nothing: compares each file with `dir`'s, naming differences as `shown_dir`
    /// followed by the file's path in the crate.
    pub fn checking(dir: &'a Path, shown_dir: &'a str) -> Self {
        CrateFiles {
            dir,
            checked_as: Some(shown_dir),
            seen: Default::default(),
        }
    }

    /// Writes or checks a file, the `i`th of the crate.
    pub fn file(&self, i: usize, file: GeneratedFile) {
        let path = self.dir.join(&file.path);
        let on_disk = fs::read(&path).ok();
        let same = on_disk.as_deref() == Some(file.contents.as_bytes());
        let result = match self.checked_as {
            _ if same => Ok(None),
            Some(shown_dir) => {
                let how = if on_disk.is_some() {
                    "stale"
                } else {
                    "missing"
                };
                Ok(Some(format!("{shown_dir}/{} is {how}", file.path)))
            }
            None => write_file(&path, &file.contents).map(|()| None),
        };
        let mut seen = self.seen.lock().unwrap_or_else(PoisonError::into_inner);
        match result {
            Ok(Some(stale)) => seen.stale.push((i, stale)),
            Ok(None) => seen.written += usize::from(!same),
            Err(e) => {
                seen.failed.get_or_insert(e);
            }
        }
        seen.produced.insert(file.path);
    }

    /// Removes the files of the folder that generation did not produce (writing) or names
    /// them (checking). Returns how many files were written, and what `--check` found.
    pub fn finish(self) -> Result<(usize, Vec<String>), Error> {
        let seen = self
            .seen
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(e) = seen.failed {
            return Err(e);
        }
        let extra = extra_files(self.dir, &seen.produced);
        let Some(shown_dir) = self.checked_as else {
            for extra in extra {
                let path = self.dir.join(&extra);
                fs::remove_file(&path).map_err(io_error(&path))?;
            }
            return Ok((seen.written, Vec::new()));
        };
        let mut stale = seen.stale;
        stale.sort_unstable();
        let extra = extra
            .into_iter()
            .map(|extra| format!("{shown_dir}/{extra} is not generated by any spec"));
        Ok((0, stale.into_iter().map(|(_, s)| s).chain(extra).collect()))
    }
}

fn write_file(path: &Path, contents: &str) -> Result<(), Error> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(io_error(parent))?;
    }
    fs::write(path, contents).map_err(io_error(path))
}

/// Writes a crate into `dir`, removing files there that generation no longer produces and
/// leaving files whose contents are already right untouched (so their times do not change).
/// Returns how many files it wrote.
pub fn write_crate(dir: &Path, files: &[GeneratedFile]) -> Result<usize, Error> {
    let writing = CrateFiles::writing(dir);
    for (i, file) in files.iter().enumerate() {
        writing.file(i, file.clone());
    }
    Ok(writing.finish()?.0)
}

/// How `dir` differs from `files`: each stale, missing or extra file, named as `shown_dir`
/// followed by its path in the crate.
pub fn crate_differences(dir: &Path, shown_dir: &str, files: &[GeneratedFile]) -> Vec<String> {
    let checking = CrateFiles::checking(dir, shown_dir);
    for (i, file) in files.iter().enumerate() {
        checking.file(i, file.clone());
    }
    checking
        .finish()
        .map(|(_, stale)| stale)
        .unwrap_or_default()
}

/// The folders directly in `dir` whose names are not in `names`, sorted.
pub fn other_folders(dir: &Path, names: &[&str]) -> Vec<String> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut others: Vec<String> = entries
        .flatten()
        .filter(|e| e.path().is_dir())
        .filter_map(|e| e.file_name().to_str().map(str::to_owned))
        .filter(|name| !names.contains(&name.as_str()))
        .collect();
    others.sort();
    others
}

/// Generates the crate for the API made of `specs` (spec files, or folders of them, as in
/// `specs/`) into `out_dir`, and returns the warnings met on the way. Settings are read from
/// beside the first spec, as [`api_input`] says.
///
/// Everything is read and generated in memory first: when a spec has errors, nothing is
/// written and [`Error::InvalidSpec`] carries every diagnostic. The crate name is the first
/// spec's file stem or folder name. Files in `out_dir` that the generator does not produce
/// are removed, and files that are already right are not touched, so calling this from a
/// `build.rs` on every build does not make cargo rebuild what depends on them.
pub fn generate_into(
    specs: &[impl AsRef<Path>],
    out_dir: impl AsRef<Path>,
) -> Result<Vec<Diagnostic>, Error> {
    generate_files(specs, out_dir.as_ref(), false)
}

/// Like [`generate_into`], with `src/lib.rs` written so that a crate can `include!` it: the
/// way to use the generator from a `build.rs`. The including crate needs the dependencies
/// and features of the generated `Cargo.toml` (see `generator/examples/build-script/`).
///
/// ```no_run
/// // build.rs
/// let out = std::path::PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("petstore");
/// for warning in generator::files::generate_for_include(&["openapi/petstore.yaml"], &out).unwrap() {
///     println!("cargo::warning={warning}");
/// }
/// println!("cargo::rerun-if-changed=openapi");
/// // src/lib.rs: include!(concat!(env!("OUT_DIR"), "/petstore/src/lib.rs"));
/// ```
pub fn generate_for_include(
    specs: &[impl AsRef<Path>],
    out_dir: impl AsRef<Path>,
) -> Result<Vec<Diagnostic>, Error> {
    generate_files(specs, out_dir.as_ref(), true)
}

fn generate_files(
    specs: &[impl AsRef<Path>],
    out_dir: &Path,
    for_include: bool,
) -> Result<Vec<Diagnostic>, Error> {
    let paths: Vec<PathBuf> = specs.iter().map(|p| p.as_ref().to_path_buf()).collect();
    let base = std::env::current_dir().unwrap_or_default();
    let input = api_input(&paths, None, None, &base)?;
    let mut output = crate::generate(&input)?;
    if for_include {
        let limit = crate::emit::for_include(&mut output.files).map_err(|e| Error::Emit {
            api: input.name.clone(),
            file: e.file,
            message: e.message,
        })?;
        if let Some(limit) = limit {
            output.diagnostics.push(Diagnostic {
                severity: Severity::Warning,
                rule: "recursion-limit",
                file: input.origin.clone(),
                pointer: String::new(),
                position: None,
                message: format!(
                    "types nest too deep for the compiler's default recursion limit: add \
                     `#![recursion_limit = {limit}]` at the root of the crate that includes \
                     the generated code (`include!` cannot carry it)"
                ),
                loss: None,
            });
        }
    }
    write_crate(out_dir, &output.files)?;
    Ok(output.diagnostics)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlays_are_not_specs() {
        assert!(is_spec_file(Path::new("specs/petstore.yaml")));
        assert!(is_spec_file(Path::new("specs/api.github.com.json")));
        assert!(!is_spec_file(Path::new("specs/petstore.overlay.yaml")));
        assert!(!is_spec_file(Path::new("specs/petstore.toml")));
    }

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
}
