"""What the benchmarks share: machine facts, a process-tree memory sampler, medians, result files.

Not a benchmark. Memory is measured two ways, both without psutil (not installed):

* ``TreeSampler`` reads ``/proc/<pid>/status`` (VmRSS) and ``/proc/<pid>/smaps_rollup`` (Pss) of a
  process and all its descendants every ``interval`` seconds and keeps the peak of the sums.
  Summed RSS counts pages shared between a parent and its forked workers once per process (an
  over-estimate); summed PSS splits shared pages between the processes sharing them (what the tree
  really holds). A peak shorter than the interval can be missed.
* ``resource.getrusage(RUSAGE_SELF / RUSAGE_CHILDREN).ru_maxrss``, reported by the measured child
  itself: the peak RSS of the main process, and of its largest (waited-for) worker.
"""
from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import threading
import time
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
RESULTS = BENCH_DIR / "results"
CACHE = REPO / "build" / "bench"
PYTHON = sys.executable


CODE_ROOT = REPO  # where the measured pipeline code (and its models/) lives: see use_code


def model_path() -> Path:
    """The model folder that models/DEFAULT names (the snapshot's, when ``use_code`` pinned a commit)."""
    pointer = CODE_ROOT / "models" / "DEFAULT"
    if pointer.is_file():
        return CODE_ROOT / "models" / pointer.read_text().strip()
    raise SystemExit(f"no model: {pointer} does not exist (make model writes it; or pass --model)")


def machine() -> dict:
    mem_kb = next(int(line.split()[1]) for line in open("/proc/meminfo") if line.startswith("MemTotal:"))
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "")
    versions = {}
    for name in ("numpy", "scikit-learn", "pandas", "spacy", "mlflow", "alt-profanity-check"):
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return {"nproc": os.cpu_count(), "cpu": cpu, "ram_gib": round(mem_kb / 2**20, 1),
            "python": platform.python_version(), "packages": versions,
            "shared": "yes: other engineers' jobs ran at the same time (see loadavg)"}


def loadavg() -> list[float]:
    return [float(x) for x in open("/proc/loadavg").read().split()[:3]]


def git_commit() -> str | None:
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True)
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "pipeline"], cwd=REPO, capture_output=True,
                               text=True).stdout.strip()
        return out.stdout.strip() + ("+uncommitted changes in pipeline/" if dirty else "")
    except OSError:
        return None


def use_code(ref: str | None) -> str:
    """Benchmark the pipeline code of git ``ref`` instead of the working tree (which other people
    edit while a long run goes on): ``git archive`` of ``pipeline/``, ``data/rules/`` and ``models/``
    (the shipped model of that commit) extracted once to ``build/bench/src-<sha>/``, put first on
    ``sys.path`` and on ``PYTHONPATH`` (so child processes and ``moderate serve`` use it too). Call
    before anything imports ``pipeline``. Returns a description of the code measured."""
    global CODE_ROOT
    if not ref or ref == "worktree":
        return f"working tree at {git_commit()}"
    sha = subprocess.run(["git", "rev-parse", "--verify", ref + "^{commit}"], cwd=REPO, capture_output=True,
                         text=True, check=True).stdout.strip()
    dest = CACHE / f"src-{sha[:12]}"
    if not (dest / "pipeline" / "__init__.py").is_file():
        tmp = CACHE / f".src-{sha[:12]}.tmp"
        subprocess.run(["rm", "-rf", str(tmp)], check=True)
        tmp.mkdir(parents=True)
        archive = subprocess.run(["git", "archive", sha, "pipeline", "data/rules", "models"], cwd=REPO,
                                 capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(tmp)], input=archive, check=True)
        os.replace(tmp, dest)
    CODE_ROOT = dest
    sys.path.insert(0, str(dest))
    os.environ["PYTHONPATH"] = os.pathsep.join([str(dest), *filter(None, [os.environ.get("PYTHONPATH")])])
    return f"git {sha[:12]} (committed pipeline/, data/rules/, models/, extracted to build/bench/src-{sha[:12]})"


def model_info(path: Path) -> dict:
    meta = json.loads((path / "meta.json").read_text())
    path = Path(path).resolve()
    where = path.relative_to(REPO) if path.is_relative_to(REPO) else path
    return {"path": str(where), "model_version": meta.get("model_version"), "bundle_format": meta.get("format")}


def median(xs):
    return statistics.median(xs) if xs else None


def percentile(xs, q: float):
    """Nearest-rank percentile (q in 0..100) of a list."""
    s = sorted(xs)
    if not s:
        return None
    k = max(0, min(len(s) - 1, int(round(q / 100 * len(s) + 0.5)) - 1))
    return s[k]


# ---- process-tree memory --------------------------------------------------------------------------

def _children_map() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        kids.setdefault(ppid, []).append(int(entry.name))
    return kids


def tree(pid: int) -> list[int]:
    kids, out, todo = _children_map(), [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(kids.get(p, ()))
    return out


def _kb(path: str, key: str) -> int:
    try:
        with open(path) as f:
            for line in f:
                if line.startswith(key):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class TreeSampler:
    """Peak summed RSS and PSS (bytes) of ``pid`` and its descendants, sampled in a thread."""

    def __init__(self, pid: int, interval: float = 0.25):
        self.pid, self.interval = pid, interval
        self.peak_rss = self.peak_pss = 0
        self.max_procs = 0
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def _run(self):
        while not self._stop.is_set():
            pids = tree(self.pid)
            rss = sum(_kb(f"/proc/{p}/status", "VmRSS:") for p in pids) * 1024
            pss = sum(_kb(f"/proc/{p}/smaps_rollup", "Pss:") for p in pids) * 1024
            self.peak_rss, self.peak_pss = max(self.peak_rss, rss), max(self.peak_pss, pss)
            self.max_procs = max(self.max_procs, len(pids))
            self.samples += 1
            self._stop.wait(self.interval)


def run_child(args: list[str], timeout: float | None = None) -> tuple[dict, TreeSampler, float]:
    """Run ``python <args>`` (which prints one JSON line last) with its tree's memory sampled."""
    start = time.perf_counter()
    proc = subprocess.Popen([PYTHON, *args], cwd=REPO, stdout=subprocess.PIPE, text=True)
    with TreeSampler(proc.pid) as sampler:
        out, _ = proc.communicate(timeout=timeout)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"child failed ({proc.returncode}): {' '.join(args)}")
    return json.loads(out.strip().splitlines()[-1]), sampler, wall


def maxrss_bytes() -> dict:
    import resource

    return {"self": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
            "children": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024}


def cpu_seconds() -> dict:
    """User + system CPU seconds of this process and of its waited-for children, from its start."""
    import resource

    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    out = {"self": me.ru_utime + me.ru_stime, "children": kids.ru_utime + kids.ru_stime}
    out["total"] = out["self"] + out["children"]
    return out


# ---- output -----------------------------------------------------------------------------------------

def command() -> str:
    return " ".join([".venv/bin/python", str(Path(sys.argv[0]).resolve().relative_to(REPO)), *sys.argv[1:]])


def write_result(name: str, result: dict) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(result, indent=2) + "\n")
    return path


def read_result(name: str) -> dict | None:
    path = RESULTS / f"{name}.json"
    return json.loads(path.read_text()) if path.is_file() else None


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def table(rows: list[list], header: list[str]) -> str:
    cells = [[str(c) for c in header]] + [[_fmt(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)) for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _fmt(c) -> str:
    if isinstance(c, float):
        return f"{c:,.3f}" if abs(c) < 100 else f"{c:,.0f}"
    if isinstance(c, int):
        return f"{c:,}"
    return "" if c is None else str(c)


def gib(b: float | None) -> float | None:
    return None if b is None else round(b / 2**30, 3)
