//! Seeded mutation testing of the whole pipeline: real specs (those in `specs/`), broken on
//! purpose in the ways real specs are broken (a value of the wrong type, a key removed, a key
//! renamed to a keyword, a `$ref` sent elsewhere, a subtree copied into another place, a
//! boolean where a schema belongs), go through load, normalize, parse, lower and emit. The
//! generator may refuse a mutant with diagnostics; it may never panic.
//!
//! The seeds are fixed, so a failure is reproducible: the test names the seed and writes the
//! mutant to `target/mutants/`. Inputs that once broke the pipeline are kept in
//! `tests/fixtures/mutations/` and run first, every time.
//!
//! `MUTANTS=N cargo test -p generator --test mutation` runs N mutants per spec (default 40).

use std::path::{Path, PathBuf};

use generator::load::Source;
use generator::ApiInput;
use serde_json::Value;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Runs the whole pipeline on one document: whether a crate came out; a panic becomes an
/// `Err` with its message.
fn run(name: &str, path: &str, text: String) -> Result<bool, String> {
    let input = ApiInput {
        name: name.to_owned(),
        origin: path.to_owned(),
        sources: vec![Source {
            path: path.to_owned(),
            text,
        }],
        ..Default::default()
    };
    std::panic::catch_unwind(|| {
        // Refusing a broken document is fine; emitting nothing for a good one is not.
        let output = generator::generate(&input);
        if let Ok(output) = &output {
            assert!(output.files.iter().any(|f| f.path == "src/lib.rs"));
        }
        output.is_ok()
    })
    .map_err(|panic| {
        panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
            .unwrap_or_default()
    })
}

#[test]
fn inputs_that_once_broke_the_pipeline_go_through() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mutations");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(!files.is_empty());
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        // Each was a spec a reader should take, so each generates.
        match run("regression", &name, text) {
            Ok(generated) => assert!(generated, "{name} did not generate"),
            Err(message) => panic!("{name} panicked: {message}"),
        }
    }
}

#[test]
fn mutated_real_specs_never_panic() {
    let per_spec: u64 = std::env::var("MUTANTS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(40);
    let specs = [
        "specs/petstore.yaml",
        "specs/petstore-expanded.yaml",
        "specs/rocketchat-logout.json",
        "specs/model-shape.yaml",
        "specs/schema-constructs.yaml",
        "specs/http-features.yaml",
        "specs/security-schemes.yaml",
    ];
    let mut failures = Vec::new();
    let mut generated = 0;
    for spec in specs {
        let text = std::fs::read_to_string(workspace().join(spec)).unwrap();
        let original: Value = if spec.ends_with(".json") {
            serde_json::from_str(&text).unwrap()
        } else {
            serde_yaml::from_str(&text).unwrap()
        };
        for seed in 0..per_spec {
            let mut rng = fastrand::Rng::with_seed(seed);
            let mut mutant = original.clone();
            // One to three mutations: one finds the rule that breaks, several how they meet.
            for _ in 0..rng.usize(1..=3) {
                mutate(&mut mutant, &mut rng);
            }
            let text = serde_json::to_string_pretty(&mutant).unwrap();
            let outcome = run("mutant", "mutant.json", text.clone());
            generated += usize::from(outcome == Ok(true));
            if let Err(message) = outcome {
                let dir = workspace().join("target/mutants");
                std::fs::create_dir_all(&dir).unwrap();
                let stem = Path::new(spec).file_stem().unwrap().to_string_lossy();
                let saved = dir.join(format!("{stem}-{seed}.json"));
                std::fs::write(&saved, text).unwrap();
                failures.push(format!(
                    "{spec}, seed {seed}: {message} (saved {})",
                    saved.display()
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // Many mutants are repaired and generated (about two in five): the mutations reach
    // lowering and emission, not only the parser's refusal.
    let total = specs.len() * per_spec as usize;
    assert!(
        generated * 4 > total,
        "only {generated} of {total} mutants generated"
    );
    eprintln!("{generated} of {total} mutants generated");
}

/// Keys real specs are broken around.
const KEYWORDS: &[&str] = &[
    "type",
    "items",
    "properties",
    "required",
    "$ref",
    "oneOf",
    "allOf",
    "anyOf",
    "enum",
    "default",
    "nullable",
    "format",
    "additionalProperties",
    "discriminator",
    "schema",
    "content",
    "in",
    "name",
    "responses",
    "parameters",
];

/// The JSON pointer of every node of `value`.
fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let child = format!("{at}/{}", k.replace('~', "~0").replace('/', "~1"));
                pointers(v, child.clone(), out);
                out.push(child);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                let child = format!("{at}/{i}");
                pointers(v, child.clone(), out);
                out.push(child);
            }
        }
        _ => {}
    }
}

fn mutate(root: &mut Value, rng: &mut fastrand::Rng) {
    let mut all = Vec::new();
    pointers(root, String::new(), &mut all);
    if all.is_empty() {
        return;
    }
    let target = all[rng.usize(..all.len())].clone();
    let other = all[rng.usize(..all.len())].clone();
    let (parent, key) = target.rsplit_once('/').unwrap();
    let key = key.replace("~1", "/").replace("~0", "~");
    let copied = root.pointer(&other).cloned().unwrap_or(Value::Null);
    let Some(node) = root.pointer_mut(&target) else {
        return;
    };
    match rng.u8(0..7) {
        // A value of another JSON type.
        0 => {
            *node = [
                Value::Null,
                Value::Bool(true),
                Value::Bool(false),
                Value::from(0),
                Value::from(-1.5),
                Value::from("true"),
                Value::from(""),
                Value::Array(Vec::new()),
                Value::Object(Default::default()),
            ][rng.usize(..9)]
            .clone()
        }
        // A subtree from elsewhere (a schema where a parameter belongs, a cycle).
        1 => *node = copied,
        // A `$ref` to somewhere, percent-encoded or not, existing or not.
        2 => {
            let pointer = if rng.bool() {
                other.replace('{', "%7B").replace('}', "%7D")
            } else {
                other
            };
            *node = serde_json::json!({ "$ref": format!("#{pointer}") });
        }
        // A boolean schema.
        3 => *node = Value::Bool(rng.bool()),
        4..=5 => {
            // The key removed, or renamed to a keyword.
            let Some(Value::Object(map)) = root.pointer_mut(parent) else {
                return;
            };
            if let Some(value) = map.shift_remove(&key) {
                if rng.bool() {
                    map.insert(KEYWORDS[rng.usize(..KEYWORDS.len())].to_owned(), value);
                }
            }
        }
        // A keyword added with a value from elsewhere.
        _ => {
            if let Value::Object(map) = node {
                map.insert(KEYWORDS[rng.usize(..KEYWORDS.len())].to_owned(), copied);
            }
        }
    }
}
