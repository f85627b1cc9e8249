//! `openapi-gen`: the generator as a command (`cargo install --path generator --locked`).

#[global_allocator]
static ALLOCATOR: generator::cli::MiMalloc = generator::cli::MiMalloc;

fn main() -> std::process::ExitCode {
    generator::cli::main()
}
