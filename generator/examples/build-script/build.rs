//! Generates the Petstore client into OUT_DIR on every build where the spec changed.

use std::path::PathBuf;

fn main() {
    let spec = "../../../specs/petstore.yaml";
    println!("cargo::rerun-if-changed={spec}");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("petstore");
    match generator::files::generate_for_include(&[spec], &out) {
        Ok(warnings) => {
            for warning in warnings {
                println!("cargo::warning={warning}");
            }
        }
        Err(generator::Error::InvalidSpec { diagnostics, .. }) => {
            for d in &diagnostics {
                eprintln!("{d}");
            }
            panic!("{spec} has errors; nothing was generated");
        }
        Err(e) => panic!("{e}"),
    }
}
