#!/usr/bin/env bash
# Story clustering benchmark: crosscheck against datasketch's MinHashLSH on the same corpora, in
# one run. Builds labelled corpora of 10k, 100k and 1M articles from real text in ../shared
# (bench/make_stories_corpus.py, deterministic), then prints articles/second and quality.
#
#   bench/stories.sh                 # FRANK + 10k + 100k + 1M
#   SIZES="10000" bench/stories.sh   # just the 10k corpus
#   THREADS=2                        # rayon threads for crosscheck (default 2)
#   DATASKETCH_LIMIT=20000           # datasketch reads at most this many articles of a corpus
#   ROUNDS=5                         # alternating runs of both tools per corpus; the ratio
#                                    # reported is the median of the rounds' ratios
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
OUT=bench/out
mkdir -p "$OUT"
SIZES=${SIZES:-"10000 100000 1000000"}
THREADS=${THREADS:-2}
DATASKETCH_LIMIT=${DATASKETCH_LIMIT:-20000}
ROUNDS=${ROUNDS:-5}
FRANK=../shared/bench/stories/frank-stories-valid.jsonl

if [ ! -x bench/.venv/bin/python ]; then
  python3 -m venv bench/.venv
fi
bench/.venv/bin/pip install -q datasketch

cargo build --release -p crosscheck >&2
BIN=$ROOT/target/release/crosscheck

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "crosscheck threads: $THREADS"

run_crosscheck() { # file label
  local log="$OUT/time-$2.txt"
  # Other work on the machine slows the two-threaded run more than the one-threaded baseline.
  echo "  load before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
  RAYON_NUM_THREADS=$THREADS /usr/bin/time -v "$BIN" eval stories "$1" --json \
    > "$OUT/crosscheck-$2.json" 2> "$log"
  local rss
  rss=$(grep 'Maximum resident' "$log" | awk '{print $NF}')
  local wall
  wall=$(grep 'Elapsed (wall' "$log" | awk '{print $NF}')
  python3 - "$OUT/crosscheck-$2.json" "$rss" "$wall" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
print(f"  crosscheck  {r['articles']:>8} articles  {r['articles_per_second']:>9.0f} art/s  "
      f"ARI {r['adjusted_rand_index']:.4f}  P {r['pairwise_precision']:.4f}  "
      f"R {r['pairwise_recall']:.4f}  F1 {r['pairwise_f1']:.4f}  "
      f"stories {r['predicted_stories']} (gold {r['gold_stories']})  "
      f"peak RSS {int(sys.argv[2]) / 1024:.0f} MiB  wall {sys.argv[3]}")
PY
}

run_datasketch() { # file label
  bench/.venv/bin/python bench/datasketch_stories.py "$1" --limit "$DATASKETCH_LIMIT" \
    > "$OUT/datasketch-$2.json"
  python3 - "$OUT/datasketch-$2.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
q = (f"ARI {r['adjusted_rand_index']:.4f}  P {r['pairwise_precision']:.4f}  "
     f"R {r['pairwise_recall']:.4f}  F1 {r['pairwise_f1']:.4f}") if 'pairwise_f1' in r else ""
print(f"  datasketch  {r['articles']:>8} articles  {r['articles_per_second']:>9.0f} art/s  {q}  "
      f"clusters {r['clusters']}")
PY
}

# Both tools on one corpus, alternating for ROUNDS rounds: the speed of either varies by 20-50%
# from minute to minute on a shared machine, so one round decides little.
compare() { # file label
  local r
  for r in $(seq "$ROUNDS"); do
    echo " round $r"
    run_crosscheck "$1" "$2-$r"
    run_datasketch "$1" "$2-$r"
  done
  python3 - "$OUT" "$2" "$ROUNDS" <<'PY'
import json, statistics, sys
out, label, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
load = lambda tool, r: json.load(open(f"{out}/{tool}-{label}-{r}.json"))
c = [load("crosscheck", r) for r in range(1, rounds + 1)]
d = [load("datasketch", r) for r in range(1, rounds + 1)]
ratios = sorted(a["articles_per_second"] / b["articles_per_second"] for a, b in zip(c, d))
print(f"  speed ratio crosscheck/datasketch: median {statistics.median(ratios):.0f}x over {rounds} "
      f"rounds (each: {', '.join(f'{x:.0f}x' for x in ratios)})"
      + ("" if d[0]['articles'] == c[0]['articles']
         else f"  (datasketch on the first {d[0]['articles']} articles)"))
PY
}

if [ -f "$FRANK" ]; then
  echo "== FRANK stories ($FRANK)"
  compare "$FRANK" frank
fi

for n in $SIZES; do
  f="$OUT/stories-$n.jsonl"
  # Rebuilt when missing or older than its generator.
  if [ ! -s "$f" ] || [ bench/make_stories_corpus.py -nt "$f" ]; then
    python3 bench/make_stories_corpus.py "$n" "$f.tmp" --seed 1
    mv "$f.tmp" "$f"
  fi
  echo "== synthetic corpus: $n articles ($f, $(du -h "$f" | cut -f1))"
  compare "$f" "$n"
done
