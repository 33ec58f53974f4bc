"""Python trafilatura on an article-extraction benchmark laid out like Scrapinghub's.

Scores with the benchmark's own metric (as `crosscheck eval extraction` does): `\\w+` tokens,
bags of 4-token shingles, per-page tp/fp/fn normalised to sum to 1, precision averaged over
pages with a prediction, recall over pages with a truth, F1 of the two means. Pages are
extracted on all cores (multiprocessing), timed from the first page read to the last page
extracted, gzip decompression included, as on the Rust side.

Usage: python extraction.py BENCHMARK_DIR [--fast]
(--fast: trafilatura's fast mode, without its readability/justext fallback)
"""

import gzip
import json
import os
import re
import sys
import time
from collections import Counter
from multiprocessing import Pool

TOKEN = re.compile(r"\w+", re.UNICODE | re.MULTILINE | re.IGNORECASE | re.DOTALL)


def shingles(text, n=4):
    tokens = TOKEN.findall(text or "")
    out = [tuple(tokens[i:i + n]) for i in range(0, max(1, len(tokens) - n + 1))]
    return Counter(s for s in out if s)


def shingle_match(true, pred):
    t, p = shingles(true), shingles(pred)
    tp = fp = fn = 0.0
    for key in set(t) | set(p):
        tc, pc = t.get(key, 0), p.get(key, 0)
        tp += min(tc, pc)
        fp += max(0, pc - tc)
        fn += max(0, tc - pc)
    s = tp + fp + fn
    if s > 0:
        tp, fp, fn = tp / s, fp / s, fn / s
    return tp, fp, fn


def init_worker(fast):
    global trafilatura, FAST
    import trafilatura
    FAST = fast


def extract(job):
    path, url = job
    with open(path, "rb") as f:
        raw = f.read()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    return trafilatura.extract(raw, url=url, include_comments=False, fast=FAST) or ""


def main():
    root = sys.argv[1]
    fast = "--fast" in sys.argv[2:]
    truth = json.load(open(os.path.join(root, "ground-truth.json"), encoding="utf-8"))
    ids = sorted(truth)
    jobs = []
    for i in ids:
        path = os.path.join(root, "html", i + ".html.gz")
        if not os.path.exists(path):
            path = os.path.join(root, "html", i + ".html")
        jobs.append((path, truth[i].get("url")))
    procs = os.cpu_count() or 1
    with Pool(procs, initializer=init_worker, initargs=(fast,)) as pool:
        # Warm the workers (imports, lazy compilation) outside the timing, as Rust has no
        # such start-up cost to hide.
        pool.map(extract, jobs[: procs * 2], chunksize=1)
        start = time.perf_counter()
        preds = pool.map(extract, jobs, chunksize=1)
        seconds = time.perf_counter() - start
    scores = [shingle_match(truth[i].get("articleBody", ""), p) for i, p in zip(ids, preds)]
    precisions = [tp / (tp + fp) for tp, fp, fn in scores if tp + fp > 0]
    recalls = [tp / (tp + fn) for tp, fp, fn in scores if tp + fn > 0]
    precision = sum(precisions) / len(precisions) if precisions else 0.0
    recall = sum(recalls) / len(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    import trafilatura as t
    print(f"pages        {len(ids)}")
    print(f"precision    {precision:.4f}")
    print(f"recall       {recall:.4f}")
    print(f"F1           {f1:.4f}")
    print(f"speed        {len(ids) / seconds:.1f} pages/s ({len(ids)} pages in {seconds:.2f} s, {procs} processes)")
    print(f"version      trafilatura {t.__version__}{' (fast mode)' if fast else ''}")


if __name__ == "__main__":
    main()
