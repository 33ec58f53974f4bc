use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;

#[derive(clap::Args)]
pub struct Args {
    /// The library file (SQLite); created when missing.
    #[arg(long)]
    db: PathBuf,
    /// Feeds to monitor: OPML, or text with one `URL [MINUTES]` a line.
    #[arg(long)]
    feeds: Option<PathBuf>,
    /// Address to listen on; port 0 picks a free port (the address is printed).
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// Bearer token that writes (POST) must present; also read from $CROSSCHECK_TOKEN. Without
    /// one, writes are refused.
    #[arg(long)]
    token: Option<String>,
    /// Require the token for reads too.
    #[arg(long)]
    private: bool,
    /// Minutes between polls of a feed that names no interval of its own.
    #[arg(long, default_value_t = 15)]
    poll_minutes: u64,
    /// Largest accepted request body, in bytes.
    #[arg(long, default_value_t = crosscheck_server::DEFAULT_MAX_BODY)]
    max_body: usize,
    #[command(flatten)]
    model: super::ModelArgs,
    /// Store articles without analysing their stories (they stay pending for a later
    /// `crosscheck ingest` or `serve` to analyse).
    #[arg(long)]
    no_analysis: bool,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let token = args
        .token
        .or_else(|| std::env::var("CROSSCHECK_TOKEN").ok())
        .filter(|t| !t.is_empty());
    if args.private && token.is_none() {
        anyhow::bail!("--private needs a token (--token or $CROSSCHECK_TOKEN)");
    }
    let feeds = match &args.feeds {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            crosscheck_server::feeds::parse_list(
                &text,
                Duration::from_secs(args.poll_minutes.max(1) * 60),
            )
            .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?
        }
        None => Vec::new(),
    };
    let embedder = if args.no_analysis {
        None
    } else {
        args.model.embedder()
    };
    crosscheck_server::run(crosscheck_server::Config {
        db: args.db,
        listen: args.listen,
        token,
        private: args.private,
        max_body: args.max_body,
        feeds,
        analysis: (!args.no_analysis).then_some(crosscheck_pipeline::Options { embedder }),
    })?;
    Ok(ExitCode::SUCCESS)
}
