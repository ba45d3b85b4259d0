"""Issue 5: posts per second and peak memory of the whole batch scoring path, with a yardstick.

What is timed is ``score_batch`` (read the CSV export, model, every rule, repeats, decisions,
write the scored CSV) on a ``make_posts`` export, in a fresh process per run, single process
(``workers=1``) and both cores (``workers=2``). Loading the model before the call is not timed
(see bench_latency); with ``workers=2`` the workers load it inside ``score_batch`` and that is
timed. Peak memory is of the whole process tree (main process and workers), sampled from /proc
every 0.25 s (summed RSS: the target is judged on it; summed PSS: shared pages counted once), plus
``getrusage`` ru_maxrss of the main process (SELF) and of its largest worker (CHILDREN). The CPU
seconds (user + system) of the timed part, process and workers, are kept too (``getrusage``): on a
shared machine they move less with other jobs than wall time does.

The yardstick, in the same run and on the same file: alt-profanity-check's ``predict_prob`` over
the texts read from that CSV (pandas, the same chunk size), read included, its import (which loads
its model) not. Runs are interleaved (ours w1, ours w2, yardstick, then again) so background load
on a shared machine hits every configuration alike.

Targets: peak memory under 2 GB (10^9 bytes) on 1M posts; our posts/s at least half of the
yardstick's.

    .venv/bin/python benchmarks/bench_scoring.py                        # 100k and 1M, 3 repeats each
    .venv/bin/python benchmarks/bench_scoring.py --posts 100000 --repeats 3
    .venv/bin/python benchmarks/bench_scoring.py --posts 1000000 --repeats 1
    .venv/bin/python benchmarks/bench_scoring.py --profile 5000           # cProfile of score_batch, workers=1
    .venv/bin/python benchmarks/bench_scoring.py --stages 10000 --repeats 3  # each stage on its own
    .venv/bin/python benchmarks/bench_scoring.py --tracker 100000         # repeat-history memory
    .venv/bin/python benchmarks/bench_scoring.py --table                  # print the stored results

Results for each size are merged into ``benchmarks/results/bench_scoring.json`` (a later run of
one size replaces that size's entry only).
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common as c  # noqa: E402
from make_posts import posts_csv  # noqa: E402

NAME = "bench_scoring"
MEMORY_TARGET = 2e9  # bytes: "under 2 GB"
YARDSTICK_SHARE = 0.5


def child_ours(args) -> dict:
    from pipeline import load_model
    from pipeline.batch import BatchOptions, score_batch

    t0 = time.perf_counter()
    moderator = load_model(args.model)
    t1 = time.perf_counter()
    out = c.CACHE / "out" / f"scored-{Path(args.input).stem}-w{args.workers}.csv"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.unlink(missing_ok=True)
    out.with_name(out.name + ".checkpoint.json").unlink(missing_ok=True)
    cpu0 = c.cpu_seconds()
    t2 = time.perf_counter()
    summary = score_batch(moderator, [Path(args.input)], out,
                          BatchOptions(workers=args.workers, chunk_size=args.chunk_size, progress=False))
    t3 = time.perf_counter()
    size = out.stat().st_size
    out.unlink()
    return {"posts": summary["posts"], "seconds": t3 - t2, "load_seconds": t1 - t0,
            "actions": summary["actions"], "output_bytes": size, "maxrss": c.maxrss_bytes(),
            "cpu_seconds": _cpu_since(cpu0)}


def child_yardstick(args) -> dict:
    import pandas as pd

    t0 = time.perf_counter()
    from profanity_check import predict_prob

    predict_prob(["warm up"])
    cpu0 = c.cpu_seconds()
    t1 = time.perf_counter()
    n, flagged = 0, 0
    for chunk in pd.read_csv(args.input, usecols=["text"], dtype=str, keep_default_na=False,
                             chunksize=args.chunk_size):
        p = predict_prob(chunk["text"].tolist())
        n += len(p)
        flagged += int((p >= 0.5).sum())
    t2 = time.perf_counter()
    return {"posts": n, "seconds": t2 - t1, "load_seconds": t1 - t0, "flagged": flagged,
            "maxrss": c.maxrss_bytes(), "cpu_seconds": _cpu_since(cpu0)}


def _cpu_since(before: dict) -> dict:
    """CPU seconds (user + system) of the timed part: this process and its workers."""
    after = c.cpu_seconds()
    return {k: after[k] - before[k] for k in after}


def run(kind: str, path: Path, workers: int, args) -> dict:
    load = c.loadavg()
    res, sampler, wall = c.run_child([__file__, "--_child", kind, "--input", str(path), "--workers", str(workers),
                                      "--chunk-size", str(args.chunk_size), "--model", str(args.model)])
    res.update(posts_per_s=res["posts"] / res["seconds"], wall_seconds=wall, loadavg_before=load,
               peak_tree_rss=sampler.peak_rss, peak_tree_pss=sampler.peak_pss, max_procs=sampler.max_procs,
               memory_samples=sampler.samples)
    return res


def summarise(runs: list[dict]) -> dict:
    m = c.median
    return {"runs": len(runs), "median_posts_per_s": m([r["posts_per_s"] for r in runs]),
            "median_seconds": m([r["seconds"] for r in runs]),
            "median_peak_tree_rss": m([r["peak_tree_rss"] for r in runs]),
            "max_peak_tree_rss": max(r["peak_tree_rss"] for r in runs),
            "median_peak_tree_pss": m([r["peak_tree_pss"] for r in runs]),
            "median_maxrss_self": m([r["maxrss"]["self"] for r in runs]),
            "median_maxrss_children": m([r["maxrss"]["children"] for r in runs]),
            "median_cpu_seconds": m([r["cpu_seconds"]["total"] for r in runs if "cpu_seconds" in r])}


def profile(n: int, args) -> None:
    import cProfile
    import io
    import pstats

    from pipeline import load_model
    from pipeline.batch import BatchOptions, score_batch

    path = posts_csv(n)
    moderator = load_model(args.model)
    out = c.CACHE / "out" / f"profile-{n}.csv"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.unlink(missing_ok=True)
    prof = cProfile.Profile()
    start = time.perf_counter()
    prof.enable()
    score_batch(moderator, [path], out, BatchOptions(workers=1, chunk_size=args.chunk_size, progress=False))
    prof.disable()
    elapsed = time.perf_counter() - start
    out.unlink()
    buf = io.StringIO()
    buf.write(f"# cProfile of score_batch, workers=1, {n:,} posts ({path.name}), model {args.model}\n"
              f"# {elapsed:.1f} s under the profiler ({n / elapsed:,.0f} posts/s; the profiler slows Python code)\n"
              f"# command: {c.command()}\n\n")
    for key in ("cumulative", "tottime"):
        pstats.Stats(prof, stream=buf).sort_stats(key).print_stats(40)
    target = c.RESULTS / f"{NAME}_profile.txt"
    c.RESULTS.mkdir(parents=True, exist_ok=True)
    target.write_text(buf.getvalue().replace(str(c.REPO) + "/", ""))
    print(f"wrote {target.relative_to(c.REPO)}")


def stages(n: int, repeats: int, args) -> None:
    """Each stage of the scoring path on its own, in process, on ``n`` posts: where the time goes."""
    import pandas as pd

    from pipeline import load_model
    from pipeline.exports import iter_records
    from pipeline.schema import OUTPUTS
    from pipeline.score import text_problem, to_posts
    from pipeline.table_io import TableWriter
    from pipeline.thresholds import levels_of

    path = posts_csv(n)
    moderator = load_model(args.model)
    model, rules = moderator.bundle.model, moderator.rules
    features = model.features
    out_path = c.CACHE / "out" / f"stages-{n}.csv"
    out_path.parent.mkdir(parents=True, exist_ok=True)
    moderator.score(["warm up the lemmatiser and the explainer"])
    times: dict[str, list[float]] = {}
    cpu: dict[str, list[float]] = {}

    def timed(name, fn):
        t0, c0 = time.perf_counter(), time.process_time()
        value = fn()
        times.setdefault(name, []).append(time.perf_counter() - t0)
        cpu.setdefault(name, []).append(time.process_time() - c0)
        return value

    for _ in range(repeats):
        frame = timed("read CSV (iter_records)", lambda: pd.concat(
            list(iter_records([path], chunk_size=args.chunk_size)), ignore_index=True))
        posts = timed("to_posts + text checks", lambda: [p for p in to_posts(frame) if text_problem(p.text) is None])
        texts = [p.text for p in posts]
        normalised = timed("features: normalise", lambda: features.normalise(texts))
        X = timed("features: word and char n-grams (vectorise)", lambda: features.vectorise(normalised))
        scores = timed("classifiers (predict_proba given X)", lambda: model.predict_proba(texts, X=X))
        levels = levels_of(scores, moderator.thresholds)
        flagged = {j: [k for k in OUTPUTS if lv[k] != "none"] for j, lv in enumerate(levels)
                   if any(v != "none" for v in lv.values())}
        timed("rules: check_posts", lambda: rules.check_posts(posts))
        timed("rules: check_repeats", lambda: rules.check_repeats(posts))
        timed("explanations (explain)", lambda: moderator.explainer.explain(normalised, X, flagged))
        assessment = moderator.assess(frame)
        scored = timed("decide_batch", lambda: moderator.decide_batch(assessment))
        both = pd.concat([frame.reset_index(drop=True), scored], axis=1)

        def write():
            with TableWriter(out_path) as w:
                for i in range(0, len(both), args.chunk_size):
                    w.write(both.iloc[i:i + args.chunk_size])

        timed("write CSV (TableWriter)", write)
        out_path.unlink()
        print(f"stages: repeat done, {len(flagged):,} of {len(posts):,} posts flagged for explanation", flush=True)
    rows = [[k, c.median(v), c.median(cpu[k]), n / c.median(v)] for k, v in times.items()]
    total = sum(r[1] for r in rows)
    rows = [[*r[:3], r[1] / total, r[3]] for r in rows]
    print(c.table(rows, ["stage", "median s", "median CPU s", "share", "posts/s"]))
    result = c.read_result(NAME) or {}
    result["stages"] = {"command": c.command(), "finished": c.now(), "posts": n, "repeats": repeats,
                        "flagged_for_explanation": len(flagged), "loadavg_after": c.loadavg(),
                        "median_seconds": {k: c.median(v) for k, v in times.items()},
                        "median_cpu_seconds": {k: c.median(v) for k, v in cpu.items()},
                        "note": "stage by stage, in one process, outside score_batch; the explain stage "
                                "re-runs the features for flagged posts, as assess does"}
    c.write_result(NAME, result)


def tracker_memory(n: int, args) -> None:
    """Memory held by the in-memory repeat history (``RepeatTracker``) after ``n`` posts (tracemalloc):
    the one structure of ``score_batch`` that grows with the number of posts."""
    import gc
    import tracemalloc

    import pandas as pd

    from pipeline import load_model
    from pipeline.rules import RepeatTracker
    from pipeline.score import to_posts

    moderator = load_model(args.model)
    posts = to_posts(pd.read_csv(posts_csv(n), dtype=str, keep_default_na=False))
    gc.collect()
    tracemalloc.start()
    history = RepeatTracker()
    for i in range(0, len(posts), args.chunk_size):
        moderator.rules.check_repeats(posts[i:i + args.chunk_size], history)
    gc.collect()
    held, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    res = {"command": c.command(), "finished": c.now(), "posts": n, "bytes_held": held, "bytes_per_post": held / n,
           "message_keys": len(history.seen), "authors": len(history.recent),
           "sketches": sum(map(len, history.recent.values()))}
    print(f"RepeatTracker after {n:,} posts: {held / 1e6:,.0f} MB held ({held / n:,.0f} bytes a post), "
          f"{res['message_keys']:,} distinct messages, {res['sketches']:,} sketches of {res['authors']:,} authors")
    result = c.read_result(NAME) or {}
    result["repeat_history_memory"] = res
    c.write_result(NAME, result)


def main() -> None:
    p = argparse.ArgumentParser(description="posts/s and peak memory of score_batch, with alt-profanity-check")
    p.add_argument("--posts", default="100000,1000000", help="comma-separated export sizes (default 100000,1000000)")
    p.add_argument("--repeats", type=int, default=3, help="runs of each configuration (default 3)")
    p.add_argument("--workers", default="1,2", help="comma-separated worker counts (default 1,2)")
    p.add_argument("--chunk-size", type=int, default=5000, help="BatchOptions.chunk_size (default 5000, its default)")
    p.add_argument("--model", type=Path, help="model folder (default: the one models/DEFAULT names)")
    p.add_argument("--code", metavar="GIT_REF", help="measure the pipeline code of this commit (default: the "
                                                       "working tree; see _common.use_code)")
    p.add_argument("--no-yardstick", action="store_true", help="skip alt-profanity-check")
    p.add_argument("--profile", type=int, metavar="N", help="only profile score_batch (workers=1) on N posts")
    p.add_argument("--stages", type=int, metavar="N", help="only time each stage of the path on N posts")
    p.add_argument("--tracker", type=int, metavar="N", help="only measure the repeat history's memory after N posts")
    p.add_argument("--table", action="store_true", help="only print the stored results (summaries recomputed)")
    p.add_argument("--_child", choices=["ours", "yardstick"], help=argparse.SUPPRESS)
    p.add_argument("--input", help=argparse.SUPPRESS)
    args = p.parse_args()
    code = c.use_code(args.code)
    args.model = (args.model or c.model_path()).resolve()
    if args._child:
        args.workers = int(args.workers)
        res = child_ours(args) if args._child == "ours" else child_yardstick(args)
        print(json.dumps(res))
        return
    if args.profile:
        profile(args.profile, args)
        return
    if args.stages:
        stages(args.stages, args.repeats, args)
        return
    if args.tracker:
        tracker_memory(args.tracker, args)
        return
    if args.table:
        result = c.read_result(NAME)
        for entry in result["sizes"].values():  # summaries again from the stored runs
            for v in (*entry["ours"].values(), *([entry["yardstick"]] if "yardstick" in entry else [])):
                v["summary"] = summarise(v["runs"])
        result["targets"] = targets(result["sizes"])
        c.write_result(NAME, result)
        print_table(result)
        return

    sizes = [int(x) for x in args.posts.split(",")]
    worker_counts = [int(x) for x in args.workers.split(",")]
    result = c.read_result(NAME) or {}
    result.setdefault("sizes", {})
    for n in sizes:
        path = posts_csv(n)
        runs: dict[str, list[dict]] = {f"workers={w}": [] for w in worker_counts}
        yard: list[dict] = []
        started = c.now()
        for r in range(args.repeats):
            for w in worker_counts:
                res = run("ours", path, w, args)
                runs[f"workers={w}"].append(res)
                print(f"[{n:,} posts, repeat {r + 1}/{args.repeats}] ours workers={w}: "
                      f"{res['posts_per_s']:,.0f} posts/s, "
                      f"{res['seconds']:.1f} s, peak tree RSS {res['peak_tree_rss'] / 1e9:.2f} GB, "
                      f"load {res['loadavg_before'][0]:.1f}", flush=True)
            if not args.no_yardstick:
                res = run("yardstick", path, 1, args)
                yard.append(res)
                print(f"[{n:,} posts, repeat {r + 1}/{args.repeats}] alt-profanity-check: "
                      f"{res['posts_per_s']:,.0f} posts/s, {res['seconds']:.1f} s", flush=True)
        entry = {"command": c.command(), "started": started, "finished": c.now(), "input": path.name,
                 "chunk_size": args.chunk_size, "loadavg_after": c.loadavg(),
                 "ours": {k: {"summary": summarise(v), "runs": v} for k, v in runs.items()}}
        if yard:
            entry["yardstick"] = {"name": "alt-profanity-check predict_prob", "summary": summarise(yard), "runs": yard}
        result["sizes"][str(n)] = entry
        result.update(benchmark=NAME, machine=c.machine(), model=c.model_info(args.model), code=code,
                      memory_measure="peak of summed VmRSS (and Pss) over the process tree, /proc sampled "
                                     "every 0.25 s; plus getrusage ru_maxrss SELF/CHILDREN",
                      targets=targets(result["sizes"]))
        c.write_result(NAME, result)
    print_table(result)


def targets(sizes: dict) -> dict:
    out = {}
    for n, entry in sizes.items():
        ys = entry.get("yardstick", {}).get("summary", {}).get("median_posts_per_s")
        for k, v in entry["ours"].items():
            s = v["summary"]
            if ys:
                ratio = s["median_posts_per_s"] / ys
                out[f"{n} {k}: posts/s >= 0.5 x alt-profanity-check"] = {
                    "measured_ratio": ratio, "met": ratio >= YARDSTICK_SHARE}
                ycpu = entry["yardstick"]["summary"].get("median_cpu_seconds")
                if s.get("median_cpu_seconds") and ycpu:
                    out[f"{n} {k}: posts/s >= 0.5 x alt-profanity-check"]["cpu_seconds_ratio"] = \
                        ycpu / s["median_cpu_seconds"]
            if int(n) >= 1_000_000:
                out[f"{n} {k}: peak tree RSS < 2 GB"] = {
                    "measured_bytes": s["max_peak_tree_rss"], "met": s["max_peak_tree_rss"] < MEMORY_TARGET}
    return out


def _per_cpu(n: int, s: dict) -> float | None:
    return n / s["median_cpu_seconds"] if s.get("median_cpu_seconds") else None


def print_table(result: dict) -> None:
    rows = []
    for n, entry in sorted(result["sizes"].items(), key=lambda kv: int(kv[0])):
        ys = entry.get("yardstick", {}).get("summary", {}).get("median_posts_per_s")
        for k, v in entry["ours"].items():
            s = v["summary"]
            rows.append([int(n), f"ours {k}", s["runs"], s["median_posts_per_s"], s["median_seconds"],
                         _per_cpu(int(n), s), s["median_peak_tree_rss"] / 1e9, s["median_peak_tree_pss"] / 1e9,
                         s["median_posts_per_s"] / ys if ys else None])
        if ys:
            s = entry["yardstick"]["summary"]
            rows.append([int(n), "alt-profanity-check", s["runs"], s["median_posts_per_s"], s["median_seconds"],
                         _per_cpu(int(n), s), s["median_peak_tree_rss"] / 1e9, s["median_peak_tree_pss"] / 1e9, 1.0])
    print(c.table(rows, ["posts", "what", "runs", "posts/s (median)", "seconds", "posts/CPU-s", "peak RSS GB",
                         "peak PSS GB", "x yardstick"]))
    for name, t in result.get("targets", {}).items():
        print(f"{'MET    ' if t['met'] else 'NOT MET'}  {name}: "
              + (f"{t['measured_ratio']:.4f}" if "measured_ratio" in t else f"{t['measured_bytes'] / 1e9:.2f} GB"))


if __name__ == "__main__":
    main()
