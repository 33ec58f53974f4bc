#!/usr/bin/env python3
"""Baseline: near-duplicate clustering with datasketch's MinHashLSH, as it is typically used.

Each article becomes a MinHash (128 permutations) of its word 3-shingles (lower-cased \\w+
tokens); MinHashLSH at Jaccard threshold 0.5 proposes candidate pairs as each article is
inserted, and union-find over the candidate pairs gives the clusters. Prints articles per second
and, where the JSONL has `story` labels, the adjusted Rand index and pairwise P/R/F1.

usage: datasketch_stories.py FILE.jsonl [--limit N]
"""
import argparse
import json
import re
import sys
import time
from collections import Counter
from math import comb

from datasketch import MinHash, MinHashLSH

WORD = re.compile(r"\w+")


def find(parent, x):
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x


def metrics(gold, pred):
    cells = Counter(zip(gold, pred))
    both = sum(comb(n, 2) for n in cells.values())
    g = sum(comb(n, 2) for n in Counter(gold).values())
    p = sum(comb(n, 2) for n in Counter(pred).values())
    total = comb(len(gold), 2)
    expected = g * p / total if total else 0
    ari = (both - expected) / ((g + p) / 2 - expected) if (g + p) / 2 != expected else 1.0
    prec = both / p if p else 1.0
    rec = both / g if g else 1.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return ari, prec, rec, f1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--perms", type=int, default=128)
    ap.add_argument("--shingle", type=int, default=3)
    ap.add_argument("--threshold", type=float, default=0.5)
    a = ap.parse_args()
    start = time.perf_counter()
    lsh = MinHashLSH(threshold=a.threshold, num_perm=a.perms)
    parent, gold = [], []
    with open(a.file, encoding="utf-8") as f:
        for i, line in enumerate(f):
            if a.limit and i >= a.limit:
                break
            rec = json.loads(line)
            words = WORD.findall(rec["text"].lower())
            shingles = {" ".join(words[j:j + a.shingle]).encode()
                        for j in range(max(1, len(words) - a.shingle + 1))}
            m = MinHash(num_perm=a.perms)
            m.update_batch(list(shingles))
            parent.append(i)
            for j in lsh.query(m):
                ri, rj = find(parent, i), find(parent, j)
                if ri != rj:
                    parent[max(ri, rj)] = min(ri, rj)
            lsh.insert(i, m)
            gold.append(rec.get("story"))
    secs = time.perf_counter() - start
    n = len(parent)
    pred = [find(parent, i) for i in range(n)]
    out = {"tool": "datasketch MinHashLSH", "articles": n, "seconds": round(secs, 2),
           "articles_per_second": round(n / secs, 1), "clusters": len(set(pred))}
    labelled = [(g, p) for g, p in zip(gold, pred) if g is not None]
    if labelled:
        ari, prec, rec, f1 = metrics([g for g, _ in labelled], [p for _, p in labelled])
        out.update(adjusted_rand_index=round(ari, 4), pairwise_precision=round(prec, 4),
                   pairwise_recall=round(rec, 4), pairwise_f1=round(f1, 4))
    json.dump(out, sys.stdout)
    print()


if __name__ == "__main__":
    main()
