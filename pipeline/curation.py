"""Tools for data staff: check a labelled file, pick posts to review, merge a reviewed sheet back.

The loop: ``check_file`` the corpus; score new posts; ``review_sample`` the scored file into a
labelling sheet; people fill in the label columns; ``merge_sheet`` adds it to the corpus.

>>> report = check_file("data/opcc/posts.jsonl")  # doctest: +SKIP
>>> print(report.format())  # doctest: +SKIP
>>> merge_sheet("data/opcc/posts.jsonl", "review/sheet.csv", prefer=None).added  # doctest: +SKIP
"""
from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from pipeline.data import LABEL_COLUMNS, known, parse_label, read_table, tidy_labels, validate, write_labelled
from pipeline.errors import DataError, DataErrors
from pipeline.schema import CATEGORIES, OPTIONAL_COLUMNS
from pipeline.splits import near_duplicate_pairs
from pipeline.text import normalise

SHEET_POST_COLUMNS = ("author", "platform", "created_at")
# Sheet columns that travel into the corpus with a new post; model hints and why_picked do not.
CARRIED_COLUMNS = (*OPTIONAL_COLUMNS, "notes")


@dataclass
class CheckReport:
    """What ``check_file`` found. Row numbers count data rows from 1, as in ``pipeline.data``."""

    path: str
    rows: int = 0
    errors: list[DataError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    label_counts: dict[str, dict[str, int]] = field(default_factory=dict)
    exact_duplicates: list[list[int]] = field(default_factory=list)
    near_duplicates: list[tuple[int, int]] = field(default_factory=list)
    conflicts: list[tuple[list[int], list[str]]] = field(default_factory=list)  # (rows, disagreeing labels)
    empty_rows: list[int] = field(default_factory=list)
    overlong_rows: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def format(self) -> str:
        lines = [f"{self.path}: {self.rows} row(s), {len(self.errors)} error(s), {len(self.warnings)} warning(s)"]
        for title, items in (("Errors", [str(e) for e in self.errors]), ("Warnings", self.warnings)):
            if items:
                lines += [f"{title}:", *(f"  {item}" for item in items)]
        if self.label_counts:
            lines.append("Labels (positive / negative / unknown):")
            lines += [f"  {c:<16} {n['positive']:>6} / {n['negative']:>6} / {n['unknown']:>6}"
                      for c, n in self.label_counts.items()]
        return "\n".join(lines)


def _lenient_labels(df: pd.DataFrame) -> pd.DataFrame:
    """Labels as 1/0/NaN with unparseable cells as NaN: lets checking go on past bad cells."""
    def safe(value: object) -> float:
        try:
            return parse_label(value)
        except ValueError:
            return float("nan")

    out = df.copy()
    out["text"] = out["text"].fillna("").astype(str)
    for col in LABEL_COLUMNS:
        if col in out.columns:
            out[col] = out[col].map(safe).astype("float64")
    return out


def _rows(rows) -> str:
    return ", ".join(str(r) for r in rows)


def check_file(path: str | Path, max_chars: int = 5000, near_threshold: float = 0.8) -> CheckReport:
    """Every problem in a labelled file at once: schema errors, label conflicts, duplicates, long texts.

    >>> check_file("data/opcc/posts.jsonl").ok  # doctest: +SKIP
    True
    """
    report = CheckReport(path=str(path))
    try:
        raw = read_table(path)
    except DataError as e:
        report.errors.append(e)
        return report
    report.rows = len(raw)
    try:
        df = validate(raw, path)
    except (DataError, DataErrors) as e:
        report.errors += getattr(e, "errors", [e])
        if "text" not in raw.columns:
            return report
        if isinstance(e, DataError):  # missing label columns: still report bad cells in those there
            try:
                validate(raw, path, required_labels=False)
            except DataErrors as cells:
                report.errors += cells.errors
        df = _lenient_labels(raw)
    labels = [c for c in LABEL_COLUMNS if c in df.columns]
    report.label_counts = {c: {"positive": int((df[c] == 1).sum()), "negative": int((df[c] == 0).sum()),
                               "unknown": int(df[c].isna().sum())} for c in labels}
    texts = df["text"].tolist()
    report.empty_rows = [i for i, t in enumerate(texts, start=1) if not t.strip()]
    report.overlong_rows = [i for i, t in enumerate(texts, start=1) if len(t) > max_chars]
    report.warnings += [f"row {i}: text is {len(texts[i - 1])} characters (over {max_chars})" for i in report.overlong_rows]
    _check_duplicates(report, df, labels, near_threshold)
    if "id" in df.columns:
        ids = df["id"].map(lambda v: None if pd.isna(v) or str(v) == "" else str(v))
        for value, group in ids.groupby(ids, sort=False).groups.items():
            if len(group) > 1:
                report.warnings.append(f"rows {_rows(i + 1 for i in group)}: the same id '{value}'")
    return report


def _check_duplicates(report: CheckReport, df: pd.DataFrame, labels: list[str], near_threshold: float) -> None:
    keys = [normalise(t) for t in df["text"]]
    index = [i for i, key in enumerate(keys) if key]  # empty texts are errors already, not duplicates
    groups: dict[str, list[int]] = defaultdict(list)
    for i in index:
        groups[keys[i]].append(i)
    for members in (m for m in groups.values() if len(m) > 1):
        rows = [i + 1 for i in members]
        report.exact_duplicates.append(rows)
        report.warnings.append(f"rows {_rows(rows)}: the same text (after normalisation)")
        clash = [c for c in labels if df[c].iloc[members].dropna().nunique() > 1]
        if clash:
            report.conflicts.append((rows, clash))
            detail = "; ".join(f"{c}: " + ", ".join(f"row {r}={_label(df[c].iloc[r - 1])}" for r in rows) for c in clash)
            report.errors.append(DataError(report.path, f"same text as row(s) {_rows(rows[1:])} but different labels ({detail})",
                                           row=rows[0], column=clash[0]))
    # Near-duplicates of different texts only: exact repeats are reported above.
    for a, b in near_duplicate_pairs([df["text"].iloc[i] for i in index], near_threshold):
        i, j = sorted((index[a], index[b]))
        if keys[i] != keys[j]:
            report.near_duplicates.append((i + 1, j + 1))
    report.near_duplicates.sort()
    report.warnings += [f"rows {i} and {j}: near-duplicate texts" for i, j in report.near_duplicates]


def _label(value: float) -> str:
    return "?" if pd.isna(value) else str(int(value))


def review_sample(scored: pd.DataFrame, n_uncertain: int = 200, n_random: int = 50, seed: int = 13,
                  thresholds: dict[str, float] | None = None) -> pd.DataFrame:
    """A labelling sheet: the posts the model is least sure of, then a seeded random few.

    Uncertainty is the smallest distance of any ``score_<category>`` to its threshold (0.5 unless
    ``thresholds`` gives one). Rows with ``action`` == "error" are left out.

    >>> scored = pd.DataFrame({"id": ["a", "b"], "text": ["x", "y"], "score_abuse": [0.9, 0.52]})
    >>> review_sample(scored, n_uncertain=1, n_random=0)[["id", "why_picked"]].values.tolist()
    [['b', 'uncertain: abuse 0.52']]
    """
    thresholds = thresholds or {}
    df = scored.reset_index(drop=True)
    if "action" in df.columns:
        df = df[df["action"].astype(str) != "error"]
    cats = [c for c in CATEGORIES if f"score_{c}" in df.columns]
    if not cats:
        raise ValueError(f"no score_<category> columns; columns are {', '.join(map(str, scored.columns))}")
    scores = df[[f"score_{c}" for c in cats]].apply(pd.to_numeric, errors="coerce")  # CSV cells are strings
    distance = (scores - np.array([thresholds.get(c, 0.5) for c in cats])).abs()
    scored_rows = distance.notna().any(axis=1)
    df, scores, distance = df[scored_rows], scores[scored_rows], distance[scored_rows]
    nearest = distance.idxmin(axis=1)
    order = distance.min(axis=1).sort_values(kind="stable").index
    uncertain = list(order[:n_uncertain])
    rest = df.index.difference(uncertain)
    rng = np.random.default_rng(seed)
    random = sorted(rng.choice(rest, size=min(n_random, len(rest)), replace=False).tolist()) if len(rest) else []
    picked = df.loc[uncertain + random]
    why = [f"uncertain: {nearest[i][len('score_'):]} {scores.at[i, nearest[i]]:.2f}" for i in uncertain]
    sheet = pd.DataFrame({
        "id": picked["id"] if "id" in picked.columns else None, "text": picked["text"],
        **{c: picked[c] for c in SHEET_POST_COLUMNS if c in picked.columns},
        **{f"score_{c}": scores.loc[picked.index, f"score_{c}"].round(3) for c in cats},  # hints for the labeller
        **dict.fromkeys(LABEL_COLUMNS, ""), "why_picked": why + ["random"] * len(random), "notes": ""})
    return sheet.reset_index(drop=True)


@dataclass
class MergeResult:
    """Counts from ``merge_sheet``: each labelled sheet row is added, updated, unchanged, or
    ``same_text`` (a new id whose text and labels the corpus already has: kept once, as the corpus
    holds one row per text); ``conflicts`` counts rows whose labels disagreed with the corpus
    (resolved by ``prefer``)."""

    out_path: str
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    same_text: int = 0
    skipped_unlabelled: int = 0
    conflicts: int = 0


def _labels_text(labels: dict[str, float]) -> str:
    return "{" + ", ".join(f"{c}={_label(v)}" for c, v in labels.items()) + "}"


def _new_row(post: dict, labels: dict, sheet_id: str | None) -> dict:
    row = {c: post[c] for c in CARRIED_COLUMNS if c in post and known(post[c])}
    digest = hashlib.sha1(post["text"].encode("utf-8")).hexdigest()[:10]
    # A sheet that names its rows' source (a batch written for the corpus) keeps it; a review
    # sheet's rows are marked as coming from review.
    return {"source": "review", **row, "id": sheet_id or f"review-{digest}", "text": post["text"], **labels}


def merge_sheet(corpus_path: str | Path, sheet_path: str | Path, out_path: str | Path | None = None,
                prefer: str | None = None) -> MergeResult:
    """Add a labelled review sheet to the corpus; refuse label conflicts unless ``prefer`` says who wins.

    A sheet row matches a corpus row by ``id``, else by normalised text. Rows with no label filled
    in are skipped; labels the corpus has as unknown are filled in from the sheet (``updated``).
    The output (default: the corpus, in place) is written atomically in its extension's format.

    >>> merge_sheet("data/opcc/posts.jsonl", "sheet.csv", prefer="sheet").added  # doctest: +SKIP
    """
    if prefer not in (None, "sheet", "corpus"):
        raise ValueError(f"prefer must be None, 'sheet' or 'corpus', got {prefer!r}")
    out = Path(out_path or corpus_path)
    corpus = validate(read_table(corpus_path), corpus_path)
    sheet = validate(read_table(sheet_path), sheet_path)
    if "id" not in corpus.columns:  # keep the ids load_labelled gives these posts now
        corpus.insert(0, "id", [f"{Path(corpus_path).stem}:{i}" for i in range(1, len(corpus) + 1)])
    cols = [c for c in LABEL_COLUMNS if c in sheet.columns]
    rows = corpus.to_dict("records")
    by_id = {str(r["id"]): i for i, r in enumerate(rows) if known(r.get("id"))}
    by_text: dict[str, int] = {}
    for i, r in enumerate(rows):
        by_text.setdefault(normalise(r["text"]), i)
    result, problems = MergeResult(out_path=str(out)), []
    for n, post in enumerate(sheet.to_dict("records"), start=1):
        labels = {c: post[c] for c in cols}
        if all(pd.isna(v) for v in labels.values()):
            result.skipped_unlabelled += 1
            continue
        key, sheet_id = normalise(post["text"]), str(post["id"]) if known(post.get("id")) else None
        i = by_id.get(sheet_id, by_text.get(key))  # an id the corpus lacks may still be a known text
        if i is None:
            rows.append(_new_row(post, labels, sheet_id))
            by_id[rows[-1]["id"]] = by_text[key] = len(rows) - 1
            result.added += 1
            continue
        old = {c: rows[i].get(c, float("nan")) for c in cols}
        clash = [c for c in cols if not pd.isna(labels[c]) and not pd.isna(old[c]) and labels[c] != old[c]]
        result.conflicts += bool(clash)
        if clash and prefer is None:
            problems.append(DataError(sheet_path, f"label conflict with corpus row {i + 1} (id {rows[i].get('id')}) "
                                      f"on {', '.join(clash)}: corpus {_labels_text(old)}, sheet {_labels_text(labels)}; "
                                      "pass prefer='sheet' or 'corpus' to resolve", row=n, column=clash[0]))
            continue
        merged = {c: old[c] if pd.isna(labels[c]) or (c in clash and prefer == "corpus") else labels[c] for c in cols}
        if any(merged[c] != old[c] and not pd.isna(merged[c]) for c in cols):
            rows[i].update(merged)
            if known(post.get("notes")) and not known(rows[i].get("notes")):
                rows[i]["notes"] = post["notes"]
            result.updated += 1
        elif sheet_id is not None and sheet_id not in by_id:
            result.same_text += 1
        else:
            result.unchanged += 1
    if problems:
        raise DataErrors(problems)
    columns = list(dict.fromkeys([*corpus.columns, "id", *cols, *(k for r in rows for k in r)]))
    write_labelled(tidy_labels(pd.DataFrame(rows, columns=columns)), out)
    return result
