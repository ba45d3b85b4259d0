"""Registry aliases and the promotion gate: ``challenger`` (newly trained) → ``champion`` (in use).

``moderate train`` points ``challenger`` at the version it registers. ``promote`` compares the
challenger with the champion on a fixed labelled file and on the behavioural suites, and moves
``champion`` only if nothing got worse: no category's PR-AUC drops by more than ``tolerance``, no
suite functionality's pass rate falls, and every urgent case (expected=1) is still caught. A forced
promotion is recorded as tags on the version, with the reasons it was refused.

>>> promote("comment-moderator", Path("data/opcc/posts.jsonl")).allowed  # doctest: +SKIP
True
"""
from __future__ import annotations

import getpass
import hashlib
import json
import math
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

from pipeline.errors import ConfigError, ModelLoadError, PromotionRefused

CHAMPION, CHALLENGER = "champion", "challenger"
EPS = 1e-9  # float noise, not a change


@dataclass
class Row:
    """One compared figure: a category's PR-AUC or a suite functionality's pass rate."""
    name: str
    champion: float | None
    challenger: float
    ok: bool
    cases: int | None = None

    @property
    def delta(self) -> float | None:
        return None if self.champion is None else self.challenger - self.champion


@dataclass
class Comparison:
    name: str
    challenger_version: str
    champion_version: str | None
    data: str
    tolerance: float
    suites: str
    categories: list[Row] = field(default_factory=list)
    functionalities: list[Row] = field(default_factory=list)
    urgent_recall: dict[str, float | None] = field(default_factory=dict)
    reasons: list[str] = field(default_factory=list)

    @property
    def allowed(self) -> bool:
        return not self.reasons

    def summary(self) -> dict:
        """Short enough for a registry tag."""
        worst = min((r.delta for r in self.categories if r.delta is not None and not math.isnan(r.delta)),
                    default=None)
        return {"champion_version": self.champion_version, "data": self.data, "suites": self.suites,
                "tolerance": self.tolerance, "worst_pr_auc_delta": None if worst is None else round(worst, 4),
                "functionalities_fallen": sum(not r.ok for r in self.functionalities),
                "urgent_recall": self.urgent_recall, "allowed": self.allowed}

    def format(self) -> str:
        def num(v, fmt=".3f"):
            return "-" if v is None or math.isnan(v) else f"{v:{fmt}}"

        def line(label, old, new, delta=None, ok=None):
            return (f"{label:<52}{num(old):>9}{num(new):>11}{num(delta, '+.3f'):>8}"
                    + ("" if ok is None else "  yes" if ok else "  NO"))

        against = f"champion version {self.champion_version}" if self.champion_version else "no champion yet"
        lines = [f"{self.name}: challenger version {self.challenger_version} vs {against}",
                 f"data {self.data}, suites {self.suites}, PR-AUC tolerance {self.tolerance:.3f}", "",
                 f"{'PR-AUC per category':<52}{'champion':>9}{'challenger':>11}{'delta':>8}  ok"]
        lines += [line(r.name, r.champion, r.challenger, r.delta, r.ok) for r in self.categories]
        lines += ["", f"{'suite pass rate per functionality (cases)':<52}{'champion':>9}{'challenger':>11}"
                      f"{'delta':>8}  ok"]
        lines += [line(f"{r.name} ({r.cases})", r.champion, r.challenger, r.delta, r.ok)
                  for r in self.functionalities]
        lines += ["", line("urgent recall (expected=1 cases caught)", self.urgent_recall.get(CHAMPION),
                           self.urgent_recall.get(CHALLENGER)), ""]
        lines.append("promotion ALLOWED" if self.allowed else
                     "promotion REFUSED:\n" + "\n".join(f"  - {r}" for r in self.reasons))
        return "\n".join(lines)


def client():
    from mlflow import MlflowClient

    from pipeline.config import tracking_uri

    return MlflowClient(tracking_uri=tracking_uri())


def set_challenger(name: str, version: str | int) -> None:
    """Point ``challenger`` at ``version`` (done by ``moderate train`` for every registered version)."""
    client().set_registered_model_alias(name, CHALLENGER, str(version))


def aliases(name: str) -> dict[str, str]:
    """Alias → version of a registered model; a clear error when the model is not registered."""
    from mlflow.exceptions import MlflowException

    from pipeline.config import tracking_uri

    try:
        return {alias: str(v) for alias, v in client().get_registered_model(name).aliases.items()}
    except MlflowException as e:
        raise ModelLoadError(f"no registered model {name!r} in MLflow at {tracking_uri()} ({e.message}); "
                             "register one with 'moderate train'") from e


def measure(name: str, version: str, data: Path, suites: Path) -> tuple[dict, pd.DataFrame, pd.Series]:
    """PR-AUC per category on ``data``, the suites' pass rates, and the urgent (expected=1) catches."""
    from pipeline import load_model
    from pipeline.evaluate import evaluate_file
    from pipeline.suites import pass_rates, run_suites

    moderator = load_model(f"models:/{name}/{version}")  # the version the alias named, pinned
    pr_auc = {c: m["pr_auc"] for c, m in evaluate_file(moderator, data).items()}
    results = run_suites(moderator, suites)
    urgent = results[(results["suite"] == "urgent") & (results["expected"] == 1)]["predicted"]
    return pr_auc, pass_rates(results), urgent


def recall(caught: pd.Series | None) -> float | None:
    return float(caught.mean()) if caught is not None and len(caught) else None  # None: no urgent cases


def compare(name: str, data: Path, tolerance: float = 0.02, suites: Path | None = None) -> Comparison:
    """The challenger against the champion; ``reasons`` lists everything that forbids promotion.

    ``suites`` is the folder of behavioural suites (default ``tests/model``)."""
    from pipeline.data import load_labelled
    from pipeline.suites import SUITES_DIR

    suites = Path(suites) if suites else SUITES_DIR
    load_labelled(data)  # a bad file fails here, before any model is loaded
    named = aliases(name)
    if CHALLENGER not in named:
        raise ModelLoadError(f"no version of {name!r} carries the alias '{CHALLENGER}'; train one with "
                             f"'moderate train' (aliases now: {named or 'none'})")
    new_v, old_v = named[CHALLENGER], named.get(CHAMPION)
    c = Comparison(name, new_v, old_v, str(data), tolerance, str(suites))
    new_auc, new_rates, new_urgent = measure(name, new_v, data, suites)
    old_auc, old_rates, old_urgent = {}, None, None
    try:
        if old_v:
            old_auc, old_rates, old_urgent = measure(name, old_v, data, suites)
    except ModelLoadError as e:  # e.g. an older bundle format: nothing to compare with, only --force helps
        c.reasons.append(f"champion version {old_v} cannot be loaded to compare with: {e}")
    c.urgent_recall = {CHAMPION: recall(old_urgent), CHALLENGER: recall(new_urgent)}

    for category, value in new_auc.items():
        old = old_auc.get(category)
        fell = old is not None and not math.isnan(old) and (math.isnan(value) or value < old - tolerance - EPS)
        c.categories.append(Row(category, old, value, not fell))
        if fell:
            c.reasons.append(f"PR-AUC of {category} fell from {old:.3f} to {value:.3f} "
                             f"(more than the tolerance {tolerance:.3f})")
    old_by_key = {} if old_rates is None else dict(zip(zip(old_rates["suite"], old_rates["functionality"]),
                                                       old_rates["pass_rate"]))
    for row in new_rates.itertuples():
        old = old_by_key.get((row.suite, row.functionality))
        fell = old is not None and row.pass_rate < old - EPS
        c.functionalities.append(Row(f"{row.suite}/{row.functionality}", old, float(row.pass_rate), not fell,
                                     int(row.cases)))
        if fell:
            c.reasons.append(f"suite {row.suite}, functionality {row.functionality}: pass rate fell from "
                             f"{old:.3f} to {row.pass_rate:.3f}")
    if not len(new_urgent):
        c.reasons.append("the urgent suite has no expected=1 cases, so urgent recall cannot be checked")
    elif new_urgent.min() < 1:
        c.reasons.append(f"urgent recall is {recall(new_urgent):.3f}: {int((new_urgent < 1).sum())} of "
                         f"{len(new_urgent)} urgent cases not caught; it must be 1.000")
    return c


def promote(name: str, data: Path, tolerance: float = 0.02, force: bool = False, reason: str = "",
            suites: Path | None = None) -> Comparison:
    """Move ``champion`` to the challenger if the gate allows it (or ``force``, with a ``reason``).

    The version is tagged before the alias moves, so a promotion is never unrecorded."""
    if force and not reason.strip():
        raise ConfigError("--reason", "a forced promotion needs a reason (it is recorded on the model version)")
    comparison = compare(name, data, tolerance, suites)
    if not comparison.allowed and not force:
        raise PromotionRefused(name, comparison.challenger_version, comparison.reasons, comparison)
    tags = {"promoted_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "promoted_by": _user(), "promoted_by_force": str(not comparison.allowed).lower(),
            "promotion.previous_champion": comparison.champion_version or "none",
            "promotion.data_sha256": hashlib.sha256(Path(data).read_bytes()).hexdigest(),
            "promotion.summary": json.dumps(comparison.summary())}
    if not comparison.allowed:
        tags["promotion.refusal_reasons"] = "\n".join(comparison.reasons)[:50_000]
    if reason:
        tags["promotion.reason"] = reason
    registry, version = client(), comparison.challenger_version
    for key, value in tags.items():
        registry.set_model_version_tag(name, version, key, value)
    registry.set_registered_model_alias(name, CHAMPION, version)
    if aliases(name).get(CHALLENGER) == version:  # decided; unless a newer challenger arrived meanwhile
        registry.delete_registered_model_alias(name, CHALLENGER)
    return comparison


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
