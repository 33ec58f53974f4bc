use std::path::PathBuf;
use std::process::ExitCode;

use crosscheck_eval::factcheck;
use crosscheck_model::SentenceEmbedder;

#[derive(clap::Args)]
pub struct Args {
    /// FRANK-style JSONL: `id`, `dataset`, `source`, `claim`, `factual` per line.
    file: PathBuf,
    /// Published metrics' scores for the same ids (JSONL: `id` and one number per metric).
    /// Default: `<FILE stem>-baselines.jsonl` beside FILE, when it exists.
    #[arg(long)]
    baselines: Option<PathBuf>,
    /// Sentence-embedding model directory, to help alignment. Without it the check is
    /// lexical, which is how the default threshold was fitted.
    #[arg(long)]
    model: Option<PathBuf>,
    /// Print the full report (per dataset and per item) as JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let items = factcheck::read_items(&args.file)?;
    let baselines_path = args.baselines.clone().or_else(|| {
        let stem = args.file.file_stem()?.to_str()?;
        let p = args.file.with_file_name(format!("{stem}-baselines.jsonl"));
        p.exists().then_some(p)
    });
    let baselines = match &baselines_path {
        Some(p) => factcheck::read_baselines(p)?,
        None => Default::default(),
    };
    let embedder = crate::commands::requested_model(args.model.as_deref());
    let embedder = embedder.as_ref().map(|e| e as &dyn SentenceEmbedder);
    let report = factcheck::evaluate(&items, &baselines, embedder);
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(ExitCode::SUCCESS);
    }

    println!(
        "crosscheck verify at its default threshold ({:.2}){}; baselines at their best threshold on these items",
        report.threshold,
        match embedder {
            Some(e) => format!(", model {}", e.name()),
            None => ", lexical".to_string(),
        }
    );
    for d in &report.datasets {
        println!(
            "\n{}: {} pairs, {} factual\n  {:<26} {:>8} {:>6}",
            d.dataset, d.items, d.factual, "metric", "bal.acc", "items"
        );
        println!(
            "  {:<26} {:>8.3} {:>6}",
            "crosscheck (default)", d.balanced_accuracy, d.items
        );
        println!(
            "  {:<26} {:>8.3} {:>6}",
            "crosscheck (oracle thr.)", d.oracle_balanced_accuracy, d.items
        );
        for b in &d.baselines {
            println!(
                "  {:<26} {:>8.3} {:>6}",
                b.metric, b.balanced_accuracy, b.items
            );
        }
        if let Some(best) = d.best_baseline() {
            println!(
                "  => {} the best baseline ({} {:.3}) by {:+.3}",
                if d.balanced_accuracy > best.balanced_accuracy {
                    "beats"
                } else {
                    "does NOT beat"
                },
                best.metric,
                best.balanced_accuracy,
                d.balanced_accuracy - best.balanced_accuracy
            );
        }
    }
    println!(
        "\n{} pairs in {:.2} s: {:.0} pairs/s",
        report.pairs, report.seconds, report.pairs_per_second
    );
    Ok(ExitCode::SUCCESS)
}
