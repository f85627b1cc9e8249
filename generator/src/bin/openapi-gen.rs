//! `openapi-gen`: the generator as a command (`cargo install --path generator --locked`).

fn main() -> std::process::ExitCode {
    generator::cli::main()
}
