"""Issue 4: what the hard rules add to the time of scoring with the model alone.

On the same posts, in one process, after one untimed warm-up of everything, two pairs are timed
``--repeats`` times (default 5), alternating which of each pair goes first:

  Scoring, the pair the target is judged on (what ``moderate score`` does per batch):
  (c) scoring with the model alone: ``moderator.score(posts)`` - features, six classifiers,
                      operating points, explanations, one decision per post, the output frame -
                      with a stand-in for the rules that finds nothing
  (d) scoring with all rules on: ``moderator.score(posts)`` as shipped (every rule kind and
                      repeats against a fresh history, as for one batch)

  The classifier alone, a stricter yardstick (the rules against the model's arithmetic only):
  (a) model alone:    ``moderator.bundle.model.predict_proba(texts)`` (features + six classifiers)
  (b) model + rules:  (a), then ``moderator.rules.check(posts)`` (every kind, repeats against a fresh history)

The posts: a ``make_posts`` export (default 30,000 posts), each distinct text once (16,752 of the
30,000). The export draws its texts from about 11,000, so most recur many times, far more than in a
real export; code that works once per distinct text (as the rules may, for campaigns) would look
better on it than it is. ``--with-repeats`` keeps them all.

The overhead is (d - c) / c per repeat; the median of those is judged against the target (at most
0.30); (b - a) / a is reported beside it. Both wall time and the process's CPU time
(``time.process_time``; all of it is single-threaded) are kept: on a shared machine wall time swings
with other jobs, CPU time much less. The rules alone, and each rule kind on its own (each kind over
a fresh ``Batch``, so each pays for the views it asks for, such as the words that several kinds
share in ``check_posts``; older code: over fresh ``PostText`` views), are timed too, to show where
rule time goes.

    .venv/bin/python benchmarks/bench_rules.py                      # 30,000 posts' distinct texts, 5 repeats
    .venv/bin/python benchmarks/bench_rules.py --posts 50000 --repeats 7
    .venv/bin/python benchmarks/bench_rules.py --profile            # also cProfile the rules once

Writes ``benchmarks/results/bench_rules.json`` (and ``bench_rules_profile.txt`` with --profile).
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common as c  # noqa: E402
from make_posts import posts_csv  # noqa: E402

NAME = "bench_rules"
TARGET = 0.30


def main() -> None:
    p = argparse.ArgumentParser(description="rules' share of scoring time")
    p.add_argument("--posts", type=int, default=30_000, help="posts (20,000-50,000; default 30,000)")
    p.add_argument("--with-repeats", action="store_true",
                   help="keep the export's repeated texts (by default each text is scored once: see the docstring)")
    p.add_argument("--repeats", type=int, default=5, help="timed repeats (at least 5; default 5)")
    p.add_argument("--model", type=Path, help="model folder (default: the one models/DEFAULT names)")
    p.add_argument("--code", metavar="GIT_REF", help="measure the pipeline code of this commit (default: the "
                                                       "working tree; see _common.use_code)")
    p.add_argument("--profile", action="store_true", help="also write a cProfile of the rules")
    args = p.parse_args()
    code = c.use_code(args.code)
    args.model = (args.model or c.model_path()).resolve()

    import pandas as pd

    from pipeline import load_model
    try:
        from pipeline.rules.base import Batch
    except ImportError:  # code from before the rule kinds checked a batch (--code 49682ea and older)
        from pipeline.rules.base import PostText
        Batch = None
    from pipeline.score import to_posts

    path = posts_csv(args.posts)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    if not args.with_repeats:
        frame = frame.drop_duplicates("text")
    posts = to_posts(frame)
    texts = [p.text for p in posts]
    moderator = load_model(args.model)
    model, rules = moderator.bundle.model, moderator.rules

    def model_alone():
        model.predict_proba(texts)

    def rules_alone():
        rules.check(posts)

    def model_and_rules():
        model_alone()
        rules_alone()

    class NoRules:
        """Stands in for the rule set in (c): finds nothing, so each decision rests on the model alone."""

        def check_posts(self, posts):
            return [()] * len(posts)

        def prints(self, posts):
            return None

        def check_repeats(self, posts, history=None, prints=None):
            return [()] * len(posts)

    def scoring_model_alone():
        moderator.rules = NoRules()
        try:
            moderator.score(posts)
        finally:
            moderator.rules = rules

    def scoring_with_rules():
        moderator.score(posts)

    def timed(fn) -> float:
        start, cpu = time.perf_counter(), time.process_time()
        fn()
        cpu_times[fn.__name__].append(time.process_time() - cpu)
        return time.perf_counter() - start

    pairs = {"classifier": (model_alone, model_and_rules), "scoring": (scoring_model_alone, scoring_with_rules)}
    cpu_times = {fn.__name__: [] for fn in (*pairs["classifier"], *pairs["scoring"], rules_alone)}
    wall = {name: [] for name in cpu_times}

    load_before = c.loadavg()
    start = time.perf_counter()
    scoring_with_rules()
    model_alone()
    print(f"warm-up (scoring, then the model alone; untimed for the result): {time.perf_counter() - start:.1f} s",
          flush=True)
    kinds = {type(k).__name__: [] for k in (*rules.kinds, rules.repeats)}
    for i in range(args.repeats):
        for alone, with_rules in pairs.values():
            for fn in (alone, with_rules) if i % 2 == 0 else (with_rules, alone):
                wall[fn.__name__].append(timed(fn))
        wall["rules_alone"].append(timed(rules_alone))
        for kind in (*rules.kinds, rules.repeats):
            views = [PostText(p) for p in posts] if Batch is None else None
            start = time.perf_counter()
            if kind is rules.repeats:
                kind.check_batch(views or Batch(posts), None)
            elif views:
                for t in views:
                    kind.check(t)
            else:
                list(kind.check_posts(Batch(posts)))
            kinds[type(kind).__name__].append(time.perf_counter() - start)
        print(f"repeat {i + 1}/{args.repeats}: " + ", ".join(
            f"{name} {wall[name][-1]:.2f} s (CPU {cpu_times[name][-1]:.2f})" for name in wall), flush=True)

    m = c.median

    def overheads(times: dict[str, list[float]], pair: str) -> list[float]:
        alone, with_rules = (fn.__name__ for fn in pairs[pair])
        return [(b - a) / a for a, b in zip(times[alone], times[with_rules])]

    ratio = m(overheads(wall, "scoring"))
    result = {
        "benchmark": NAME, "command": c.command(), "started_loadavg": load_before, "finished": c.now(),
        "loadavg_after": c.loadavg(), "machine": c.machine(), "model": c.model_info(args.model),
        "code": code, "input": path.name, "with_repeats": args.with_repeats, "posts": len(posts), "repeats": args.repeats,
        "seconds": wall,
        "median_seconds": {k: m(v) for k, v in wall.items()},
        "median_posts_per_s": {k: len(posts) / m(v) for k, v in wall.items()},
        "cpu_seconds": cpu_times,
        "median_cpu_seconds": {k: m(v) for k, v in cpu_times.items()},
        "overhead": {pair: {"wall_per_repeat": overheads(wall, pair), "wall_median": m(overheads(wall, pair)),
                            "cpu_per_repeat": overheads(cpu_times, pair), "cpu_median": m(overheads(cpu_times, pair))}
                     for pair in pairs},
        "median_seconds_per_kind": {k: m(v) for k, v in kinds.items()},
        "target": {"overhead_at_most": TARGET, "met": ratio <= TARGET,
                   "judged_on": "median wall-time (d-c)/c: scoring with all rules vs scoring with the model alone",
                   "cpu_met": m(overheads(cpu_times, "scoring")) <= TARGET},
    }
    if args.profile:
        result["profile"] = profile(rules, posts)
    out = c.write_result(NAME, result)

    print()
    labels = {"scoring_model_alone": "(c) scoring, model alone", "scoring_with_rules": "(d) scoring, all rules",
              "model_alone": "(a) model alone", "model_and_rules": "(b) model + rules", "rules_alone": "rules alone"}
    print(c.table([*[[labels[k], m(v), len(posts) / m(v)] for k, v in wall.items()],
                   *[[f"  {k}", v, len(posts) / v] for k, v in result["median_seconds_per_kind"].items()]],
                  ["median of " + str(args.repeats), "seconds", "posts/s"]))
    for pair, label in (("scoring", "(d - c) / c, judged"), ("classifier", "(b - a) / a, stricter")):
        o = result["overhead"][pair]
        print(f"{label}: wall median {o['wall_median']:.3f} (per repeat: "
              f"{', '.join(f'{x:.3f}' for x in o['wall_per_repeat'])}); CPU median {o['cpu_median']:.3f}")
    print(f"target (d - c) / c <= {TARGET}: {'MET' if ratio <= TARGET else 'NOT MET'}")
    print(f"wrote {out.relative_to(c.REPO)}")


def profile(rules, posts) -> str:
    import cProfile
    import io
    import pstats

    prof = cProfile.Profile()
    prof.enable()
    rules.check(posts)
    prof.disable()
    buf = io.StringIO()
    buf.write(f"# cProfile of rules.check (per-post kinds and repeats) over {len(posts):,} posts\n"
              f"# command: {c.command()}\n\n")
    pstats.Stats(prof, stream=buf).sort_stats("tottime").print_stats(30)
    target = c.RESULTS / f"{NAME}_profile.txt"
    target.write_text(buf.getvalue().replace(str(c.REPO) + "/", ""))
    return target.name


if __name__ == "__main__":
    main()
