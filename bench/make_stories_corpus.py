#!/usr/bin/env python3
"""Builds a labelled story-clustering corpus of N articles from real news text in ../shared.

Real English sentences (Scrapinghub ground-truth article bodies and the FRANK source articles,
about 7 000 distinct sentences of 6-60 words in which at least one word in six is a common
English function word, which leaves out the pages in other languages) are recombined into new base articles; each story is a base article
plus, for about half of the stories, 1-8 further versions planted at known places in the stream:
  copy     the same text, sometimes with a boilerplate line added,
  trim     20-50% of the sentences dropped,
  rewrite  sentences reordered, 10-20% of the words substituted, 5-10% deleted, 20% of the
           sentences dropped and 1-2 unrelated sentences added.
Versions of a story are published within three days and appear within a few hundred articles
of each other, as in a news stream. The gold label is the story. Deterministic for a seed.

Distinct stories must be distinct events. With only ~8 000 real sentences, a million articles
would reuse each one ~1 600 times, so unrelated stories would share whole sentences, which real
news events do not. Two things keep the text real while making stories distinct:
  splicing  90% of the base sentences that have a phrase boundary (nearly all have one) are
            spliced from two real sentences:
            the first one up to a phrase boundary (a comma, a semicolon, or the space
            before a conjunction such as "and", "which" or a preposition such as "of", "to")
            and the second one from one of its phrase boundaries on, so the pool of distinct sentences is tens of
            millions instead of thousands, while every phrase is real news text;
  entities  each story gets its own cast of 3-8 named entities and its own numbers: every
            proper noun of its sentences (a capitalised word that the pool never writes in
            lower case) is replaced, consistently within the story, by a member of the cast
            (the first members most often: a story keeps coming back to its protagonists), and
            every number by a random number of as many digits (years stay plausible years).
            Cast names are invented words drawn from a vocabulary of 200 000 with a
            Zipf-Mandelbrot law (weight 1/(rank + 20)), so popular names recur across many
            stories, as heads of state and big cities do in real news (the most popular in
            about 3% of the stories), and rare ones in few.
All versions of a story are derived from its base article after these substitutions, so they
share the story's names and numbers, as versions of one real event do.

usage: make_stories_corpus.py N OUT.jsonl [--seed S]
"""
import argparse
import bisect
import datetime
import heapq
import itertools
import json
import os
import random
import re

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.path.join(HERE, "..", "..", "shared")
SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“‘'])|(?<=[a-z]\.)(?=[A-Z])")
TOKEN = re.compile(r"[A-Za-z][A-Za-z’'-]*|\d[\d,.]*\d|\d")
CLAUSE = re.compile(r"[,;] | (?=(?:and|but|after|when|while|because|which|who|where|to|in|of|"
                    r"for|with|on|at|from) )")
# An English sentence has some of these; the pool's pages in other languages do not.
ENGLISH = {"the", "a", "an", "of", "to", "in", "and", "is", "was", "for", "on", "that", "with",
           "it", "he", "she", "they", "we", "you", "i", "at", "by", "from", "as", "be", "are",
           "has", "have", "had", "this", "not", "but", "his", "her", "their", "will", "said"}
EPOCH = datetime.date(2024, 1, 1)
BOILER = ["Sign up for our newsletter.", "Scroll down for video.", "Click here to read more.",
          "Follow us on Twitter."]
NAMES = 200_000
# The most popular name then appears in about 3% of stories, as the most reported person or
# place does in real news; with plain Zipf (offset 0) it would be in a third of them.
NAME_OFFSET = 20
CAST_WEIGHTS = [1 / (i + 1) for i in range(8)]
ONSETS = ["b", "br", "c", "ch", "d", "dr", "f", "g", "gr", "h", "j", "k", "kr", "l", "m", "n",
          "p", "pr", "r", "s", "sh", "st", "t", "tr", "v", "w", "z"]
VOWELS = ["a", "e", "i", "o", "u", "ai", "ea", "ou"]
CODAS = ["", "", "", "n", "r", "l", "s", "m", "k", "th", "nd", "rt"]


def sentences(text):
    for line in text.splitlines():
        for s in SPLIT.split(line.strip()):
            s = s.strip()
            words = s.lower().split()
            if 6 <= len(words) <= 60 and sum(w in ENGLISH for w in words) >= len(words) / 6:
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


def proper_nouns(sents):
    """Capitalised words that the pool never writes in lower case (names, places, brands)."""
    lower, capital = set(), set()
    for s in sents:
        for i, m in enumerate(TOKEN.finditer(s)):
            w = m.group()
            if w[0].islower():
                lower.add(w.lower())
            elif i > 0 and w[0].isupper() and not w.isupper():
                capital.add(w)
    return {w for w in capital if w.lower() not in lower}


def invented(i):
    """The i-th invented name: a deterministic pronounceable word of two or three syllables."""
    r = random.Random(i * 7919 + 17)
    syll = 2 + (r.random() < 0.4)
    w = "".join(r.choice(ONSETS) + r.choice(VOWELS) + r.choice(CODAS) for _ in range(syll))
    return w.capitalize()


class Names:
    """Invented names with a Zipf-Mandelbrot popularity (weight 1/(rank + NAME_OFFSET))."""

    def __init__(self):
        self.cum = list(itertools.accumulate(1.0 / (r + 1 + NAME_OFFSET) for r in range(NAMES)))
        self.names = [invented(i) for i in range(NAMES)]

    def draw(self, rng):
        i = bisect.bisect_left(self.cum, rng.random() * self.cum[-1])
        return self.names[min(i, NAMES - 1)]


def splice(rng, sents, cuts):
    """A base sentence: either a real one, or the head of one real sentence up to a phrase
    boundary followed by the tail of another from one of its phrase boundaries."""
    a = rng.choice(sents)
    if rng.random() < 0.1 or not cuts[a]:
        return a
    for _ in range(8):
        b = rng.choice(sents)
        if cuts[b] and b != a:
            return a[:rng.choice(cuts[a])] + b[rng.choice(cuts[b]):]
    return a


def localise(rng, text, nouns, cast, mapping):
    """Replaces the proper nouns and numbers of `text` with the story's own: each proper noun
    becomes one of the story's cast of names (`cast`, the first ones most often), the same one
    wherever it recurs in the story (`mapping`)."""
    def sub(m):
        w = m.group()
        if w[0].isdigit():
            if w not in mapping:
                digits = sum(c.isdigit() for c in w)
                if w.isdigit() and 1900 <= int(w) <= 2099:
                    new = str(rng.randint(1950, 2030))  # a year stays a plausible year
                else:
                    new = str(rng.randrange(10 ** (digits - 1) if digits > 1 else 0, 10 ** digits))
                # Keep separators where they were for long numbers ("12,500" stays "NN,NNN").
                if not w.isdigit() and len(new) == digits:
                    it = iter(new)
                    new = "".join(next(it) if c.isdigit() else c for c in w)
                mapping[w] = new
            return mapping[w]
        stem = w[:-2] if w.endswith(("'s", "’s")) else w
        if stem not in nouns:
            return w
        if stem not in mapping:
            mapping[stem] = rng.choices(cast, weights=CAST_WEIGHTS[:len(cast)])[0]
        return mapping[stem] + w[len(stem):]
    return TOKEN.sub(sub, text)


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
    # A phrase boundary with real text on either side: the tail starts at the comma or the
    # space before the conjunction.
    cuts = {s: [m.start() for m in CLAUSE.finditer(s) if 10 < m.start() < len(s) - 20]
            for s in sents}
    nouns = proper_nouns(sents)
    names = Names()
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
            mapping = {}
            cast = [names.draw(rng) for _ in range(rng.randint(3, 8))]
            base = [localise(rng, splice(rng, sents, cuts), nouns, cast, mapping)
                    for _ in range(rng.randint(6, 20))]
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
