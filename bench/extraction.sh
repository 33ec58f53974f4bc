#!/usr/bin/env bash
# Main-text extraction: Python trafilatura beside `crosscheck eval extraction`, same pages,
# same metric, all cores each.
#
# Usage: bench/extraction.sh [BENCHMARK_DIR]   (default: ../shared/bench/extraction/scrapinghub)
set -euo pipefail
cd "$(dirname "$0")/.."
DIR="${1:-../shared/bench/extraction/scrapinghub}"
if [ ! -f "$DIR/ground-truth.json" ]; then
    echo "skipping: no benchmark at $DIR" >&2
    exit 0
fi

if [ ! -x bench/.venv/bin/python ]; then
    python3 -m venv bench/.venv
fi
bench/.venv/bin/pip install --quiet --disable-pip-version-check trafilatura lxml_html_clean

cargo build --release --quiet -p crosscheck

echo "machine: $(nproc) cores, $(uname -m), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
echo
echo "== Python trafilatura (default settings, as published)"
bench/.venv/bin/python bench/extraction.py "$DIR"
echo
echo "== Python trafilatura, fast mode (no fallback extractors, like crosscheck's settings)"
bench/.venv/bin/python bench/extraction.py "$DIR" --fast
echo
echo "== crosscheck eval extraction (Rust, trafilatura crate)"
target/release/crosscheck eval extraction "$DIR"
