"""Issue 7: model load time, single-post latency in process and over HTTP, and the model's size.

* Load: ``load_model(path)`` in a fresh Python process, ``--loads`` times (default 5). Timed from
  before ``from pipeline import load_model`` to its return, so the libraries it imports
  (scikit-learn, spaCy, ...) count, as they do for any caller; split into those imports and the
  call itself. Also: the first ``score`` after loading (it builds spaCy and the explainer lazily),
  and the whole process's wall time from the parent's side (interpreter start-up included).
  And the floor any load of this design pays: importing numpy, pandas and spaCy and building
  spaCy's English tokenizer, in fresh processes of their own.
* In process: ``Moderator.score([text])`` for ``--posts`` (default 1,000) different posts, one at a
  time, after 50 warm-up calls on other posts; median and p99 (nearest rank) of each of ``--rounds``
  passes (default 3), and the median over passes of each.
* HTTP: ``moderate serve --model M --port P`` on a free 127.0.0.1 port; after 20 warm-up requests,
  the same posts one per request, sequentially, over one keep-alive connection (http.client),
  MLflow's protocol ``POST /invocations {"dataframe_records": [{"text": ...}]}``; median and p99 of
  the client-side round trip, per pass and the median over passes. The server is stopped afterwards.
* Size: bytes of every file in the model folder.

Targets: load < 1 s, in-process < 2 ms median, HTTP < 20 ms median.

    .venv/bin/python benchmarks/bench_latency.py
    .venv/bin/python benchmarks/bench_latency.py --posts 1000 --loads 5 --profile   # + cProfile of a load
                                                                # and of 300 single-post scores

Writes ``benchmarks/results/bench_latency.json``.
"""
from __future__ import annotations

import argparse
import http.client
import json
import random
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common as c  # noqa: E402
from make_posts import base_posts  # noqa: E402

NAME = "bench_latency"
TARGETS = {"load_s": 1.0, "in_process_median_ms": 2.0, "http_median_ms": 20.0}
WARMUP = 50
HTTP_WARMUP = 20


def child_load(model: str) -> dict:
    t0 = time.perf_counter()
    import pipeline.bundle  # noqa: F401  the libraries load_model needs
    import pipeline.score  # noqa: F401
    t1 = time.perf_counter()
    from pipeline import load_model

    moderator = load_model(model)
    t2 = time.perf_counter()
    moderator.score(["Thanks for the update on the knife amnesty"])
    t3 = time.perf_counter()
    rss = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmRSS:")) * 1024
    return {"load_model_s": t2 - t0, "imports_s": t1 - t0, "load_call_s": t2 - t1, "first_score_s": t3 - t2,
            "rss_after_first_score": rss}


def child_floor() -> dict:
    """What any load of this design pays before reading a byte of the model: importing numpy,
    pandas (the output is a DataFrame), spaCy (tokenizer and the urgent rule's Matcher) and scipy's
    sparse matrices, and building spaCy's English tokenizer as ``pipeline.text.english`` does. In a
    fresh process, in that order."""
    t0 = time.perf_counter()
    import numpy  # noqa: F401
    t1 = time.perf_counter()
    import pandas  # noqa: F401
    t2 = time.perf_counter()
    import spacy.matcher  # noqa: F401
    from spacy.lang.en import English
    t3 = time.perf_counter()
    import scipy.sparse  # noqa: F401
    t4 = time.perf_counter()
    English()
    t5 = time.perf_counter()
    return {"numpy_s": t1 - t0, "pandas_s": t2 - t1, "spacy_import_s": t3 - t2, "scipy_sparse_s": t4 - t3,
            "spacy_english_s": t5 - t4, "floor_s": t5 - t0}


def child_profile_load(model: str) -> None:
    import cProfile
    import io
    import pstats

    prof = cProfile.Profile()
    prof.enable()
    from pipeline import load_model

    load_model(model)
    prof.disable()
    buf = io.StringIO()
    buf.write(f"# cProfile of `from pipeline import load_model; load_model({model!r})` in a fresh process\n\n")
    pstats.Stats(prof, stream=buf).sort_stats("cumulative").print_stats(40)
    (c.RESULTS / f"{NAME}_load_profile.txt").write_text(buf.getvalue().replace(str(c.REPO) + "/", ""))


def child_profile_score(model: str, n: int = 300) -> None:
    """cProfile of ``n`` single-post ``score`` calls in process, after warm-up."""
    import cProfile
    import io
    import pstats

    from pipeline import load_model

    moderator = load_model(model)
    texts = texts_for(n)
    for t in texts[:WARMUP]:
        moderator.score([t])
    prof = cProfile.Profile()
    start = time.perf_counter()
    prof.enable()
    for t in texts[-n:]:
        moderator.score([t])
    prof.disable()
    per = (time.perf_counter() - start) / n * 1000
    buf = io.StringIO()
    buf.write(f"# cProfile of {n} single-post Moderator.score([text]) calls, model {model}\n"
              f"# {per:.2f} ms per call under the profiler\n\n")
    for key in ("cumulative", "tottime"):
        pstats.Stats(prof, stream=buf).sort_stats(key).print_stats(35)
    (c.RESULTS / f"{NAME}_score_profile.txt").write_text(buf.getvalue().replace(str(c.REPO) + "/", ""))


def texts_for(n: int, seed: int = 1) -> list[str]:
    """``n`` + warm-up different texts from the corpus (no duplicates)."""
    unique = sorted({t for t, _ in base_posts() if t.strip()})
    random.Random(seed).shuffle(unique)
    need = n + max(WARMUP, HTTP_WARMUP)
    if len(unique) < need:
        raise SystemExit(f"only {len(unique)} different texts; ask for fewer posts")
    return unique[:need]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def summary_ms(ns: list[int]) -> dict:
    ms = [x / 1e6 for x in ns]
    return {"n": len(ms), "median_ms": c.median(ms), "p99_ms": c.percentile(ms, 99), "mean_ms": sum(ms) / len(ms),
            "min_ms": min(ms), "max_ms": max(ms)}


def in_process(model: Path, texts: list[str], n: int, rounds: int) -> dict:
    from pipeline import load_model

    moderator = load_model(model)
    warm, measured = texts[:WARMUP], texts[-n:]
    for t in warm:
        moderator.score([t])
    out_rounds = []
    for r in range(rounds):
        times, actions = [], []
        for t in measured:
            start = time.perf_counter_ns()
            out = moderator.score([t])
            times.append(time.perf_counter_ns() - start)
            actions.append(out["action"].iat[0])
        res = summary_ms(times)
        flagged = [x for x, a in zip(times, actions) if a != "none"]
        plain = [x for x, a in zip(times, actions) if a == "none"]
        res["by_action"] = {"none": summary_ms(plain) if plain else None,
                            "any other action": summary_ms(flagged) if flagged else None}
        res["loadavg"] = c.loadavg()
        out_rounds.append(res)
        print(f"in process, round {r + 1}/{rounds}: median {res['median_ms']:.2f} ms, p99 {res['p99_ms']:.2f} ms",
              flush=True)
    return combine(out_rounds)


def combine(rounds: list[dict]) -> dict:
    """The median over rounds of each round's median and p99, with every round kept."""
    return {"rounds": rounds, "n_per_round": rounds[0]["n"],
            "median_ms": c.median([r["median_ms"] for r in rounds]),
            "p99_ms": c.median([r["p99_ms"] for r in rounds])}


def over_http(model: Path, texts: list[str], n: int, rounds: int) -> dict:
    port = free_port()
    log = c.CACHE / "logs" / f"serve-{port}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    cmd = [str(Path(sys.executable).parent / "moderate"), "serve", "--model", str(model), "--port", str(port)]
    start = time.perf_counter()
    with open(log, "w") as logf:
        server = subprocess.Popen(cmd, cwd=c.REPO, stdout=logf, stderr=subprocess.STDOUT)
    try:
        ready = _wait_ready(port, server, timeout=300)
        ready_s = time.perf_counter() - start
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        headers = {"Content-Type": "application/json"}

        def ask(text: str) -> int:
            body = json.dumps({"dataframe_records": [{"text": text}]})
            t0 = time.perf_counter_ns()
            conn.request("POST", "/invocations", body=body, headers=headers)
            resp = conn.getresponse()
            data = resp.read()
            elapsed = time.perf_counter_ns() - t0
            if resp.status != 200:
                raise SystemExit(f"HTTP {resp.status}: {data[:300]!r}")
            return elapsed

        for t in texts[:HTTP_WARMUP]:
            ask(t)
        out_rounds = []
        for r in range(rounds):
            res = summary_ms([ask(t) for t in texts[-n:]])
            res["loadavg"] = c.loadavg()
            out_rounds.append(res)
            print(f"HTTP, round {r + 1}/{rounds}: median {res['median_ms']:.2f} ms, p99 {res['p99_ms']:.2f} ms",
                  flush=True)
        conn.close()
        res = combine(out_rounds)
        res.update(server_ready_s=ready_s, ping=ready, command=" ".join(cmd[1:]).replace(str(c.REPO) + "/", ""))
        return res
    finally:
        _stop(server)


def _wait_ready(port: int, server: subprocess.Popen, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"moderate serve exited with {server.returncode}; see build/bench/logs/")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/ping")
            resp = conn.getresponse()
            resp.read()
            conn.close()
            if resp.status == 200:
                return "/ping 200"
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"moderate serve not ready after {timeout} s")


def _stop(server: subprocess.Popen) -> None:
    if server.poll() is not None:
        return
    server.send_signal(signal.SIGINT)
    try:
        server.wait(15)
    except subprocess.TimeoutExpired:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def disk_size(model: Path) -> dict:
    files = [p for p in model.rglob("*") if p.is_file()]
    parts: dict[str, int] = {}
    for p in files:
        top = p.relative_to(model).parts[0]
        parts[top] = parts.get(top, 0) + p.stat().st_size
    return {"bytes": sum(parts.values()), "files": len(files), "by_part": dict(sorted(parts.items()))}


def main() -> None:
    p = argparse.ArgumentParser(description="load time, single-post latency, model size")
    p.add_argument("--posts", type=int, default=1000, help="different posts timed one at a time (default 1000)")
    p.add_argument("--loads", "--repeats", type=int, default=5, dest="loads",
                   help="fresh-process loads (default 5)")
    p.add_argument("--model", type=Path, help="model folder (default: the one models/DEFAULT names)")
    p.add_argument("--code", metavar="GIT_REF", help="measure the pipeline code of this commit (default: the "
                                                       "working tree; see _common.use_code)")
    p.add_argument("--rounds", type=int, default=3,
                   help="passes over the posts, in process and over HTTP (default 3); medians over rounds")
    p.add_argument("--profile", action="store_true", help="also cProfile one load in a fresh process")
    p.add_argument("--no-http", action="store_true")
    p.add_argument("--_child", choices=["load", "floor", "profile_load", "profile_score"], help=argparse.SUPPRESS)
    args = p.parse_args()
    code = c.use_code(args.code)
    args.model = (args.model or c.model_path()).resolve()
    if args._child == "load":
        print(json.dumps(child_load(str(args.model))))
        return
    if args._child == "floor":
        print(json.dumps(child_floor()))
        return
    if args._child == "profile_load":
        child_profile_load(str(args.model))
        return
    if args._child == "profile_score":
        child_profile_score(str(args.model))
        return

    started, load_before = c.now(), c.loadavg()
    loads = []
    for i in range(args.loads):
        res, _, wall = c.run_child([__file__, "--_child", "load", "--model", str(args.model)])
        res["process_wall_s"] = wall
        loads.append(res)
        print(f"load {i + 1}/{args.loads}: load_model {res['load_model_s']:.2f} s "
              f"(imports {res['imports_s']:.2f} s + call {res['load_call_s']:.2f} s), "
              f"first score {res['first_score_s']:.2f} s, process {wall:.2f} s", flush=True)
    floors = [c.run_child([__file__, "--_child", "floor"])[0] for _ in range(args.loads)]
    floor = {k: c.median([f[k] for f in floors]) for k in floors[0]}
    print("libraries alone (fresh process): " + ", ".join(f"{k[:-2]} {v:.2f} s" for k, v in floor.items()), flush=True)
    if args.profile:
        for what in ("profile_load", "profile_score"):
            subprocess.run([sys.executable, __file__, "--_child", what, "--model", str(args.model)],
                           cwd=c.REPO, check=True)
    m = c.median
    load = {k: m([r[k] for r in loads]) for k in loads[0]}

    texts = texts_for(args.posts)
    inproc = in_process(args.model, texts, args.posts, args.rounds)
    http_res = None if args.no_http else over_http(args.model, texts, args.posts, args.rounds)
    size = disk_size(args.model)

    targets = {
        "load_model < 1 s (median, fresh process)": {"measured": load["load_model_s"],
                                                     "met": load["load_model_s"] < TARGETS["load_s"]},
        "in-process score([text]) median < 2 ms": {"measured": inproc["median_ms"],
                                                   "met": inproc["median_ms"] < TARGETS["in_process_median_ms"]},
    }
    if http_res:
        targets["HTTP median < 20 ms"] = {"measured": http_res["median_ms"],
                                          "met": http_res["median_ms"] < TARGETS["http_median_ms"]}
    result = {"benchmark": NAME, "command": c.command(), "started": started, "finished": c.now(),
              "loadavg_before": load_before, "loadavg_after": c.loadavg(), "machine": c.machine(),
              "model": c.model_info(args.model), "code": code,
              "load": {"median": load, "runs": loads}, "libraries_floor": {"median": floor, "runs": floors},
              "in_process": inproc, "http": http_res,
              "model_size_on_disk": size, "targets": targets}
    out = c.write_result(NAME, result)

    rows = [["load_model, fresh process (s)", args.loads, load["load_model_s"], None, "< 1 s"],
            ["  of which imports (s)", args.loads, load["imports_s"], None, ""],
            ["  of which load_model call (s)", args.loads, load["load_call_s"], None, ""],
            ["first score after load (s)", args.loads, load["first_score_s"], None, ""],
            ["libraries alone: numpy+pandas+spaCy+scipy.sparse+English() (s)", args.loads, floor["floor_s"], None, ""],
            ["in-process score([text]) (ms)", f"{args.rounds}x{args.posts}", inproc["median_ms"], inproc["p99_ms"],
             "< 2 ms median"]]
    if http_res:
        rows.append(["HTTP /invocations, 1 post (ms)", f"{args.rounds}x{args.posts}", http_res["median_ms"],
                     http_res["p99_ms"], "< 20 ms median"])
        rows.append(["moderate serve start to /ping 200 (s)", 1, http_res["server_ready_s"], None, ""])
    rows.append(["model size on disk (MB)", size["files"], size["bytes"] / 1e6, None, ""])
    print()
    print(c.table(rows, ["what", "n", "median", "p99", "target"]))
    for name, t in targets.items():
        print(f"{'MET    ' if t['met'] else 'NOT MET'}  {name}: {t['measured']:.3f}")
    print(f"wrote {out.relative_to(c.REPO)}")


if __name__ == "__main__":
    main()
