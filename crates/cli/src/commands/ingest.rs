use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use crosscheck_server::{Library, Outcome};
use crosscheck_store::{DuplicateBy, Store};

#[derive(clap::Args)]
pub struct Args {
    /// The library file (SQLite); created when missing.
    #[arg(long)]
    db: PathBuf,
    /// Files or folders (read recursively).
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    #[command(flatten)]
    model: super::ModelArgs,
    /// Store the articles but leave the analysis of their stories to a later run or the server.
    #[arg(long)]
    no_analysis: bool,
}

/// Exit codes: 0 when every input was read, 1 when some input was skipped (everything else was
/// stored), 2 on a fatal error (nothing of this run was stored).
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let ingested = crosscheck_ingest::read_paths(&args.paths, std::io::stderr().is_terminal());
    for s in &ingested.skipped {
        eprintln!("crosscheck: skipped {}: {}", s.source, s.reason);
    }
    let mut store =
        Store::open(&args.db).with_context(|| format!("cannot open {}", args.db.display()))?;
    let mut library = Library::load(&mut store).context("cannot read the library")?;
    let (outcomes, touched) = library
        .ingest(&mut store, &ingested.documents)
        .context("cannot store the articles")?;
    let (mut added, mut duplicates, mut failed) = (0, 0, 0);
    for (doc, outcome) in ingested.documents.iter().zip(&outcomes) {
        match outcome {
            Outcome::Added {
                added: a,
                new_story,
            } => {
                added += 1;
                println!(
                    "added {} (article {}) to {} story {}",
                    a.doc_id,
                    a.article,
                    if *new_story { "new" } else { "existing" },
                    a.story
                );
            }
            Outcome::Duplicate { of } => {
                duplicates += 1;
                let by = match of.by {
                    DuplicateBy::Url => "same URL",
                    DuplicateBy::Content => "same text",
                };
                println!("skipped {}: {by} as article {}", doc.source, of.article);
            }
            Outcome::Failed { reason } => {
                failed += 1;
                eprintln!("crosscheck: could not store {}: {reason}", doc.source);
            }
        }
    }
    println!(
        "{added} added, {duplicates} duplicates, {} unreadable, {failed} failed; {} stories changed",
        ingested.skipped.len(),
        touched.len()
    );
    if !args.no_analysis {
        let embedder = args.model.embedder();
        let opts = crosscheck_pipeline::Options { embedder };
        drop(store);
        let n = crosscheck_server::analyze_stale(&args.db, &opts).context("cannot analyse")?;
        println!("{n} stories analysed");
    }
    Ok(if ingested.skipped.is_empty() && failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
