/// A sentence-embedding model: optional, used by stages that match paraphrases.
pub trait SentenceEmbedder: Send + Sync {
    /// Unit-length vectors, one per input text, in input order.
    fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, String>;
    /// A short name for reports (`all-MiniLM-L6-v2`).
    fn name(&self) -> &str;
}
