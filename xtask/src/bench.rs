//! `cargo xtask bench [SPEC | --synthetic ops=N | --synthetic enum=N]`: how long generating
//! a whole API takes, client and server, as a ratio against reading the same document as
//! JSON, measured in the same run so the figure does not depend on the machine. The default
//! spec is GitHub's REST API from the shared corpus. A synthetic spec (many small operations,
//! or one enum of many values) is written to `target/bench/` first, so that the same file can
//! be given to other tools. Each stage's time is shown (of the best run; `--runs N`, 5 by
//! default, 1 for a huge spec), and the CPU time and peak memory of a whole `codegen` run
//! of the spec are measured with `/usr/bin/time` where that is installed. Files are dropped
//! as they are printed, so a huge spec (GitHub's 13 MB, Microsoft Graph's 47 MB) is measured
//! as the command runs it. Last comes what syn and prettyplease alone take to read and print
//! that crate: no generation printing through them can be faster than the stages before
//! emit plus that work spread over two cores.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::str::FromStr;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use serde_json::{json, Map, Value};

use crate::tools::{self, Tool};

/// A generated spec of a given size.
#[derive(Debug, Clone, Copy)]
pub enum Synthetic {
    /// `ops=N`: N operations, each a path of its own with a path parameter and a JSON answer
    /// of one of a hundred object schemas, in a hundred tags (20,000 are 5.5 MB).
    Operations(usize),
    /// `enum=N`: one string enum of N values, answered by one operation.
    Enum(usize),
}

impl FromStr for Synthetic {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let (kind, count) = text
            .split_once('=')
            .ok_or_else(|| format!("expected ops=N or enum=N, found {text:?}"))?;
        let count = count
            .parse()
            .map_err(|_| format!("{count:?} is not a count"))?;
        match kind {
            "ops" => Ok(Synthetic::Operations(count)),
            "enum" => Ok(Synthetic::Enum(count)),
            _ => Err(format!("expected ops=N or enum=N, found {text:?}")),
        }
    }
}

impl Synthetic {
    fn file_name(self) -> String {
        match self {
            Synthetic::Operations(n) => format!("synthetic-ops-{n}.json"),
            Synthetic::Enum(n) => format!("synthetic-enum-{n}.json"),
        }
    }

    /// The spec, as a JSON document.
    fn spec(self) -> Value {
        let (paths, schemas) = match self {
            Synthetic::Operations(n) => operations(n),
            Synthetic::Enum(n) => {
                let values: Vec<Value> = (0..n).map(|i| json!(format!("value_{i}"))).collect();
                let schemas = Map::from_iter([(
                    "Value".to_owned(),
                    json!({"type": "string", "enum": values}),
                )]);
                let paths = Map::from_iter([(
                    "/value".to_owned(),
                    json!({"get": {
                        "operationId": "getValue",
                        "responses": {"200": {
                            "description": "the value",
                            "content": {"application/json": {
                                "schema": {"$ref": "#/components/schemas/Value"}
                            }}
                        }}
                    }}),
                )]);
                (paths, schemas)
            }
        };
        json!({
            "openapi": "3.0.3",
            "info": {"title": "Synthetic", "version": "1"},
            "paths": paths,
            "components": {"schemas": schemas},
        })
    }
}

/// `n` operations and the hundred schemas they answer with.
fn operations(n: usize) -> (Map<String, Value>, Map<String, Value>) {
    let paths = (0..n)
        .map(|i| {
            let operation = json!({"get": {
                "operationId": format!("getItem{i}"),
                "tags": [format!("group{}", i % 100)],
                "parameters": [
                    {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}
                ],
                "responses": {"200": {
                    "description": "ok",
                    "content": {"application/json": {
                        "schema": {"$ref": format!("#/components/schemas/Item{}", i % 100)}
                    }}
                }}
            }});
            (format!("/items{i}/{{id}}"), operation)
        })
        .collect();
    let schemas = (0..n.min(100))
        .map(|i| {
            let schema = json!({
                "type": "object",
                "required": ["id"],
                "properties": {
                    "id": {"type": "string"},
                    "name": {"type": "string"},
                    "count": {"type": "integer", "minimum": 0}
                }
            });
            (format!("Item{i}"), schema)
        })
        .collect();
    (paths, schemas)
}

/// The best of `runs` timings of `work`: the least disturbed by the rest of the machine.
fn best_of(runs: usize, mut work: impl FnMut() -> Result<()>) -> Result<Duration> {
    let mut best = Duration::MAX;
    for _ in 0..runs {
        let start = Instant::now();
        work()?;
        best = best.min(start.elapsed());
    }
    Ok(best)
}

pub fn bench(
    root: &Path,
    spec: Option<PathBuf>,
    synthetic: Option<Synthetic>,
    runs: usize,
    with_peers: bool,
) -> Result<()> {
    let spec = match (spec, synthetic) {
        (Some(_), Some(_)) => bail!("name a spec or --synthetic, not both"),
        (Some(spec), None) => spec,
        (None, Some(synthetic)) => {
            let dir = root.join("target/bench");
            std::fs::create_dir_all(&dir)?;
            let path = dir.join(synthetic.file_name());
            let text = serde_json::to_string(&synthetic.spec())?;
            std::fs::write(&path, &text).with_context(|| format!("writing {}", path.display()))?;
            println!(
                "wrote {} ({:.1} MB)",
                path.display(),
                text.len() as f64 / 1e6
            );
            path
        }
        (None, None) => root.join("../shared/specs-corpus/public/github-rest/api.github.com.json"),
    };
    if !spec.exists() {
        bail!(
            "{} does not exist; name a spec: cargo xtask bench SPEC",
            spec.display()
        );
    }
    let input = generator::files::api_input(std::slice::from_ref(&spec), None, None, root)?;
    // The baseline is the load stage alone: parsing the documents into JSON trees.
    let parse = best_of(runs, || {
        for source in &input.sources {
            let mut diags = generator::diagnostics::Diagnostics::default();
            generator::load::load_document(source, &mut diags)
                .with_context(|| format!("{} does not parse", source.path))?;
        }
        Ok(())
    })?;
    // Each file is dropped as it is printed, as the `codegen` command writes it and lets it
    // go: a huge spec's crate (Microsoft Graph's is 257 MB of text) is never held whole.
    let mut files = 0;
    let mut stages = Vec::new();
    let mut best = Duration::MAX;
    for _ in 0..runs {
        let mut these = Vec::new();
        let start = Instant::now();
        let generated = generator::generate_each(
            &input,
            &mut |stage, took| these.push((stage, took)),
            &|_, _| {},
        )
        .map_err(|e| anyhow::anyhow!("{e}"))?;
        let took = start.elapsed();
        files = generated.files;
        if took < best {
            (best, stages) = (took, these);
        }
    }
    let profile = if cfg!(debug_assertions) {
        "debug"
    } else {
        "release"
    };
    println!("{} ({profile} build, best of {runs}):", spec.display());
    println!(
        "  load (parse the documents): {:>8.1} ms (baseline)",
        parse.as_secs_f64() * 1e3
    );
    println!(
        "  generate client + server ({files} files): {:>8.1} ms = {:.1} x baseline",
        best.as_secs_f64() * 1e3,
        best.as_secs_f64() / parse.as_secs_f64()
    );
    let shown: Vec<String> = stages
        .iter()
        .map(|(stage, took)| format!("{} {:.0} ms", stage.as_str(), took.as_secs_f64() * 1e3))
        .collect();
    println!("    stages (wall clock): {}", shown.join(", "));
    if let Some(run) = codegen_peak(root, &spec)? {
        println!("  codegen command, writing the crate: {}", run.describe());
        let front: Duration = stages
            .iter()
            .filter(|(stage, _)| *stage != generator::Stage::Emit)
            .map(|(_, took)| *took)
            .sum();
        floor(&root.join("target/bench/out"), runs, front)?;
        if with_peers {
            peers(root, &spec, &run)?;
        }
    }
    Ok(())
}

/// The least any run could take while its code is printed through syn and prettyplease:
/// what [`printing`] measures of the crate `codegen` wrote into `out`, after `front`, the
/// stages before emit, which run on one thread before any printing can start.
fn floor(out: &Path, runs: usize, front: Duration) -> Result<()> {
    let Printing { bytes, read, print } = printing(out, runs)?;
    let ms = |took: Duration| took.as_secs_f64() * 1e3;
    println!(
        "  printing alone, one thread ({:.1} MB of Rust): syn reads it {:.0} ms, prettyplease prints it {:.0} ms; \
         with the stages before emit ({:.0} ms), no run on 2 cores is under {:.0} ms",
        bytes as f64 / 1e6,
        ms(read),
        ms(print),
        ms(front),
        ms(front) + ms(read + print) / 2.0
    );
    Ok(())
}

/// What syn and prettyplease alone take on a printed crate.
struct Printing {
    /// The size of the printed files.
    bytes: usize,
    /// syn reading them from tokens (as emit hands them over), best of the runs.
    read: Duration,
    /// prettyplease printing syn's trees, best of the runs.
    print: Duration,
}

/// Reads the code `codegen` printed into `out` (its `src` and `tests`; the runtime is
/// copied as it is, not printed) back with syn and prints it with prettyplease, a file at a
/// time as emit prints them, so a huge crate's trees are never held whole; best of `runs`
/// on one thread.
fn printing(out: &Path, runs: usize) -> Result<Printing> {
    let mut files = Vec::new();
    for dir in [out.join("src"), out.join("tests")] {
        if dir.exists() {
            files.extend(crate::rust_files(&dir)?);
        }
    }
    let mut best = Printing {
        bytes: 0,
        read: Duration::MAX,
        print: Duration::MAX,
    };
    for _ in 0..runs {
        let (mut reading, mut printing) = (Duration::ZERO, Duration::ZERO);
        best.bytes = 0;
        for path in &files {
            let text = std::fs::read_to_string(path)?;
            best.bytes += text.len();
            let tokens: proc_macro2::TokenStream = text
                .parse()
                .map_err(|e| anyhow::anyhow!("{} does not lex: {e}", path.display()))?;
            let start = Instant::now();
            let file: syn::File = syn::parse2(tokens)
                .with_context(|| format!("{} does not parse", path.display()))?;
            let parsed = Instant::now();
            std::hint::black_box(prettyplease::unparse(&file));
            reading += parsed - start;
            printing += parsed.elapsed();
        }
        best.read = best.read.min(reading);
        best.print = best.print.min(printing);
    }
    Ok(best)
}

/// What `/usr/bin/time` measured of a command.
struct Run {
    wall: Duration,
    /// CPU seconds, in user space and in the kernel.
    user: f64,
    system: f64,
    peak_kb: u64,
}

impl Run {
    fn describe(&self) -> String {
        format!(
            "{:>8.1} ms, CPU {:.2} s user + {:.2} s system, peak {:.0} MB",
            self.wall.as_secs_f64() * 1e3,
            self.user,
            self.system,
            self.peak_kb as f64 / 1024.0
        )
    }

    fn cpu(&self) -> f64 {
        self.user + self.system
    }
}

/// The time, CPU time and peak memory of this program's `codegen` of `spec` into
/// `target/bench/out`, a process of its own so that its peak is its own; `None` where
/// `/usr/bin/time` is not there to measure it.
fn codegen_peak(root: &Path, spec: &Path) -> Result<Option<Run>> {
    let mut command = Command::new(std::env::current_exe()?);
    command
        .args(["codegen", "--quiet", "--no-settings", "--spec"])
        .arg(spec)
        .arg("--out")
        .arg(root.join("target/bench/out"));
    match measure(&command)? {
        None => Ok(None),
        Some(Ok(run)) => Ok(Some(run)),
        Some(Err(stderr)) => bail!("codegen of {} failed:\n{stderr}", spec.display()),
    }
}

/// Runs `command` (its program and arguments) under `/usr/bin/time`: what it measured, or
/// the command's error output where it failed; `None` where `/usr/bin/time` is not
/// installed.
fn measure(command: &Command) -> Result<Option<Result<Run, String>>> {
    let time_tool = Path::new("/usr/bin/time");
    if !time_tool.exists() {
        return Ok(None);
    }
    // Its figures go to a file of their own, so the command's error output is its own.
    let figures = std::env::temp_dir().join(format!("xtask-time-{}", std::process::id()));
    let mut timed = Command::new(time_tool);
    timed
        .args(["-f", "%M %U %S", "-o"])
        .arg(&figures)
        .arg(command.get_program())
        .args(command.get_args());
    let start = Instant::now();
    let output = timed.output()?;
    let wall = start.elapsed();
    let written = std::fs::read_to_string(&figures);
    let _ = std::fs::remove_file(&figures);
    if !output.status.success() {
        return Ok(Some(Err(
            String::from_utf8_lossy(&output.stderr).into_owned()
        )));
    }
    let written = written.context("reading /usr/bin/time's figures")?;
    let measured: Vec<&str> = written
        .lines()
        .last()
        .unwrap_or_default()
        .split_whitespace()
        .collect();
    let [peak_kb, user, system] = measured[..] else {
        bail!("/usr/bin/time printed no peak and CPU time: {written}");
    };
    let number = |text: &str| {
        text.parse::<f64>()
            .context("/usr/bin/time printed no number")
    };
    Ok(Some(Ok(Run {
        wall,
        user: number(user)?,
        system: number(system)?,
        peak_kb: peak_kb.parse().context("/usr/bin/time printed no peak")?,
    })))
}

/// Times the peers' generation of `spec` (openapi-to-rust: types and client; progenitor:
/// client only, JSON documents only) after ours, `ours`, and prints each with ours as a
/// ratio of it; a peer that cannot read the spec is reported with what stopped it
/// ([`failure`]).
fn peers(root: &Path, spec: &Path, ours: &Run) -> Result<()> {
    let out = root.join("target/bench/peers");
    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir_all(&out)?;
    let json = spec.extension().is_some_and(|e| e == "json");
    // Each peer, what it generates, whether it reads YAML, and its command line.
    type Arguments = fn(&mut Command, &Path, &Path);
    let peers: [(&Tool, &str, bool, Arguments); 2] = [
        (
            &tools::OPENAPI_TO_RUST,
            "types and client",
            true,
            |command, spec, dir| {
                command
                    .arg("generate")
                    .arg(spec)
                    .arg("--output-dir")
                    .arg(dir);
            },
        ),
        (
            &tools::PROGENITOR,
            "client only",
            false,
            |command, spec, dir| {
                command
                    .args(["progenitor", "-i"])
                    .arg(spec)
                    .arg("-o")
                    .arg(dir);
                command.args(["-n", "bench-peer", "-v", "0.1.0"]);
            },
        ),
    ];
    for (tool, what, reads_yaml, arguments) in peers {
        let label = format!("{} {} ({what})", tool.package, tool.version);
        if !json && !reads_yaml {
            println!("  {label}: reads JSON documents only");
            continue;
        }
        let mut command = Command::new(tool.installed(root)?);
        arguments(&mut command, spec, &out.join(tool.package));
        match measure(&command)? {
            None => {}
            // `/usr/bin/time` counts CPU in hundredths of a second.
            Some(Ok(run)) if run.cpu() < 0.1 => {
                println!("  {label}: {} (too quick to compare)", run.describe());
            }
            Some(Ok(run)) => println!(
                "  {label}: {}; ours {:.2} x its CPU time, {:.2} x its peak",
                run.describe(),
                ours.cpu() / run.cpu(),
                ours.peak_kb as f64 / run.peak_kb as f64
            ),
            Some(Err(stderr)) => {
                println!("  {label}: cannot generate it: {}", failure(&stderr));
            }
        }
    }
    Ok(())
}

/// What a peer that failed said: a panic's message, else its last line that is not a note.
fn failure(stderr: &str) -> String {
    let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    if let Some(at) = lines.iter().position(|l| l.contains("panicked at")) {
        let message = lines.get(at + 1).unwrap_or(&"");
        return format!("panicked: {}", message.trim());
    }
    lines
        .iter()
        .rev()
        .find(|l| !l.starts_with("note:"))
        .map_or_else(|| "no output".to_owned(), |l| l.trim().to_owned())
}

#[cfg(test)]
mod tests {
    use super::{failure, printing};

    #[test]
    fn the_printing_floor_reads_what_was_printed_and_not_the_runtime() {
        let out = std::env::temp_dir().join(format!("xtask-floor-{}", std::process::id()));
        let write = |path: &str, text: &str| {
            let path = out.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        let (lib, test) = ("pub struct Pet {\n    pub id: i64,\n}\n", "fn t() {}\n");
        write("src/lib.rs", lib);
        write("src/types/pet.rs", lib);
        write("tests/examples.rs", test);
        // Copied as it is, never printed: were it read, it would not parse.
        write("runtime/src/lib.rs", "this is not Rust {");
        let measured = printing(&out, 2);
        std::fs::remove_dir_all(&out).unwrap();
        assert_eq!(measured.unwrap().bytes, 2 * lib.len() + test.len());
    }

    #[test]
    fn a_peer_failing_is_told_by_its_panic_or_its_last_line() {
        let panic = "\nthread 'main' panicked at src/lib.rs:3:5:\nnot yet implemented: markdown\n\
                     note: run with `RUST_BACKTRACE=1` to see a backtrace\n";
        assert_eq!(failure(panic), "panicked: not yet implemented: markdown");
        let error = "reading spec\nError: generation experienced errors\n\nnote: a note\n";
        assert_eq!(failure(error), "Error: generation experienced errors");
        assert_eq!(failure(""), "no output");
    }
}
