use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use crosscheck_model::Analysis;

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Format {
    /// Compact summary for a terminal.
    Text,
    /// The full analysis, versioned schema (schema/report.schema.json).
    Json,
    /// Markdown summary, for a ticket or a newsroom chat.
    Md,
    /// One self-contained HTML page: versions side by side, findings highlighted.
    Html,
    /// Only what was read: one row per document (outlet, title, date, words, paragraphs).
    Documents,
}

#[derive(clap::Args)]
pub struct Args {
    /// Files or folders (read recursively).
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    #[arg(long, short, value_enum, default_value = "text")]
    format: Format,
    /// Write the report to this file instead of standard output.
    #[arg(long, short)]
    output: Option<PathBuf>,
    #[command(flatten)]
    model: super::ModelArgs,
    /// Print how long reading and analysing took, to standard error.
    #[arg(long)]
    timings: bool,
}

/// Exit codes: 0 when every input was read, 1 when some input was skipped (the report still
/// covers the rest), 2 on a fatal error.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let progress = std::io::stderr().is_terminal();
    let ingested = crosscheck_ingest::read_paths(&args.paths, progress);
    for s in &ingested.skipped {
        eprintln!("crosscheck: skipped {}: {}", s.source, s.reason);
    }
    let read = started.elapsed();

    let analysis = if let Format::Documents = args.format {
        Analysis {
            documents: ingested.documents,
            stories: Vec::new(),
            skipped: ingested.skipped,
        }
    } else {
        let embedder = args.model.embedder();
        let opts = crosscheck_pipeline::Options { embedder };
        let mut analysis = crosscheck_pipeline::analyze(ingested.documents, &opts);
        analysis.skipped = ingested.skipped;
        analysis
    };
    if args.timings {
        eprintln!(
            "crosscheck: read {} documents in {:.1} ms, analysed {} stories in {:.1} ms",
            analysis.documents.len(),
            read.as_secs_f64() * 1e3,
            analysis.stories.len(),
            (started.elapsed() - read).as_secs_f64() * 1e3
        );
    }

    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let color = to_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let rendered = match args.format {
        Format::Text => crosscheck_report::terminal(&analysis, color),
        Format::Json => crosscheck_report::json(&analysis),
        Format::Md => crosscheck_report::markdown(&analysis),
        Format::Html => crosscheck_report::html(&analysis),
        Format::Documents => crosscheck_report::documents_table(&analysis),
    };
    match &args.output {
        Some(path) => std::fs::write(path, rendered)
            .with_context(|| format!("cannot write {}", path.display()))?,
        None => {
            let mut out = std::io::stdout().lock();
            // A closed pipe (`| head`) is not an error worth reporting.
            if let Err(e) = out.write_all(rendered.as_bytes()).and_then(|_| out.flush()) {
                if e.kind() != std::io::ErrorKind::BrokenPipe {
                    return Err(e).context("cannot write to standard output");
                }
            }
        }
    }
    Ok(if analysis.skipped.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
