//! Tools the commands run that are not dependencies of the workspace (cargo-fuzz, and the
//! peers the benchmarks measure against), each installed with `cargo install --locked` at a
//! pinned version into `target/tools/`, once.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::Result;

use crate::run;

/// The pinned tools: the crate to install, its version and the binary it provides.
pub struct Tool {
    pub package: &'static str,
    pub version: &'static str,
    pub binary: &'static str,
}

/// cargo-fuzz, which runs the fuzz targets.
pub const CARGO_FUZZ: Tool = Tool {
    package: "cargo-fuzz",
    version: "0.13.2",
    binary: "cargo-fuzz",
};

/// progenitor's command, the client-only baseline of `bench` and `bench-compile`.
pub const PROGENITOR: Tool = Tool {
    package: "cargo-progenitor",
    version: "0.15.1",
    binary: "cargo-progenitor",
};

/// openapi-to-rust, the Rust peer `bench` times its generation against.
pub const OPENAPI_TO_RUST: Tool = Tool {
    package: "openapi-to-rust",
    version: "0.23.0",
    binary: "openapi-to-rust",
};

impl Tool {
    /// The tool's binary under `root/target/tools/`, installed first unless this version
    /// is there already.
    pub fn installed(&self, root: &Path) -> Result<PathBuf> {
        let tools = root.join("target/tools");
        let binary = tools.join("bin").join(self.binary);
        let pinned = tools.join(format!("installed-{}-{}", self.package, self.version));
        if !pinned.exists() || !binary.exists() {
            eprintln!(
                "installing {} {} into {} (once)",
                self.package,
                self.version,
                tools.display()
            );
            run(Command::new(env!("CARGO"))
                .args(["install", "--locked", "--quiet", "--root"])
                .arg(&tools)
                .arg(format!("{}@{}", self.package, self.version)))?;
            std::fs::write(&pinned, "")?;
        }
        Ok(binary)
    }
}
