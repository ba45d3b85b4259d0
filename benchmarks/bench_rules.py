"""Issue 4: what the hard rules add to the time of scoring with the model alone.

On the same posts (a ``make_posts`` export, default 30,000), in one process, after one untimed
warm-up of everything:

  (a) model alone:    ``moderator.bundle.model.predict_proba(texts)`` (features + six classifiers)
  (b) model + rules:  (a), then ``moderator.rules.check_posts(posts)`` and ``check_repeats(posts)``
                      (a fresh repeat history each time, as for one batch)

timed ``--repeats`` times (default 5), alternating which of (a) and (b) goes first. The overhead is
(b - a) / a per repeat; the median of those is judged against the target (at most 0.30). Both wall
time and the process's CPU time (``time.process_time``; all of it is single-threaded) are kept: on a
shared machine wall time swings with other jobs, CPU time much less. The rules
alone, and each rule kind on its own (each kind over a fresh ``Batch``, so each pays for the views
it asks for, such as the words that several kinds share in ``check_posts``; older code: over fresh
``PostText`` views), are timed too, to show where rule time goes.

    .venv/bin/python benchmarks/bench_rules.py                      # 30,000 posts, 5 repeats
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
    p.add_argument("--repeats", type=int, default=5, help="timed repeats (at least 5; default 5)")
    p.add_argument("--model", type=Path, help="model folder (default: build/full3 if the measured code reads "
                                              "its format, else the one models/DEFAULT names)")
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
    posts = to_posts(frame)
    texts = [p.text for p in posts]
    moderator = load_model(args.model)
    model, rules = moderator.bundle.model, moderator.rules

    def model_alone():
        model.predict_proba(texts)

    def rules_alone():
        rules.check_posts(posts)
        rules.check_repeats(posts)

    def model_and_rules():
        model_alone()
        rules_alone()

    def timed(fn) -> float:
        start, cpu = time.perf_counter(), time.process_time()
        fn()
        cpu_times[fn.__name__].append(time.process_time() - cpu)
        return time.perf_counter() - start

    cpu_times = {"model_alone": [], "model_and_rules": [], "rules_alone": []}

    load_before = c.loadavg()
    warm = timed(model_and_rules)
    cpu_times["model_and_rules"].clear()
    print(f"warm-up (model + rules, untimed for the result): {warm:.1f} s", flush=True)
    a, b, r, kinds = [], [], [], {type(k).__name__: [] for k in (*rules.kinds, rules.repeats)}
    for i in range(args.repeats):
        order = [("a", model_alone), ("b", model_and_rules)]
        for label, fn in order if i % 2 == 0 else order[::-1]:
            (a if label == "a" else b).append(timed(fn))
        r.append(timed(rules_alone))
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
        print(f"repeat {i + 1}/{args.repeats}: model alone {a[-1]:.2f} s, model + rules {b[-1]:.2f} s, "
              f"overhead {(b[-1] - a[-1]) / a[-1]:.3f}, rules alone {r[-1]:.2f} s; CPU s: "
              f"{cpu_times['model_alone'][-1]:.2f}, {cpu_times['model_and_rules'][-1]:.2f}, "
              f"{cpu_times['rules_alone'][-1]:.2f}", flush=True)

    ratios = [(bi - ai) / ai for ai, bi in zip(a, b)]
    m = c.median
    ratio = m(ratios)
    ca, cb, cr = cpu_times["model_alone"], cpu_times["model_and_rules"], cpu_times["rules_alone"]
    cpu_ratios = [(bi - ai) / ai for ai, bi in zip(ca, cb)]
    result = {
        "benchmark": NAME, "command": c.command(), "started_loadavg": load_before, "finished": c.now(),
        "loadavg_after": c.loadavg(), "machine": c.machine(), "model": c.model_info(args.model),
        "code": code, "input": path.name, "posts": len(posts), "repeats": args.repeats,
        "seconds": {"model_alone": a, "model_and_rules": b, "rules_alone": r},
        "median_seconds": {"model_alone": m(a), "model_and_rules": m(b), "rules_alone": m(r)},
        "median_posts_per_s": {"model_alone": len(posts) / m(a), "model_and_rules": len(posts) / m(b),
                               "rules_alone": len(posts) / m(r)},
        "overhead_per_repeat": ratios,
        "overhead_median": ratio,
        "overhead_of_medians": (m(b) - m(a)) / m(a),
        "median_seconds_per_kind": {k: m(v) for k, v in kinds.items()},
        "cpu_seconds": cpu_times,
        "median_cpu_seconds": {k: m(v) for k, v in cpu_times.items()},
        "cpu_overhead_per_repeat": cpu_ratios,
        "cpu_overhead_median": m(cpu_ratios),
        "rules_alone_over_model_alone_cpu": m(cr) / m(ca),
        "target": {"overhead_at_most": TARGET, "met": ratio <= TARGET, "judged_on": "median wall-time (b-a)/a",
                   "cpu_met": m(cpu_ratios) <= TARGET},
    }
    if args.profile:
        result["profile"] = profile(rules, posts)
    out = c.write_result(NAME, result)

    print()
    print(c.table([["(a) model alone", m(a), len(posts) / m(a)],
                   ["(b) model + rules", m(b), len(posts) / m(b)],
                   ["rules alone", m(r), len(posts) / m(r)],
                   *[[f"  {k}", v, len(posts) / v] for k, v in result["median_seconds_per_kind"].items()]],
                  ["median of " + str(args.repeats), "seconds", "posts/s"]))
    print(f"\nCPU time (process_time, less sensitive to other jobs): (b - a) / a median {m(cpu_ratios):.3f} "
          f"(per repeat: {', '.join(f'{x:.3f}' for x in cpu_ratios)}); median CPU s: model alone {m(ca):.2f}, "
          f"model + rules {m(cb):.2f}, rules alone {m(cr):.2f}")
    print(f"wall time: (b - a) / a: median {ratio:.3f} (per repeat: {', '.join(f'{x:.3f}' for x in ratios)}); "
          f"target <= {TARGET}: {'MET' if ratio <= TARGET else 'NOT MET'}")
    print(f"wrote {out.relative_to(c.REPO)}")


def profile(rules, posts) -> str:
    import cProfile
    import io
    import pstats

    prof = cProfile.Profile()
    prof.enable()
    rules.check_posts(posts)
    rules.check_repeats(posts)
    prof.disable()
    buf = io.StringIO()
    buf.write(f"# cProfile of rules.check_posts + check_repeats over {len(posts):,} posts\n"
              f"# command: {c.command()}\n\n")
    pstats.Stats(prof, stream=buf).sort_stats("tottime").print_stats(30)
    target = c.RESULTS / f"{NAME}_profile.txt"
    target.write_text(buf.getvalue().replace(str(c.REPO) + "/", ""))
    return target.name


if __name__ == "__main__":
    main()
