"""Slices: subsets of posts where a model may behave differently (platform, short, all caps...).

Slices are data (``configs/slices.toml``): a slice groups posts by a column, or selects them by
length, capitals, a regular expression or a term list. ``slice_metrics`` gives each category's
figures on each slice, so a model that fails on dialect or short posts shows it.

>>> masks = slice_masks(pd.DataFrame({"text": ["HELLO THERE FRIENDS", "hi"], "platform": ["x", "x"]}),
...                     load_slices("configs/slices.toml"))
>>> masks["all caps"].tolist(), masks["platform=x"].tolist()
([True, False], [True, True])
"""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd

from pipeline.errors import ConfigError
from pipeline.evaluate import evaluate_scores
from pipeline.schema import OUTPUTS

KINDS = {"column": "column", "max_chars": "max_chars", "all_caps": None, "regex": "pattern", "terms": "terms"}


def load_slices(path: str | Path) -> list[dict]:
    """The validated slice definitions in ``path``."""
    path = Path(path)
    try:
        slices = tomllib.loads(path.read_text(encoding="utf-8")).get("slices", [])
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise ConfigError(path, f"cannot read slices: {e}") from e
    for i, s in enumerate(slices):
        kind = s.get("kind")
        if kind not in KINDS or not s.get("name"):
            raise ConfigError(path, f"slices[{i}]: needs a name and a kind among {', '.join(KINDS)}")
        if KINDS[kind] and KINDS[kind] not in s:
            raise ConfigError(path, f"slices[{i}] ({s['name']}): kind {kind} needs '{KINDS[kind]}'")
        if kind == "regex":
            try:
                re.compile(s["pattern"])
            except re.error as e:
                raise ConfigError(path, f"slices[{i}] ({s['name']}): bad pattern: {e}") from e
    return slices


def slice_masks(df: pd.DataFrame, slices: list[dict]) -> dict[str, pd.Series]:
    """Slice name -> boolean mask over ``df`` (a column slice gives one mask per value)."""
    text = df["text"].astype(str)
    masks: dict[str, pd.Series] = {}
    for s in slices:
        kind = s["kind"]
        if kind == "column":
            if s["column"] in df.columns:
                for value in sorted(df[s["column"]].dropna().astype(str).unique()):
                    masks[f"{s['column']}={value}"] = df[s["column"]].astype(str) == value
        elif kind == "max_chars":
            masks[s["name"]] = text.str.len() <= s["max_chars"]
        elif kind == "all_caps":
            letters = text.str.replace(r"[^A-Za-z]", "", regex=True)
            masks[s["name"]] = (letters.str.len() >= 8) & (letters == letters.str.upper())
        elif kind == "regex":
            masks[s["name"]] = text.str.contains(s["pattern"], regex=True)
        else:
            words = "|".join(re.escape(t) for t in s["terms"])
            masks[s["name"]] = text.str.contains(rf"(?i)\b(?:{words})\b", regex=True)
    return masks


def slice_metrics(df: pd.DataFrame, scores: np.ndarray, thresholds: dict, slices: list[dict]) -> list[dict]:
    """One row per slice and category: posts, positives, precision, recall, F1, PR-AUC."""
    labels = df[list(OUTPUTS)].to_numpy(dtype=float)
    rows = []
    for name, mask in slice_masks(df, slices).items():
        m = mask.to_numpy()
        if not m.any():
            continue
        for category, values in evaluate_scores(labels[m], scores[m], thresholds).items():
            rows.append({"slice": name, "category": category, "posts": int(m.sum()),
                         **{k: values[k] for k in ("positives", "precision", "recall", "f1", "pr_auc")}})
    return rows
