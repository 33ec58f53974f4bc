use std::process::ExitCode;

#[derive(clap::Subcommand)]
pub enum Model {}

pub fn run(model: Model) -> anyhow::Result<ExitCode> {
    match model {}
}
