"""Comment moderation for the Office of the Police and Crime Commissioner for Cleveland.

>>> from pipeline import load_model
>>> load_model().score(["Great work at the Stockton surgery today"])["action"].tolist()
['none']
"""
from __future__ import annotations

from pathlib import Path

__version__ = "0.1.0"


def load_model(model: str | Path | None = None):
    """A ready ``Moderator``: the default model, a bundle folder, or an MLflow model URI."""
    from pipeline.bundle import default_model_path, load_bundle
    from pipeline.score import Moderator

    if model is None:
        return Moderator(load_bundle(default_model_path()))
    if isinstance(model, str) and ":/" in model:
        from pipeline.tracking import load_from_mlflow

        return load_from_mlflow(model)
    return Moderator(load_bundle(Path(model)))
