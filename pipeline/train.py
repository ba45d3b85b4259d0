"""Training: sources → leak-free splits → classifiers → thresholds → metrics → MLflow run → bundle.

>>> result = train(load_config("configs/default.toml"))  # doctest: +SKIP
>>> result.metrics["abuse"]["pr_auc"]  # doctest: +SKIP
"""
from __future__ import annotations

import json
import subprocess
import warnings
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from pipeline.bundle import package_versions, save_bundle, write_manifest
from pipeline.classifier import CategoryModel
from pipeline.config import REPO_ROOT, Config
from pipeline.corpora import default_corpora_root
from pipeline.data import content_hash, load_sources
from pipeline.evaluate import confusion_figure, evaluate_scores, pr_curve_figure
from pipeline.thresholds import choose_points, curve
from pipeline.rules import load_lexicon
from pipeline.schema import OUTPUTS
from pipeline.splits import assign_groups, split_of

METRIC_NAMES = ("precision", "recall", "f1", "pr_auc", "roc_auc")


@dataclass
class TrainResult:
    bundle_path: Path
    model_version: str
    run_id: str
    registered_version: str | None
    thresholds: dict[str, dict[str, float]]
    metrics: dict[str, dict[str, float]]
    counts: dict[str, dict[str, int]]


def prepare_data(config: Config) -> pd.DataFrame:
    """All sources with a ``split`` column: near-duplicates and groups never cross splits.

    A source marked ``holdout`` is test data only: the model never trains or tunes on it, which
    is how cross-source figures are made (for example spam trained without the YouTube comments).
    """
    df = load_sources(config.data.sources)
    df["split_group"] = assign_groups(df, config.data.near_duplicate_threshold)
    df["split"] = split_of(df["split_group"].tolist(), config.seed, config.data.validation_size,
                           config.data.test_size).to_numpy()
    held_out = [s.name for s in config.data.sources if s.holdout]
    df.loc[df["source"].isin(held_out), "split"] = "test"
    return df


def labels_of(df: pd.DataFrame) -> np.ndarray:
    return df[list(OUTPUTS)].to_numpy(dtype=float)


def split_counts(df: pd.DataFrame) -> dict[str, dict[str, int]]:
    """Positives per category and rows, for each split and source (no texts)."""
    counts = {}
    for (split, source), part in df.groupby(["split", "source"]):
        counts[f"{split}/{source}"] = {"rows": len(part), **{c: int((part[c] == 1).sum()) for c in OUTPUTS}}
    return counts


def fit(config: Config, df: pd.DataFrame) -> tuple[CategoryModel, np.ndarray]:
    """The model fitted on the train split, thresholds tuned on validation; test-split scores returned."""
    lexicon = load_lexicon(REPO_ROOT / config.rules_dir)
    train_df, val_df, test_df = (df[df["split"] == s] for s in ("train", "validation", "test"))
    model = CategoryModel.fit_new(train_df["text"].tolist(), labels_of(train_df), train_df["weight"].to_numpy(),
                                  config, lexicon)
    if config.thresholds.tune_on:
        val_df = val_df[val_df["source"].isin(config.thresholds.tune_on)]
    val_scores, val_labels = model.predict_proba(val_df["text"].tolist()), labels_of(val_df)
    for k, category in enumerate(OUTPUTS):
        known = ~np.isnan(val_labels[:, k])
        model.curves[category] = curve(val_labels[known, k].astype(int), val_scores[known, k])
        recall = config.thresholds.urgent_review_recall if category == "urgent" else config.thresholds.review_recall
        model.points[category] = choose_points(model.curves[category], config.thresholds.act_precision, recall)
    return model, model.predict_proba(test_df["text"].tolist())


def test_metrics(test_df: pd.DataFrame, scores: np.ndarray, thresholds: dict[str, dict[str, float]]) -> dict[str, dict]:
    """Metrics on the test split: over all sources (``all``) and for each source on its own."""
    out = {"all": evaluate_scores(labels_of(test_df), scores, thresholds)}
    sources = test_df["source"].to_numpy()
    for source in dict.fromkeys(sources):
        mask = sources == source
        out[source] = evaluate_scores(labels_of(test_df[mask]), scores[mask], thresholds)
    return out


def git_commit() -> str:
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=REPO_ROOT, capture_output=True, text=True, timeout=5)
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=REPO_ROOT,
                               capture_output=True, text=True, timeout=5).stdout.strip()
        return out.stdout.strip() + ("-dirty" if dirty else "") if out.returncode == 0 else "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def source_hashes(df: pd.DataFrame, config: Config) -> list[dict]:
    return [{"name": s.name, "path": s.path, "corpus": s.corpus, "weight": s.weight,
             "rows": int((df["source"] == s.name).sum()), "sha256": content_hash(df[df["source"] == s.name])}
            for s in config.data.sources]


def train(config: Config, out_dir: Path | None = None, register: bool = True,
          log_examples: bool = False) -> TrainResult:
    """Train, log one MLflow run, export a bundle to ``out_dir`` (default ``models/<version>``)."""
    import mlflow

    from pipeline.lifecycle import set_challenger
    from pipeline.tracking import configure_tracking, log_bundle_model

    df = prepare_data(config)
    configure_tracking(config.name)
    with mlflow.start_run() as run:
        mlflow.log_params(config.to_params())
        data_hash = content_hash(df)
        sources = source_hashes(df, config)
        log_datasets(df, sources)
        mlflow.log_dict(split_counts(df), "data/split_counts.json")
        mlflow.set_tags({"data.sha256": data_hash, "git.commit": git_commit(), "split.seed": str(config.seed)})
        if log_examples:
            mlflow.log_table(df[["id", "text", "source", "split", *OUTPUTS]].head(200), "data/examples.json")

        model, test_scores = fit(config, df)
        test_df = df[df["split"] == "test"]
        metrics = test_metrics(test_df, test_scores, model.thresholds)
        for source, per_category in metrics.items():
            prefix = "test." if source == "all" else f"test.{source}."
            for category, values in per_category.items():
                mlflow.log_metrics({f"{prefix}{category}.{m}": values[m] for m in METRIC_NAMES
                                    if not np.isnan(values[m])})
        mlflow.log_metrics({f"threshold.{c}.{level}": t for c, ts in model.thresholds.items() for level, t in ts.items()})
        mlflow.log_dict(model.points, "thresholds.json")
        mlflow.log_figure(pr_curve_figure(labels_of(test_df), test_scores, model.thresholds, "Test split"),
                          "figures/pr_curves.png")
        mlflow.log_figure(confusion_figure(labels_of(test_df), test_scores, model.thresholds, "Test split"),
                          "figures/confusion_matrices.png")

        model_version = f"{pd.Timestamp.now(tz='UTC'):%Y%m%d-%H%M%S}-{data_hash[:8]}"
        out_dir = Path(out_dir) if out_dir else REPO_ROOT / config.models_dir / model_version
        meta = {"model_version": model_version, "mlflow": {"run_id": run.info.run_id, "tracking_uri": mlflow.get_tracking_uri()},
                "training_data": {"sha256": data_hash, "sources": sources, "split_seed": config.seed},
                "git_commit": git_commit(),
                "threshold_targets": {"act_precision": config.thresholds.act_precision,
                                      "review_recall": config.thresholds.review_recall,
                                      "urgent_review_recall": config.thresholds.urgent_review_recall,
                                      "tuned_on": list(config.thresholds.tune_on) or "all sources"},
                "metrics": {"split": "test", **metrics}}
        save_bundle(model, out_dir, rules_dir=REPO_ROOT / config.rules_dir, config=asdict(config), meta=meta)
        requirements = [f"{name}=={version}" for name, version in package_versions().items()
                        if name != "python" and version != "not installed"]
        info = log_bundle_model(out_dir, config.registered_model if register else None, requirements)
        registered = str(info.registered_model_version) if register and info.registered_model_version else None
        if registered:
            meta_path = out_dir / "meta.json"
            full = json.loads(meta_path.read_text())
            full["mlflow"]["registered_model"] = {"name": config.registered_model, "version": registered}
            meta_path.write_text(json.dumps(full, indent=2, default=str) + "\n")
            write_manifest(out_dir)
            set_challenger(config.registered_model, registered)
    return TrainResult(out_dir, model_version, run.info.run_id, registered, dict(model.thresholds), metrics,
                       split_counts(df))


def log_datasets(df: pd.DataFrame, sources: list[dict]) -> None:
    """Each source as an MLflow dataset input: schema, row count and content hash, not the texts."""
    import mlflow
    import mlflow.data

    warnings.filterwarnings("ignore", message="The specified dataset source can be interpreted")
    for source in sources:
        part = df[df["source"] == source["name"]]
        profile = part[["id", "split", *OUTPUTS]].reset_index(drop=True)
        location = Path(source["path"]) if source["path"] else default_corpora_root() / source["corpus"]
        dataset = mlflow.data.from_pandas(profile, source=str(location.resolve()), name=source["name"],
                                          digest=source["sha256"][:16])
        mlflow.log_input(dataset, context="training")
