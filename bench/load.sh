#!/usr/bin/env bash
# Service load run on loopback only, bounded in time and requests:
#   1. fills a library with N generated articles (real texts recombined; default 100000),
#   2. analyses its stories for at most ANALYSE_SECONDS,
#   3. starts `crosscheck serve` on 127.0.0.1 and measures reads per second with latency
#      percentiles (a GET mix, then story detail only) for SECONDS each,
#   4. measures ingest throughput of POST /api/articles for SECONDS.
# Usage: bench/load.sh [N] [SECONDS] [THREADS]      (from the repository root)
set -euo pipefail
N=${1:-100000}
SECONDS_PER_RUN=${2:-20}
THREADS=${3:-16}
ANALYSE_SECONDS=${ANALYSE_SECONDS:-120}
SHARED=${SHARED:-../shared}
OUT=${OUT:-bench/out/load}
PORT=${PORT:-18473}
TOKEN=load-$$
mkdir -p "$OUT"
DB="$OUT/load-$N.db"

# NO_BUILD=1 reuses the release binaries already built.
if [ -z "${NO_BUILD:-}" ]; then
  cargo build --release -p crosscheck -p crosscheck-server --bins --examples
fi
BIN=target/release/crosscheck
GEN=target/release/examples/loadgen

if [ ! -f "$DB" ]; then
  "$GEN" populate "$DB" "$SHARED" "$N"
fi
# Analyse stories for a bounded time (the rest stay pending and are served without analysis).
timeout "$ANALYSE_SECONDS" "$BIN" serve --db "$DB" --no-model --listen "127.0.0.1:$PORT" >/dev/null 2>&1 || true

# Measured with the analyser off, so that reads and writes do not compete with it for the CPU.
"$BIN" serve --db "$DB" --no-analysis --listen "127.0.0.1:$PORT" --token "$TOKEN" > "$OUT/serve.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do
  if curl -fsS "http://127.0.0.1:$PORT/healthz" 2>/dev/null | grep -q '"ready":true'; then break; fi
  sleep 0.5
done
curl -fsS "http://127.0.0.1:$PORT/api/status"; echo
"$GEN" reads "http://127.0.0.1:$PORT" "$SECONDS_PER_RUN" "$THREADS"
"$GEN" writes "http://127.0.0.1:$PORT" "$TOKEN" "$SECONDS_PER_RUN" "$THREADS" "$((N + 1000000))" "$SHARED"
curl -fsS "http://127.0.0.1:$PORT/api/status"; echo
