"""Experiment configuration: one TOML file per experiment in ``configs/``, nothing hidden in code.

Every setting has a type checked at load; an unknown or ill-typed key is a ``ConfigError``
naming the file and the key, so a typo never silently falls back to a default.

>>> cfg = load_config("configs/default.toml")  # doctest: +SKIP
>>> cfg.model.C  # doctest: +SKIP
4.0
"""
from __future__ import annotations

import dataclasses
import os
import tomllib
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, get_type_hints

from pipeline.errors import ConfigError

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_TRACKING_URI = "sqlite:///mlruns/mlflow.db"


@dataclass(frozen=True)
class Source:
    """One source of labelled posts: a file of ours (``path``) or a public corpus (``corpus``)."""

    name: str
    path: str = ""
    corpus: str = ""
    weight: float = 1.0
    holdout: bool = False  # test data only: never trained or tuned on


@dataclass(frozen=True)
class DataConfig:
    sources: tuple[Source, ...] = ()
    validation_size: float = 0.15
    test_size: float = 0.15
    near_duplicate_threshold: float = 0.7  # Jaccard on word shingles that joins two posts' groups


@dataclass(frozen=True)
class FeatureConfig:
    word_ngram_max: int = 2
    char_ngram_min: int = 2
    char_ngram_max: int = 5
    min_df: int = 2
    max_word_features: int = 100_000
    max_char_features: int = 200_000


@dataclass(frozen=True)
class ModelConfig:
    C: float = 4.0
    class_weight: str = "balanced"
    calibration: str = "sigmoid"
    calibration_folds: int = 3
    max_iter: int = 2000


@dataclass(frozen=True)
class ThresholdConfig:
    # The act threshold is the lowest reaching this precision on validation data, the review
    # threshold the highest keeping this recall (see pipeline.thresholds).
    act_precision: float = 0.95
    review_recall: float = 0.90
    # The urgent flag escalates from its review threshold: life-safety puts recall first (a false
    # alarm costs a "call 999" reply, a miss can cost a life), so its review point keeps more recall.
    urgent_review_recall: float = 0.98
    # Sources whose validation rows set the thresholds (empty: all). The operating point should
    # come from posts like the ones scored in production, not from a corpus with another base rate.
    tune_on: tuple[str, ...] = ()


@dataclass(frozen=True)
class Config:
    name: str = "comment-moderator"
    seed: int = 13
    registered_model: str = "comment-moderator"
    rules_dir: str = "data/rules"
    models_dir: str = "models"
    data: DataConfig = field(default_factory=DataConfig)
    features: FeatureConfig = field(default_factory=FeatureConfig)
    model: ModelConfig = field(default_factory=ModelConfig)
    thresholds: ThresholdConfig = field(default_factory=ThresholdConfig)

    def to_params(self) -> dict[str, str]:
        """The resolved config flattened to ``section.key`` strings, as MLflow params."""
        flat: dict[str, str] = {}

        def walk(prefix: str, value: Any) -> None:
            if isinstance(value, dict):
                for k, v in value.items():
                    walk(f"{prefix}.{k}" if prefix else k, v)
            elif isinstance(value, (list, tuple)) and value and isinstance(value[0], dict):
                for item in value:
                    walk(f"{prefix}.{item['name']}", {k: v for k, v in item.items() if k != "name"})
            else:
                flat[prefix] = str(value)

        walk("", asdict(self))
        return flat


def _build(cls: type, raw: dict, path: Path, where: str) -> Any:
    hints = get_type_hints(cls)
    names = {f.name for f in dataclasses.fields(cls)}
    unknown = set(raw) - names
    if unknown:
        raise ConfigError(path, f"unknown key(s) {', '.join(sorted(f'{where}{k}' for k in unknown))}; "
                                f"known: {', '.join(sorted(names))}")
    values = {}
    for key, value in raw.items():
        hint, label = hints[key], f"{where}{key}"
        if dataclasses.is_dataclass(hint):
            if not isinstance(value, dict):
                raise ConfigError(path, f"[{label}] must be a table")
            values[key] = _build(hint, value, path, f"{label}.")
        elif key == "tune_on":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError(path, f"{label} must be an array of source names")
            values[key] = tuple(value)
        elif key == "sources":
            if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
                raise ConfigError(path, f"{label} must be an array of tables ([[data.sources]])")
            values[key] = tuple(_build(Source, v, path, f"{label}.") for v in value)
        else:
            values[key] = _coerce(value, hint, path, label)
    return cls(**values)


def _coerce(value: Any, hint: Any, path: Path, label: str) -> Any:
    if hint is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if not isinstance(value, hint) or (hint is int and isinstance(value, bool)):
        raise ConfigError(path, f"{label} must be {hint.__name__}, got {type(value).__name__} {value!r}")
    return value


def load_config(path: str | Path) -> Config:
    """The validated config in ``path``; sources must each name exactly one of path or corpus."""
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as e:
        raise ConfigError(path, "config file not found") from e
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(path, f"not valid TOML: {e}") from e
    config = _build(Config, raw, path, "")
    for source in config.data.sources:
        if bool(source.path) == bool(source.corpus):
            raise ConfigError(path, f"data.sources.{source.name}: give exactly one of 'path' or 'corpus'")
        if source.weight <= 0:
            raise ConfigError(path, f"data.sources.{source.name}.weight must be > 0")
    if not config.data.sources:
        raise ConfigError(path, "no [[data.sources]]: name at least one labelled file")
    unknown = set(config.thresholds.tune_on) - {s.name for s in config.data.sources}
    if unknown:
        raise ConfigError(path, f"thresholds.tune_on names unknown source(s) {', '.join(sorted(unknown))}")
    for key in ("act_precision", "review_recall", "urgent_review_recall"):
        if not 0 < getattr(config.thresholds, key) <= 1:
            raise ConfigError(path, f"thresholds.{key} must be in (0, 1]")
    return config


def tracking_uri() -> str:
    """``MLFLOW_TRACKING_URI`` when set, else the project's SQLite store inside ``mlruns/``."""
    return os.environ.get("MLFLOW_TRACKING_URI") or DEFAULT_TRACKING_URI
