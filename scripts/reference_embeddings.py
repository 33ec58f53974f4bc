#!/usr/bin/env python3
"""Reference sentence embeddings for crates/embed's test, from an independent numpy BERT.

The forward pass below is written from the BERT definition (Hugging Face `BertModel`, post-LN,
erf GELU) and the sentence-transformers pipeline (mean pooling over the attention mask, then L2
normalisation), in float64, one sentence at a time with no padding. The Rust embedder runs in
float32, batched and padded, so agreement to 1e-5 checks its batching, masking and pooling as
well as the model.

Setup (once):
    python3 -m venv /tmp/embed-venv
    /tmp/embed-venv/bin/pip install numpy safetensors tokenizers
    scripts/get-model.sh
Run:
    /tmp/embed-venv/bin/python scripts/reference_embeddings.py MODEL_DIR \
        > crates/embed/tests/data/reference.json
"""

import json
import math
import sys
from pathlib import Path

import numpy as np
from safetensors.numpy import load_file
from tokenizers import Tokenizer

# Short and long, accented, numeric, quoted, empty, and one past the 256-token limit so truncation
# is covered too.
SENTENCES = [
    "The minister resigned on Tuesday after three days of protests.",
    "After three days of demonstrations, the minister stepped down on Tuesday.",
    "Heavy rain is expected across the north of the country this weekend.",
    "Police said 14 people were injured, two of them seriously, in the blast near the station.",
    "\u201cWe will not back down,\u201d said Ren\u00e9e O\u2019Connor, the union\u2019s spokeswoman, in Z\u00fcrich.",
    "Shares fell 3.2% to $41.75 on the New York Stock Exchange.",
    "OK.",
    "",
    " ".join(
        ["The committee reviewed the budget, the schedule and the staffing plan in detail"] * 30
    )
    + ".",
]


def layer_norm(x, weight, bias, eps):
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * weight + bias


def gelu(x):
    erf = np.vectorize(math.erf)
    return 0.5 * x * (1.0 + erf(x / math.sqrt(2.0)))


def linear(w, prefix, x):
    return x @ w[prefix + ".weight"].T + w[prefix + ".bias"]


def encode(w, config, ids, type_ids):
    n = len(ids)
    heads = config["num_attention_heads"]
    hidden = config["hidden_size"]
    head = hidden // heads
    eps = config["layer_norm_eps"]
    x = (
        w["embeddings.word_embeddings.weight"][ids]
        + w["embeddings.token_type_embeddings.weight"][type_ids]
        + w["embeddings.position_embeddings.weight"][np.arange(n)]
    )
    x = layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], eps)
    for i in range(config["num_hidden_layers"]):
        p = f"encoder.layer.{i}"
        q = linear(w, p + ".attention.self.query", x).reshape(n, heads, head).transpose(1, 0, 2)
        k = linear(w, p + ".attention.self.key", x).reshape(n, heads, head).transpose(1, 0, 2)
        v = linear(w, p + ".attention.self.value", x).reshape(n, heads, head).transpose(1, 0, 2)
        scores = q @ k.transpose(0, 2, 1) / math.sqrt(head)
        scores = np.exp(scores - scores.max(-1, keepdims=True))
        probs = scores / scores.sum(-1, keepdims=True)
        context = (probs @ v).transpose(1, 0, 2).reshape(n, hidden)
        attn = linear(w, p + ".attention.output.dense", context)
        x = layer_norm(
            attn + x,
            w[p + ".attention.output.LayerNorm.weight"],
            w[p + ".attention.output.LayerNorm.bias"],
            eps,
        )
        inter = gelu(linear(w, p + ".intermediate.dense", x))
        out = linear(w, p + ".output.dense", inter)
        x = layer_norm(
            out + x, w[p + ".output.LayerNorm.weight"], w[p + ".output.LayerNorm.bias"], eps
        )
    return x


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: reference_embeddings.py MODEL_DIR > reference.json")
    model = Path(sys.argv[1])
    config = json.loads((model / "config.json").read_text())
    max_len = json.loads((model / "sentence_bert_config.json").read_text())["max_seq_length"]
    weights = {k: v.astype(np.float64) for k, v in load_file(str(model / "model.safetensors")).items()}
    tokenizer = Tokenizer.from_file(str(model / "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_length=max_len)

    items = []
    for text in SENTENCES:
        enc = tokenizer.encode(text)
        hidden = encode(weights, config, np.array(enc.ids), np.array(enc.type_ids))
        # Every token is real here (no padding), so the masked mean is the plain mean.
        pooled = hidden.mean(0)
        vector = pooled / max(np.linalg.norm(pooled), 1e-12)
        items.append(
            {
                "text": text,
                "tokens": len(enc.ids),
                "vector": [float(f"{x:.9g}") for x in vector],
            }
        )
    json.dump(
        {
            "model": "all-MiniLM-L6-v2",
            "generator": "scripts/reference_embeddings.py (numpy float64, unpadded)",
            "max_seq_length": max_len,
            "sentences": items,
        },
        sys.stdout,
        indent=1,
    )
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
