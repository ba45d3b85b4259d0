"""A realistic export of N posts for the benchmarks (helper module, not a benchmark).

Texts are sampled uniformly, with replacement, from ``data/opcc/posts.jsonl`` and
``tests/model/*.csv`` (about 6,300 distinct texts, roughly half of them labelled as a problem in
at least one category: far more than a real page gets, so per-flagged-post work such as
explanations is over-represented). Each sampled post gets its own id, an author drawn from a
skewed pool (a few people post a lot, as on a real page, so the repeat rules see repeats), a
rising ``created_at`` and a platform; about one post in four is perturbed: a typo (swap, drop or
double a letter), a case change, or an appended emoji. So the file repeats texts as real exports
do, but not all identically.

The CSV (``id, author, created_at, platform, text``) is cached in ``build/bench/`` (git-ignored)
by size and seed; a second call returns the cached path.

    .venv/bin/python benchmarks/make_posts.py --posts 1000000     # build (or find) the file

>>> path = posts_csv(100_000)  # doctest: +SKIP
"""
from __future__ import annotations

import argparse
import csv
import itertools
import json
import os
import random
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import CACHE, REPO  # noqa: E402

GENERATOR = 1  # bump when the generation changes, so stale cached files are not reused
PLATFORMS = ("facebook", "x", "youtube", "instagram", "contact_form")
EMOJI = ("😡", "👍", "🙏", "😂", "👮", "🚔", "😢", "🤬", "❤️", "👏", "🤔", "!!")
START = datetime(2026, 1, 1, tzinfo=timezone.utc)


def base_posts() -> list[tuple[str, str | None]]:
    """(text, platform or None) from the OPCC corpus and the model test suites."""
    out: list[tuple[str, str | None]] = []
    with open(REPO / "data" / "opcc" / "posts.jsonl", encoding="utf-8") as f:
        for line in f:
            if line.strip():
                d = json.loads(line)
                out.append((d["text"], d.get("platform")))
    for path in sorted((REPO / "tests" / "model").glob("*.csv")):
        with open(path, encoding="utf-8", newline="") as f:
            out.extend((row["text"], None) for row in csv.DictReader(f) if row.get("text"))
    return out


def base_authors() -> list[str]:
    names = set()
    with open(REPO / "data" / "opcc" / "posts.jsonl", encoding="utf-8") as f:
        for line in f:
            if line.strip():
                a = json.loads(line).get("author")
                if a:
                    names.add(a)
    return sorted(names)


def _typo(text: str, rng: random.Random) -> str:
    letters = [i for i, c in enumerate(text) if c.isalpha()]
    if len(letters) < 4:
        return text
    i = rng.choice(letters[:-1])
    kind = rng.randrange(3)
    if kind == 0:  # swap with the next character
        return text[:i] + text[i + 1] + text[i] + text[i + 2:]
    if kind == 1:  # drop it
        return text[:i] + text[i + 1:]
    return text[:i] + text[i] + text[i:]  # double it


def perturb(text: str, rng: random.Random) -> str:
    r = rng.random()
    if r < 0.10:
        return _typo(text, rng)
    if r < 0.14:
        return text.lower()
    if r < 0.16:
        return text.upper()
    if r < 0.25:
        return f"{text} {rng.choice(EMOJI)}"
    return text


def generate(n: int, path: Path, seed: int = 0) -> None:
    rng = random.Random(seed)
    posts = base_posts()
    people = base_authors()
    # A skewed author pool: weights 1/rank^0.7, about one author for every 8 posts.
    n_authors = max(50, n // 8)
    authors = [f"{rng.choice(people)}" if i < len(people) else f"user{i:07d}" for i in range(n_authors)]
    rng.shuffle(authors)
    cum = list(itertools.accumulate(1 / (k + 1) ** 0.7 for k in range(n_authors)))
    t = START
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "author", "created_at", "platform", "text"])
        picks = rng.choices(range(len(posts)), k=n)
        who = rng.choices(authors, cum_weights=cum, k=n)
        for i in range(n):
            text, platform = posts[picks[i]]
            t += timedelta(seconds=int(rng.expovariate(1 / 30)) + 1)
            w.writerow([f"bench-{i:08d}", who[i], t.strftime("%Y-%m-%dT%H:%M:%SZ"),
                        platform if platform in PLATFORMS else rng.choice(PLATFORMS), perturb(text, rng)])
    os.replace(tmp, path)


def posts_csv(n: int, seed: int = 0) -> Path:
    """The cached export of ``n`` posts, generated on first use."""
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"posts-{n}-s{seed}-g{GENERATOR}.csv"
    if not path.is_file():
        start = time.perf_counter()
        generate(n, path, seed)
        print(f"generated {path.relative_to(REPO)} ({n:,} posts) in {time.perf_counter() - start:.1f} s",
              file=sys.stderr)
    return path


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--posts", type=int, default=100_000)
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args()
    path = posts_csv(args.posts, args.seed)
    print(f"{path} ({path.stat().st_size / 2**20:.1f} MiB)")


if __name__ == "__main__":
    main()
