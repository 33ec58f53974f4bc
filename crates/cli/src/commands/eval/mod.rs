use std::process::ExitCode;

mod extraction;
mod factcheck;
mod stories;

#[derive(clap::Subcommand)]
pub enum Eval {
    /// Main-text extraction against a benchmark laid out like Scrapinghub's
    /// (`html/<id>.html.gz` + `ground-truth.json`): precision, recall, F1, pages per second.
    #[command(
        after_help = "Example:\n  crosscheck eval extraction ../shared/bench/extraction/scrapinghub"
    )]
    Extraction(extraction::Args),
    /// Story clustering against gold labels (JSONL with a `story` field): adjusted Rand index,
    /// pairwise precision/recall/F1, articles per second.
    #[command(
        after_help = "Example:\n  crosscheck eval stories ../shared/bench/stories/frank-stories-valid.jsonl"
    )]
    Stories(stories::Args),
    /// Summary fact checking on FRANK-style pairs: balanced accuracy per dataset beside the
    /// published baselines, pairs per second.
    #[command(
        after_help = "Example:\n  crosscheck eval factcheck ../shared/bench/factcheck/frank-valid.jsonl"
    )]
    Factcheck(factcheck::Args),
}

pub fn run(eval: Eval) -> anyhow::Result<ExitCode> {
    match eval {
        Eval::Extraction(args) => extraction::run(args),
        Eval::Stories(args) => stories::run(args),
        Eval::Factcheck(args) => factcheck::run(args),
    }
}
