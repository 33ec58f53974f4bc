//! Optional sentence embeddings (BERT-family models via candle) for paraphrase matching.
