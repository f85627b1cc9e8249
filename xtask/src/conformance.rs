//! `cargo xtask conformance`: installs schemathesis and Prism at pinned versions into
//! `.conformance/` (a Python venv and a node folder, both ignored by git), then runs the
//! ignored conformance tests of the generator crate against them.

use std::path::Path;
use std::process::Command;

use anyhow::Result;

use crate::run;

const SCHEMATHESIS: &str = "schemathesis==4.32.5";
const PRISM: &str = "@stoplight/prism-cli@5.14.2";

/// Installs what is missing; a tool already at its pinned version is left as it is.
fn install(tools: &Path) -> Result<()> {
    let venv = tools.join("venv");
    let pinned = venv.join(format!("installed-{SCHEMATHESIS}"));
    if !pinned.exists() {
        eprintln!("installing {SCHEMATHESIS} into {}", venv.display());
        run(Command::new("python3").arg("-m").arg("venv").arg(&venv))?;
        run(Command::new(venv.join("bin/pip")).args([
            "install",
            "--quiet",
            "--disable-pip-version-check",
            SCHEMATHESIS,
        ]))?;
        std::fs::write(&pinned, "")?;
    }
    let node = tools.join("node");
    let pinned = node.join("installed-prism-cli-5.14.2");
    if !pinned.exists() {
        eprintln!("installing {PRISM} into {}", node.display());
        std::fs::create_dir_all(&node)?;
        run(Command::new("npm")
            .args([
                "install",
                "--no-audit",
                "--no-fund",
                "--loglevel=error",
                "--prefix",
            ])
            .arg(&node)
            .arg(PRISM))?;
        std::fs::write(&pinned, "")?;
    }
    Ok(())
}

pub fn conformance(root: &Path) -> Result<()> {
    let tools = root.join(".conformance");
    install(&tools)?;
    run(Command::new(env!("CARGO"))
        .current_dir(root)
        .args(["test", "-p", "generator", "--test", "suite", "--"])
        .args([
            "--ignored",
            "--nocapture",
            "--test-threads",
            "1",
            "conformance::",
        ])
        .env("CONFORMANCE_TOOLS", &tools))
}
