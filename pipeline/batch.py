"""Batch scoring of platform exports: any size, bounded memory, both cores, nothing lost, resumable.

Records are read in chunks (``pipeline.exports``), the model and the per-post rules run in worker
processes, and the main process runs what needs the whole stream in order (repeats, decisions)
and appends each chunk to the output. Every input record comes out exactly once, in order, with
its original id; a record that could not be read is kept with ``action`` = ``error``.

A checkpoint beside the output (``<output>.checkpoint.json``) records, after every chunk, how
many records are done and how long each output file was. ``resume=True`` truncates the files to
that point, rebuilds the repeat history and report counts from what was written, and carries on:
no record is scored twice or lost.

>>> summary = score_batch(load_model(), [Path("data/exports")], Path("scored.csv"))  # doctest: +SKIP
"""
from __future__ import annotations

import json
import os
import sys
from collections import deque
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from pipeline.errors import DataError
from pipeline.exports import ColumnMapping, iter_records
from pipeline.report import ReportStats, write_report
from pipeline.rules import RepeatTracker
from pipeline.schema import ACTIONS, CATEGORIES
from pipeline.table_io import TableWriter

QUEUE_ACTIONS = ("escalate", "remove", "hide", "reply")  # what a person must look at, most urgent first
QUEUE_COLUMNS = ["id", "platform", "author", "created_at", "text", "action", "urgent", "reasons", "policy_refs",
                 "reply", "explanations", *(f"score_{c}" for c in CATEGORIES), "source_file", "source_row"]


@dataclass
class BatchOptions:
    format: str | None = None
    mapping: ColumnMapping | None = None
    chunk_size: int = 5_000
    workers: int = 2
    queue: Path | None = None
    report: Path | None = None
    history: Path | None = None
    redact: bool = False
    resume: bool = False
    progress: bool | None = None  # None: only when stderr is a terminal


@dataclass
class Checkpoint:
    inputs: list[str]
    records: int = 0
    sizes: dict[str, int] = field(default_factory=dict)  # output file -> bytes written so far

    @classmethod
    def path_for(cls, output: Path) -> Path:
        return output.with_name(output.name + ".checkpoint.json")

    def save(self, output: Path) -> None:
        tmp = self.path_for(output).with_suffix(".tmp")
        tmp.write_text(json.dumps(self.__dict__))
        os.replace(tmp, self.path_for(output))


_worker_moderator = None


def _init_worker(model_path: str) -> None:
    global _worker_moderator
    from pipeline import load_model

    _worker_moderator = load_model(model_path)


def _assess(chunk: pd.DataFrame, redact: bool):
    return _worker_moderator.assess(chunk, redact=redact)


def score_batch(moderator, inputs: list[Path], output: Path, options: BatchOptions = BatchOptions()) -> dict:
    """Score every record of ``inputs`` into ``output``; return the run's counts."""
    output = Path(output)
    checkpoint = _start(inputs, output, options)
    history = RepeatTracker(options.history) if options.history else RepeatTracker()
    stats = ReportStats()
    writers = {"output": TableWriter(output, append=options.resume)}
    queue_parts = {a: TableWriter(_part(options.queue, a), append=options.resume) for a in QUEUE_ACTIONS} \
        if options.queue else {}
    if options.resume and checkpoint.records:
        _replay(moderator, output, history, stats, ", ".join(map(str, inputs)))
    chunks = iter_records(inputs, format=options.format, mapping=options.mapping, chunk_size=options.chunk_size)
    skip = checkpoint.records
    bar = _progress(options, inputs, skip)
    try:
        for records, assessed in _assessed(_skip(chunks, skip), moderator, options):
            scored = moderator.decide_batch(assessed, history=history)
            out = pd.concat([records.reset_index(drop=True), scored], axis=1)
            writers["output"].write(out)
            for action, part in queue_parts.items():
                part.write(out.loc[out["action"] == action, [c for c in QUEUE_COLUMNS if c in out.columns]])
            stats.update(out, source=", ".join(map(str, inputs)))
            checkpoint.records += len(out)
            checkpoint.sizes = {name: w.flush() for name, w in {**writers, **queue_parts}.items()}
            checkpoint.save(output)
            if bar is not None:
                bar.update(len(out))
    finally:
        if bar is not None:
            bar.close()
        for w in (*writers.values(), *queue_parts.values()):
            w.close()
    if options.queue:
        _join_queue(options.queue, queue_parts)
    if options.report:
        write_report(stats, options.report)
    if options.history:
        history.save()
    Checkpoint.path_for(output).unlink(missing_ok=True)
    return _summary(stats, inputs, output, options, moderator.version)


def _assessed(chunks: Iterator[pd.DataFrame], moderator, options: BatchOptions):
    """(records, assessment) per chunk, in order; assessed in worker processes when workers > 1."""
    if options.workers <= 1:
        for chunk in chunks:
            yield chunk, moderator.assess(chunk, redact=options.redact)
        return
    with ProcessPoolExecutor(options.workers, initializer=_init_worker,
                             initargs=(str(moderator.bundle.path),)) as pool:
        window: deque = deque()
        for chunk in chunks:
            window.append((chunk, pool.submit(_assess, chunk, options.redact)))
            if len(window) > 2 * options.workers:  # bounded read-ahead keeps memory flat
                records, future = window.popleft()
                yield records, future.result()
        while window:
            records, future = window.popleft()
            yield records, future.result()


def _skip(chunks: Iterator[pd.DataFrame], n: int) -> Iterator[pd.DataFrame]:
    for chunk in chunks:
        if n >= len(chunk):
            n -= len(chunk)
            continue
        yield chunk.iloc[n:] if n else chunk
        n = 0


def _start(inputs: list[Path], output: Path, options: BatchOptions) -> Checkpoint:
    signature = [f"{p}:{p.stat().st_size}" for p in map(Path, inputs) if p.exists()]
    path = Checkpoint.path_for(output)
    if not options.resume:
        if path.exists():
            raise DataError(output, "an interrupted run left a checkpoint here; pass --resume to finish it, "
                                    f"or delete {path.name} to start again")
        return Checkpoint(signature)
    if not path.exists():
        raise DataError(output, "nothing to resume: no checkpoint beside this output")
    checkpoint = Checkpoint(**json.loads(path.read_text()))
    if checkpoint.inputs != signature:
        raise DataError(output, "the inputs changed since the interrupted run; cannot resume safely")
    for name, size in checkpoint.sizes.items():
        target = output if name == "output" else _part(options.queue, name)
        with open(target, "r+b") as f:  # drop whatever was written after the last checkpoint
            f.truncate(size)
    return checkpoint


def _replay(moderator, output: Path, history: RepeatTracker, stats: ReportStats, source: str) -> None:
    """Rebuild the repeat history and the report's counts from the rows already written."""
    from pipeline.score import to_posts

    for chunk in TableWriter.read_back(output):
        stats.update(chunk, source=source)
        moderator.rules.check_repeats(to_posts(chunk[chunk["action"] != "error"]), history)


def _part(queue: Path | None, action: str) -> Path:
    return queue.with_name(f".{queue.name}.{action}{queue.suffix}")


def _join_queue(queue: Path, parts: dict[str, TableWriter]) -> None:
    """The review queue: escalations, then removals, then hides, then replies."""
    with TableWriter(queue) as out:
        for action in QUEUE_ACTIONS:
            for chunk in TableWriter.read_back(_part(queue, action)):
                out.write(chunk)
            _part(queue, action).unlink(missing_ok=True)


def _progress(options: BatchOptions, inputs: list[Path], done: int):
    show = options.progress if options.progress is not None else sys.stderr.isatty()
    if not show:
        return None
    from tqdm import tqdm

    total = sum(len(c) for c in iter_records(inputs, format=options.format, mapping=options.mapping,
                                             chunk_size=50_000))
    return tqdm(total=total, initial=done, unit="post", file=sys.stderr, smoothing=0.1, dynamic_ncols=True)


def _summary(stats: ReportStats, inputs, output, options: BatchOptions, version: str) -> dict:
    return {
        "input": ", ".join(map(str, inputs)), "output": str(output), "posts": stats.posts, "model_version": version,
        "categories": {c: int(stats.categories.get(c, 0)) for c in CATEGORIES},
        "urgent": int(stats.urgent),
        "actions": {a: int(stats.actions[a]) for a in ACTIONS if stats.actions.get(a)},
        "queue": str(options.queue) if options.queue else None,
        "report": str(options.report) if options.report else None,
    }
