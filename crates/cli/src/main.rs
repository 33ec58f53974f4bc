//! The `crosscheck` command line: a thin layer over the library crates.

mod commands;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Clustering makes many small short-lived allocations on several threads, which glibc's
/// allocator served markedly slower (story clustering: about a tenth of its CPU time in malloc
/// and free, and nearly twice the page faults).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Cross-check news: find copies, contradictions and single-source claims across the versions
/// of a story.
#[derive(Parser)]
#[command(name = "crosscheck", version, propagate_version = true)]
#[command(
    after_help = "Example:\n  crosscheck analyze examples/harbor-bridge/ --format html -o report.html"
)]
struct Cli {
    /// Worker threads for parallel work [default: $RAYON_NUM_THREADS, else one per core]
    #[arg(short = 'j', long, global = true, value_name = "N",
          value_parser = clap::value_parser!(u16).range(1..))]
    threads: Option<u16>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Read articles (files or folders: .txt .md .html .htm .gz, RSS/Atom, WARC, JSONL), group
    /// them into stories and cross-check every story.
    #[command(
        after_help = "Example:\n  crosscheck analyze ../shared/corpus/seeds\n  crosscheck analyze examples/harbor-bridge/ --format json > report.json"
    )]
    Analyze(commands::analyze::Args),
    /// Check one text (a summary or rewrite) against its sources and list each unsupported or
    /// contradicted sentence.
    #[command(
        after_help = "Example:\n  crosscheck verify --source article.txt --claim summary.txt"
    )]
    Verify(commands::verify::Args),
    /// Run a benchmark with its published metric.
    #[command(subcommand)]
    Eval(commands::eval::Eval),
    /// Manage the optional sentence-embedding model.
    #[command(subcommand)]
    Model(commands::model::Model),
    /// Add files to a crosscheck library (SQLite).
    #[command(
        after_help = "Example:\n  crosscheck ingest --db crosscheck.db examples/harbor-bridge/"
    )]
    Ingest(commands::ingest::Args),
    /// Run the service: feed monitoring, web UI and JSON API over a library.
    #[command(
        after_help = "Example:\n  crosscheck serve --db crosscheck.db --feeds feeds.txt --listen 127.0.0.1:8080"
    )]
    Serve(commands::serve::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // One pool for every command, sized once: the library's parallel steps all run on it.
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(cli.threads.map_or(0, usize::from))
        .build_global();
    if let Err(err) = pool {
        eprintln!("crosscheck: cannot start worker threads: {err}");
        return ExitCode::from(2);
    }
    let result = match cli.command {
        Command::Analyze(args) => commands::analyze::run(args),
        Command::Verify(args) => commands::verify::run(args),
        Command::Eval(eval) => commands::eval::run(eval),
        Command::Model(model) => commands::model::run(model),
        Command::Ingest(args) => commands::ingest::run(args),
        Command::Serve(args) => commands::serve::run(args),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("crosscheck: {err:#}");
            ExitCode::from(2)
        }
    }
}
