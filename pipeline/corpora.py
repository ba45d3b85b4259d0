"""Importers for the public labelled corpora in ``../shared/corpora`` (or ``$MODERATE_CORPORA``).

``read_corpus(name)`` reads one corpus's files as they are stored (never copied) and returns one row
per labelled item: ``id`` (``"<name>:<original id or data-row number from 1>"``), ``text``,
``source`` (the corpus name), ``subset`` (video or crisis event, else empty) and the label columns
``abuse, spam, sub_judice, crime_report, party_political, urgent`` as nullable ``Int8``, where
<NA> means *not labelled* (never "0"). ``import_corpus`` writes it as JSONL or Parquet.

Text is cleaned only of storage damage: UTF-8 BOM and stray U+FEFF removed, CR/CRLF -> LF, HTML
entities unescaped, mojibake repaired with ``ftfy.fix_encoding`` plus three lossy sequences from the
political file (``â€ù`` -> ``”``, ``â€è`` -> U+200F, ``â€_`` -> ``…``, the most likely reading).
Bytes that are not UTF-8 are replaced (U+FFFD) and counted.

Dropped rows, by reason: ``empty_text``, ``malformed`` (wrong number of fields),
``unknown_label`` (a label value outside the table), ``duplicate_id`` (same original id again;
the first is kept), ``non_english_event`` (CrisisLexT26). Counts are logged
and kept in ``df.attrs["import_stats"]``.

Label mapping (every cell not listed is <NA>):

| corpus | source field = value | label |
| --- | --- | --- |
| davidson_hate_offensive | class 0 (hate) or 1 (offensive) / 2 (neither) | abuse = 1 / 0 |
| sms_spam_collection | spam / ham | spam = 1 / 0 |
| youtube_spam_alberto_2014 | TAG 1 / 0 (subset = file stem: video name + id) | spam = 1 / 0 |
| political_social_media | bias partisan / neutral | party_political = 1 / 0 |
| crisislex_t26 (18 English events, subset = event) | Boston bombings or LA airport shootings, source Eyewitness, Related and informative, type Affected individuals | crime_report = 1 |
| | informativeness Not related; or source Media, Government, NGOs, Business; or source Outsiders, except Related and informative tweets that are in the two crime events or of type Affected individuals | crime_report = 0 |
| | informativeness Not related; or source other than Eyewitness and (Related - but not informative, or type Sympathy and support, or Donations and volunteering) | urgent = 0 |
| crisislex_t6 (subset = event) | off-topic | crime_report = 0, urgent = 0 |
| | on-topic | (all <NA>) |

Why the CrisisLex proxies look like this: no CrisisLex label means "a member of the public reports
a crime or asks for help". First-hand (Eyewitness), informative tweets about people hurt in the two
crimes come closest (21 tweets, about half of them news lines quoting witnesses: weak positives).
Organisations' posts (news, police appeals, advisories) and outsiders' commentary are not reports,
so crime_report = 0. Eyewitness tweets in other crises stay unknown (many are #RescuePH rescue
requests, which LABELS.md counts as crime_report), as do outsiders' informative relays about
affected people. No label says "danger happening now", so urgent only gets negatives: chatter, and
second-hand prayers, jokes, opinions and donation posts. T6 off-topic tweets are everyday chatter
from the same place and time. Non-English T26 events (``NON_ENGLISH_T26``, from SOURCE.md) are dropped.
"""
from __future__ import annotations

import csv
import html
import io
import logging
import os
import re
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import ftfy
import pandas as pd

from pipeline.data import LABEL_COLUMNS

log = logging.getLogger(__name__)

COLUMNS: tuple[str, ...] = ("id", "text", "source", "subset", *LABEL_COLUMNS)
NA = None
# (original id, raw text, subset, {label: 0/1}); labels not in the dict are unknown.
Item = tuple[str, str, str, dict[str, int]]
Reader = Callable[[Path, Counter], Iterator[Item]]

NON_ENGLISH_T26 = frozenset({
    "2012_Costa_Rica_earthquake", "2012_Guatemala_earthquake", "2012_Venezuela_refinery",
    "2013_Spain_train_crash", "2012_Italy_earthquakes", "2013_Sardinia_floods",
    "2013_Brazil_nightclub_fire", "2013_Lac_Megantic_train_crash"})
CRIME_EVENTS_T26 = frozenset({"2013_Boston_bombings", "2013_LA_airport_shootings"})
ORGANISATIONS = frozenset({"Media", "Government", "NGOs", "Business"})
LOSSY_MOJIBAKE = {"â€ù": "\u201d", "â€è": "\u200f", "â€_": "\u2026"}
BOM = b"\xef\xbb\xbf"


def default_corpora_root() -> Path:
    """``$MODERATE_CORPORA`` if set, else ``<repo root>/../shared/corpora``."""
    env = os.environ.get("MODERATE_CORPORA")
    return Path(env) if env else Path(__file__).resolve().parents[1].parent / "shared" / "corpora"


# ---------------------------------------------------------------- reading files as they are
def _decode(raw: bytes, stats: Counter) -> str:
    """UTF-8 without the BOM; undecodable bytes become U+FFFD and are counted."""
    if raw.startswith(BOM):
        raw = raw[len(BOM):]
        stats["bom_stripped"] += 1
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("utf-8", errors="replace")
        # U+FFFD already in the file is stored as EF BF BD; the rest were bad bytes.
        stats["bad_bytes_replaced"] += text.count("\ufffd") - raw.count("\ufffd".encode())
        return text


def _rows(path: Path, stats: Counter, *, header: bool = True, delimiter: str = ",",
          quoting: int = csv.QUOTE_MINIMAL, width: int | None = None) -> Iterator[tuple[int, Any]]:
    """(data-row number from 1, record) of one delimited file; a record is a dict keyed by stripped
    header names, or a list of fields if there is no header. Malformed records are counted, skipped.

    The csv module ends records at LF, CR or CRLF and keeps line breaks inside quoted fields.
    A header line with semicolons and no commas is read as semicolon-separated.
    """
    text = _decode(path.read_bytes(), stats)
    first = re.split(r"\r\n|\r|\n", text, maxsplit=1)[0]
    if header and delimiter == "," and "," not in first and ";" in first:
        delimiter = ";"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quoting=quoting)
    names = [h.strip() for h in next(reader, [])] if header else None
    width = len(names) if names is not None else width
    rows_before = stats["rows_read"]
    for row in reader:
        if not row:  # blank line
            continue
        stats["rows_read"] += 1
        if width is not None and len(row) != width:
            stats["dropped_malformed"] += 1
            continue
        yield stats["rows_read"] - rows_before, dict(zip(names, row)) if names is not None else row


def _folder(root: Path, name: str) -> Path:
    folder = root / name
    if not folder.is_dir():
        raise FileNotFoundError(
            f"corpus folder not found: {folder}. The public corpora are expected at "
            f"../shared/corpora (next to the repository) or at $MODERATE_CORPORA.")
    return folder


def _files(folder: Path, pattern: str) -> list[Path]:
    files = sorted(folder.glob(pattern))
    if not files:
        raise FileNotFoundError(f"no files matching {pattern} in {folder}")
    return files


def _mapped(value: str, mapping: dict[str, int], stats: Counter) -> int | None:
    label = mapping.get(value.strip())
    if label is None:
        stats["dropped_unknown_label"] += 1
    return label


# ---------------------------------------------------------------- one reader per corpus
def _davidson(folder: Path, stats: Counter) -> Iterator[Item]:
    for _, r in _rows(_files(folder, "labeled_data.csv")[0], stats):
        if (y := _mapped(r["class"], {"0": 1, "1": 1, "2": 0}, stats)) is not None:
            yield r[""].strip(), r["tweet"], "", {"abuse": y}


def _sms(folder: Path, stats: Counter) -> Iterator[Item]:
    # No quoting: messages may start with a double quote that never closes.
    rows = _rows(_files(folder, "SMSSpamCollection.tsv")[0], stats, header=False, delimiter="\t",
                 quoting=csv.QUOTE_NONE, width=2)
    for n, (label, text) in rows:
        if (y := _mapped(label, {"spam": 1, "ham": 0}, stats)) is not None:
            yield str(n), text, "", {"spam": y}


def _youtube(folder: Path, stats: Counter) -> Iterator[Item]:
    for path in _files(folder, "*.csv"):
        for _, r in _rows(path, stats):
            if (y := _mapped(r["TAG"], {"1": 1, "0": 0}, stats)) is not None:
                yield r["COMMENT_ID"].strip(), r["CONTENT"], path.stem, {"spam": y}


def _political(folder: Path, stats: Counter) -> Iterator[Item]:
    for n, r in _rows(_files(folder, "political_social_media.csv")[0], stats):
        if (y := _mapped(r["bias"], {"partisan": 1, "neutral": 0}, stats)) is not None:
            yield str(n), r["text"], "", {"party_political": y}


def t26_labels(event: str, source: str, info_type: str, informativeness: str) -> dict[str, int | None]:
    """crime_report and urgent proxies for one CrisisLexT26 tweet (see the module docstring)."""
    informative = informativeness == "Related and informative"
    crime: int | None = NA
    if informativeness == "Not related":
        crime = 0
    elif event in CRIME_EVENTS_T26 and source == "Eyewitness" and informative \
            and info_type == "Affected individuals":
        crime = 1
    elif source in ORGANISATIONS:
        crime = 0
    elif source == "Outsiders" and not (informative and (event in CRIME_EVENTS_T26
                                                         or info_type == "Affected individuals")):
        crime = 0
    urgent: int | None = NA
    if informativeness == "Not related" or (source != "Eyewitness" and (
            informativeness == "Related - but not informative"
            or info_type in ("Sympathy and support", "Donations and volunteering"))):
        urgent = 0
    return {"crime_report": crime, "urgent": urgent}


def _crisislex_t26(folder: Path, stats: Counter) -> Iterator[Item]:
    for path in _files(folder, "*/*-tweets_labeled.csv"):
        event = path.parent.name
        for _, r in _rows(path, stats):
            if event in NON_ENGLISH_T26:
                stats["dropped_non_english_event"] += 1
                continue
            labels = t26_labels(event, r["Information Source"].strip(), r["Information Type"].strip(),
                                r["Informativeness"].strip())
            yield r["Tweet ID"].strip().strip("'\""), r["Tweet Text"], event, labels


def _crisislex_t6(folder: Path, stats: Counter) -> Iterator[Item]:
    for path in _files(folder, "*/*-ontopic_offtopic.csv"):
        for _, r in _rows(path, stats):
            on_topic = _mapped(r["label"], {"on-topic": 1, "off-topic": 0}, stats)
            if on_topic is not None:
                labels = {} if on_topic else {"crime_report": 0, "urgent": 0}
                yield r["tweet id"].strip().strip("'\""), r["tweet"], path.parent.name, labels


CORPORA: dict[str, Reader] = {
    "davidson_hate_offensive": _davidson,
    "sms_spam_collection": _sms,
    "youtube_spam_alberto_2014": _youtube,
    "political_social_media": _political,
    "crisislex_t26": _crisislex_t26,
    "crisislex_t6": _crisislex_t6,
}


# ---------------------------------------------------------------- cleaning and assembling
def clean_text(raw: str, stats: Counter | None = None) -> str:
    """Undo storage damage only: line endings, stray U+FEFF, HTML entities, mojibake."""
    stats = stats if stats is not None else Counter()
    text = raw
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        stats["fixed_cr"] += 1
    if "\ufeff" in text:
        text = text.replace("\ufeff", "")
        stats["fixed_feff"] += 1
    unescaped = text
    for _ in range(3):  # some texts were escaped twice upstream ("&amp;amp;", "&amp;#9773;")
        if "&" not in unescaped or (once := html.unescape(unescaped)) == unescaped:
            break
        unescaped = once
    stats["fixed_html_entities"] += unescaped != text
    repaired = ftfy.fix_encoding(unescaped)
    for bad, good in LOSSY_MOJIBAKE.items():
        repaired = repaired.replace(bad, good)
    stats["fixed_mojibake"] += repaired != unescaped
    return repaired


def read_corpus(name: str, root: Path | None = None) -> pd.DataFrame:
    """One corpus as a DataFrame with ``COLUMNS``; labels nullable Int8, <NA> = not labelled."""
    if name not in CORPORA:
        raise KeyError(f"unknown corpus {name!r}; known: {', '.join(CORPORA)}")
    folder = _folder(Path(root) if root is not None else default_corpora_root(), name)
    stats: Counter = Counter()
    records: dict[str, list] = {c: [] for c in COLUMNS}
    seen: set[str] = set()
    for orig_id, raw, subset, labels in CORPORA[name](folder, stats):
        text = clean_text(raw, stats)
        if not text.strip():
            stats["dropped_empty_text"] += 1
            continue
        item_id = f"{name}:{orig_id}"
        if item_id in seen:
            stats["dropped_duplicate_id"] += 1
            continue
        seen.add(item_id)
        for col, value in (("id", item_id), ("text", text), ("source", name), ("subset", subset)):
            records[col].append(value)
        for col in LABEL_COLUMNS:
            records[col].append(labels.get(col, NA))
    df = pd.DataFrame({c: (pd.array(records[c], dtype="Int8") if c in LABEL_COLUMNS
                           else pd.array(records[c], dtype=object)) for c in COLUMNS})
    dropped = {k.removeprefix("dropped_"): v for k, v in sorted(stats.items()) if k.startswith("dropped_")}
    fixes = {k: v for k, v in sorted(stats.items())
             if k.startswith("fixed_") or k in ("bad_bytes_replaced", "bom_stripped")}
    df.attrs["import_stats"] = {"rows_read": stats["rows_read"], "rows": len(df), "dropped": dropped,
                                "text_fixes": fixes}
    log.info("corpus %s: %d rows read, %d kept, dropped %s, text fixes %s",
             name, stats["rows_read"], len(df), dropped or "none", fixes or "none")
    return df


def summarise(df: pd.DataFrame) -> dict:
    """Rows, per-label positive/negative/unknown counts and the import stats of a read corpus."""
    labels = {c: {"positive": int((df[c] == 1).sum()), "negative": int((df[c] == 0).sum()),
                  "unknown": int(df[c].isna().sum())} for c in LABEL_COLUMNS}
    stats = df.attrs.get("import_stats", {})
    return {"rows": len(df), "rows_read": stats.get("rows_read"), "labels": labels,
            "dropped": stats.get("dropped", {}), "text_fixes": stats.get("text_fixes", {})}


def import_corpus(name: str, out_path: str | Path, root: Path | None = None) -> dict:
    """Write one corpus to ``out_path`` (.jsonl or .parquet; unknown labels as null); return the summary."""
    out_path = Path(out_path)
    suffix = out_path.suffix.lower()
    if suffix not in (".jsonl", ".parquet"):
        raise ValueError(f"out_path must end in .jsonl or .parquet, got {out_path.name!r}")
    df = read_corpus(name, root)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".jsonl":
        df.to_json(out_path, orient="records", lines=True, force_ascii=False)
    else:
        df.to_parquet(out_path, index=False)
    return {"corpus": name, "out_path": str(out_path), **summarise(df)}
