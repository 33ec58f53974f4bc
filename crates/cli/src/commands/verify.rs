use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use crosscheck_model::{Document, SentenceEmbedder};
use crosscheck_verify::{Status, Verification};

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Format {
    /// The flagged sentences with their reasons and evidence, then the verdict.
    Text,
    /// Every sentence with its score, status, reasons and evidence offsets.
    Json,
}

#[derive(clap::Args)]
pub struct Args {
    /// A source text the claim should follow (any format `analyze` reads); repeat for several.
    #[arg(long = "source", required = true)]
    sources: Vec<PathBuf>,
    /// The text to check: a summary or rewrite of the sources.
    #[arg(long)]
    claim: PathBuf,
    #[arg(long, short, value_enum, default_value = "text")]
    format: Format,
    /// Sentence-embedding model directory: helps align reworded sentences. Without it the check
    /// is lexical (the default decision threshold was fitted that way).
    #[arg(long)]
    model: Option<PathBuf>,
}

/// Exit codes: 0 when every sentence of the claim is supported, 1 when some is not, 2 on a
/// fatal error (unreadable input).
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let mut sources = Vec::new();
    for path in &args.sources {
        sources.extend(read(path)?);
    }
    let claims = read(&args.claim)?;
    let claim = join(claims);
    let embedder = super::requested_model(args.model.as_deref());
    let embedder = embedder.as_ref().map(|e| e as &dyn SentenceEmbedder);
    let verification = crosscheck_verify::verify(&sources, &claim, embedder);
    let rendered = match args.format {
        Format::Text => text(&verification),
        Format::Json => {
            let mut s = serde_json::to_string_pretty(&verification)?;
            s.push('\n');
            s
        }
    };
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(rendered.as_bytes()).and_then(|_| out.flush()) {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            return Err(e).context("cannot write to standard output");
        }
    }
    Ok(if verification.supported {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// The documents of one input; an input that yields none is an error, since checking against
/// (or checking) nothing would give a meaningless verdict.
fn read(path: &Path) -> anyhow::Result<Vec<Document>> {
    let ingested = crosscheck_ingest::read_path(path);
    for s in &ingested.skipped {
        eprintln!("crosscheck: skipped {}: {}", s.source, s.reason);
    }
    if ingested.documents.is_empty() {
        anyhow::bail!("no text could be read from {}", path.display());
    }
    Ok(ingested.documents)
}

/// A claim file that holds several documents (a feed, a JSONL file) is checked as one text.
fn join(mut docs: Vec<Document>) -> Document {
    if docs.len() == 1 {
        return docs.remove(0);
    }
    let id = docs[0].id.clone();
    let source = docs[0].source.clone();
    let blocks: Vec<(crosscheck_model::BlockKind, String)> = docs
        .iter()
        .flat_map(|d| {
            d.blocks
                .iter()
                .map(|b| (b.kind, d.block_text(b).to_string()))
        })
        .collect();
    Document::from_blocks(id, source, blocks.iter().map(|(k, t)| (*k, t.as_str())))
}

fn text(v: &Verification) -> String {
    let mut out = String::new();
    for s in v.flagged() {
        let status = match s.status {
            Status::Contradicted => "CONTRADICTED",
            _ => "UNSUPPORTED",
        };
        out.push_str(&format!(
            "{status} (score {:.2}) sentence {}: {}\n",
            s.score,
            s.sentence + 1,
            s.text
        ));
        for r in &s.reasons {
            out.push_str(&format!("  - {}\n", r.message));
        }
        for e in &s.evidence {
            out.push_str(&format!(
                "  source {} [{}..{}]: {}\n",
                e.doc, e.chars.0, e.chars.1, e.text
            ));
        }
        out.push('\n');
    }
    let flagged = v.flagged().count();
    out.push_str(&format!(
        "{}: {} of {} sentences supported (score {:.2}, threshold {:.2})\n",
        if v.supported {
            "SUPPORTED"
        } else {
            "NOT SUPPORTED"
        },
        v.sentences.len() - flagged,
        v.sentences.len(),
        v.score,
        v.threshold
    ));
    out
}
