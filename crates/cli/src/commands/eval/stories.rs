use std::path::PathBuf;
use std::process::ExitCode;

use crosscheck_model::SentenceEmbedder;

#[derive(clap::Args)]
pub struct Args {
    /// JSON Lines: one article per line with `text` (optional `id`, `title`, `published`) and
    /// the gold `story` label.
    pub file: PathBuf,
    /// Sentence-embedding model folder: helps with rewrites of little lexical overlap. Without
    /// it clustering is purely lexical.
    #[arg(long, value_name = "DIR")]
    pub model: Option<PathBuf>,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let embedder = crate::commands::requested_model(args.model.as_deref());
    let r = crosscheck_eval::stories::evaluate(
        &args.file,
        embedder.as_ref().map(|e| e as &dyn SentenceEmbedder),
    )?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&r)?);
        return Ok(ExitCode::SUCCESS);
    }
    println!("file                 {}", args.file.display());
    println!(
        "articles             {} ({} labelled, {} lines skipped)",
        r.articles, r.labelled, r.skipped
    );
    println!(
        "stories              {} predicted, {} gold",
        r.predicted_stories, r.gold_stories
    );
    println!("adjusted Rand index  {:.4}", r.adjusted_rand_index);
    println!(
        "pairwise             precision {:.4}  recall {:.4}  F1 {:.4}",
        r.pairwise_precision, r.pairwise_recall, r.pairwise_f1
    );
    println!(
        "speed                {:.0} articles/s ({:.2} s, {} threads)",
        r.articles_per_second,
        r.seconds,
        rayon::current_num_threads()
    );
    if let Some(m) = &r.model {
        println!("model                {m}");
    }
    Ok(ExitCode::SUCCESS)
}
