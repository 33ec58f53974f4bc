pub mod analyze;
pub mod eval;
pub mod ingest;
pub mod model;
pub mod serve;
pub mod verify;

use std::path::PathBuf;
use std::sync::Arc;

use crosscheck_model::SentenceEmbedder;

/// The model options of the commands that run the whole pipeline: a model is used when one is
/// installed, unless the user opts out.
#[derive(clap::Args)]
pub struct ModelArgs {
    /// Sentence-embedding model directory (default: $CROSSCHECK_MODEL or the fetched model).
    #[arg(long = "model")]
    dir: Option<PathBuf>,
    /// Match lexically only, even when a model is installed.
    #[arg(long, conflicts_with = "dir")]
    no_model: bool,
}

/// The model of the commands where it is opt-in (verification and benchmarks): loaded only
/// when `--model DIR` names one, so their figures stay lexical by default.
pub fn requested_model(dir: Option<&std::path::Path>) -> Option<crosscheck_embed::Embedder> {
    dir.and_then(|d| crosscheck_embed::load_optional(Some(d)))
}

impl ModelArgs {
    pub fn embedder(&self) -> Option<Arc<dyn SentenceEmbedder>> {
        if self.no_model {
            return None;
        }
        crosscheck_embed::load_optional(self.dir.as_deref())
            .map(|e| Arc::new(e) as Arc<dyn SentenceEmbedder>)
    }
}
