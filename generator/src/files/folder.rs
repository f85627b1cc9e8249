//! The folder a spec's files stay in, judged by where a path leads rather than how it is
//! written: `models/pet.yaml` may be a symbolic link to `/home/me/.ssh/config`, whose text
//! would land in the generated docs. A `..` in a ref is refused by its spelling (see
//! `api_input`); a link, by its canonical path. A link that stays inside is followed.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use super::{io_error, is_spec_file};
use crate::diagnostics::{Diagnostic, Severity};
use crate::Error;

pub(super) struct Folder {
    /// The folder as given.
    dir: PathBuf,
    /// The folder as `canonicalize` gives it: links resolved, absolute.
    canonical: PathBuf,
    /// The folder as messages name it.
    shown: String,
}

impl Folder {
    /// The folder `dir` (empty for the current one).
    pub(super) fn new(dir: &Path, shown: String) -> Result<Folder, Error> {
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        let canonical = fs::canonicalize(dir).map_err(io_error(dir))?;
        Ok(Folder {
            dir: dir.to_path_buf(),
            canonical,
            shown,
        })
    }

    /// Whether `path` leads to a place outside the folder once links are resolved. A path
    /// that leads nowhere is not judged here: reading it fails as for any missing file.
    pub(super) fn leads_outside(&self, path: &Path) -> bool {
        fs::canonicalize(path).is_ok_and(|p| !p.starts_with(&self.canonical))
    }

    /// The warning for `path` (named `shown_path`), a link leading out of the folder.
    pub(super) fn refusal(&self, shown_path: String) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            rule: "files",
            file: shown_path,
            pointer: String::new(),
            position: None,
            message: format!(
                "a symbolic link leading outside {}, not read: a spec reads only files in its \
                 folder, as with `..` in a $ref",
                self.shown
            ),
            loss: None,
        }
    }

    /// Every spec file under the folder, sorted, and the links leading out of it (to files
    /// or folders), sorted. A folder reached twice through links is read once.
    pub(super) fn spec_files(&self) -> Result<(Vec<PathBuf>, Vec<PathBuf>), Error> {
        let (mut found, mut outside) = (Vec::new(), Vec::new());
        let mut seen = BTreeSet::new();
        let mut pending = vec![self.dir.clone()];
        while let Some(dir) = pending.pop() {
            if !seen.insert(fs::canonicalize(&dir).map_err(io_error(&dir))?) {
                continue;
            }
            for entry in fs::read_dir(&dir).map_err(io_error(&dir))? {
                let path = entry.map_err(io_error(&dir))?.path();
                let wanted = path.is_dir() || is_spec_file(&path);
                if wanted && self.leads_outside(&path) {
                    outside.push(path);
                } else if path.is_dir() {
                    pending.push(path);
                } else if is_spec_file(&path) {
                    found.push(path);
                }
            }
        }
        found.sort();
        outside.sort();
        Ok((found, outside))
    }
}
