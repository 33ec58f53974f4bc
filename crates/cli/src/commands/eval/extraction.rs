use std::path::PathBuf;
use std::process::ExitCode;

use crosscheck_eval::extraction::evaluate;

#[derive(clap::Args)]
pub struct Args {
    /// Benchmark folder: `html/<id>.html.gz` and `ground-truth.json`.
    pub dir: PathBuf,
    /// Also list this many pages with the lowest F1.
    #[arg(long, default_value_t = 0)]
    pub worst: usize,
    /// Print the report (with every page's score) as JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let report = evaluate(&args.dir)?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(ExitCode::SUCCESS);
    }
    println!("pages        {}", report.pages);
    println!("precision    {:.4}", report.precision);
    println!("recall       {:.4}", report.recall);
    println!("F1           {:.4}", report.f1);
    println!(
        "speed        {:.1} pages/s ({} pages in {:.2} s, {} threads)",
        report.pages_per_second, report.pages, report.seconds, report.threads
    );
    match report.date_accuracy() {
        Some(acc) => println!(
            "dates        {:.4} ({}/{} pages with a true date)",
            acc, report.dates_correct, report.dated_pages
        ),
        None => println!("dates        n/a (the ground truth has no dates)"),
    }
    let failed = report.per_page.iter().filter(|p| p.error.is_some()).count();
    if failed > 0 {
        println!("no text      {failed} pages");
    }
    for page in report.worst(args.worst) {
        println!(
            "  {:.3}  P {:.3}  R {:.3}  {}{}",
            page.f1(),
            page.precision().unwrap_or(0.0),
            page.recall().unwrap_or(0.0),
            page.id,
            page.error
                .as_deref()
                .map(|e| format!("  ({e})"))
                .unwrap_or_default()
        );
    }
    Ok(ExitCode::SUCCESS)
}
