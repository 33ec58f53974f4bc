#!/usr/bin/env python3
"""Builds a labelled story-clustering corpus of N articles from real news text in ../shared.

Real sentences (Scrapinghub ground-truth article bodies and the FRANK source articles) are
recombined into new base articles; each story is a base article plus, for about half of the
stories, 1-8 further versions planted at known places in the stream:
  copy     the same text, sometimes with a boilerplate line added,
  trim     20-50% of the sentences dropped,
  rewrite  sentences reordered, 10-20% of the words substituted, 5-10% deleted, 20% of the
           sentences dropped and 1-2 unrelated sentences added.
Versions of a story are published within three days and appear within a few hundred articles
of each other, as in a news stream. The gold label is the story. Deterministic for a seed.

usage: make_stories_corpus.py N OUT.jsonl [--seed S]
"""
import argparse
import datetime
import heapq
import json
import os
import random
import re

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.path.join(HERE, "..", "..", "shared")
SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“‘'])|(?<=[a-z]\.)(?=[A-Z])")
EPOCH = datetime.date(2024, 1, 1)
BOILER = ["Sign up for our newsletter.", "Scroll down for video.", "Click here to read more.",
          "Follow us on Twitter."]


def sentences(text):
    for line in text.splitlines():
        for s in SPLIT.split(line.strip()):
            s = s.strip()
            if 6 <= len(s.split()) <= 60:
                yield s


def pool():
    out, seen = [], set()
    gt = os.path.join(SHARED, "bench/extraction/scrapinghub/ground-truth.json")
    with open(gt) as f:
        for v in json.load(f).values():
            out.extend(sentences(v.get("articleBody") or ""))
    with open(os.path.join(SHARED, "bench/factcheck/frank-valid.jsonl")) as f:
        for line in f:
            src = json.loads(line)["source"]
            if src not in seen:
                seen.add(src)
                out.extend(sentences(src))
    return sorted(set(out))


def rewrite(rng, sents, pool_sents):
    sents = [s for s in sents if rng.random() > 0.2] or sents[:1]
    sents = sents[:]
    rng.shuffle(sents)
    out = []
    sub, dele = rng.uniform(0.1, 0.2), rng.uniform(0.05, 0.1)
    for s in sents:
        words = []
        for w in s.split():
            r = rng.random()
            if r < dele:
                continue
            # A substitute is drawn from running text, so common words are drawn as often as
            # they occur, as in a human rewrite; not from the list of distinct words.
            words.append(rng.choice(rng.choice(pool_sents).split()) if r < dele + sub else w)
        out.append(" ".join(words))
    for _ in range(rng.randint(1, 2)):
        out.insert(rng.randrange(len(out) + 1), rng.choice(pool_sents))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("n", type=int)
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    sents = pool()
    heap, written, produced, story = [], 0, 0, 0
    # Stories start one per slot of the stream; a version's slot is delayed by up to 400 slots.
    days_per_doc = 365.0 / max(a.n, 1)
    with open(a.out, "w") as f:
        def emit(upto):
            nonlocal written
            while heap and (upto is None or heap[0][0] <= upto) and written < a.n:
                _, _, rec = heapq.heappop(heap)
                f.write(json.dumps(rec, ensure_ascii=False) + "\n")
                written += 1

        while produced < a.n:
            start = produced
            base = rng.sample(sents, rng.randint(6, 20))
            extra = rng.randint(1, 8) if rng.random() < 0.5 else 0
            day0 = int(start * days_per_doc)
            versions = [("original", base)]
            for _ in range(extra):
                kind = rng.choice(["copy", "trim", "rewrite", "rewrite"])
                if kind == "copy":
                    v = base[:]
                    if rng.random() < 0.5:
                        v.insert(rng.randrange(len(v) + 1), rng.choice(BOILER))
                elif kind == "trim":
                    keep = rng.uniform(0.5, 0.8)
                    v = [s for s in base if rng.random() < keep] or base[:1]
                else:
                    v = rewrite(rng, base, sents)
                versions.append((kind, v))
            for k, (kind, v) in enumerate(versions):
                delay = 0 if k == 0 else rng.randint(1, 400)
                day = day0 + (0 if k == 0 else rng.randint(0, 3))
                d = (EPOCH + datetime.timedelta(days=day)).isoformat()
                rec = {"id": f"d{produced}", "story": f"g{story}", "kind": kind,
                       "published": d, "text": "\n\n".join(v)}
                heapq.heappush(heap, (start + delay, produced, rec))
                produced += 1
            story += 1
            emit(start - 400)
        emit(None)


if __name__ == "__main__":
    main()
