"""MLflow: where runs live, the pyfunc wrapper of a bundle, and loading models by URI.

Runs go to ``sqlite:///mlruns/mlflow.db`` (relative to the working directory) with artifacts in
``mlruns/artifacts``, unless ``MLFLOW_TRACKING_URI`` says otherwise. Nothing here runs at import.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from pipeline.config import DEFAULT_TRACKING_URI, tracking_uri

INPUT_COLUMNS = {"text": True, "id": False, "author": False, "created_at": False, "platform": False}


def configure_tracking(experiment: str) -> str:
    """Point MLflow at the project's store, create ``experiment`` if needed, return the URI."""
    import mlflow

    uri = tracking_uri()
    if uri == DEFAULT_TRACKING_URI:
        Path("mlruns").mkdir(exist_ok=True)
    mlflow.set_tracking_uri(uri)
    if mlflow.get_experiment_by_name(experiment) is None:
        mlflow.create_experiment(experiment, artifact_location=artifact_location(uri))
    mlflow.set_experiment(experiment)
    return uri


def artifact_location(uri: str) -> str | None:
    """Artifacts beside a SQLite store (``<db folder>/artifacts``); the server decides for others."""
    if not uri.startswith("sqlite:///"):
        return None
    return (Path(uri[len("sqlite:///"):]).resolve().parent / "artifacts").as_uri()


def _python_model_class():
    import mlflow.pyfunc

    class ModeratorPyfunc(mlflow.pyfunc.PythonModel):
        """A bundle served through MLflow: DataFrame of posts in, decisions out."""

        def load_context(self, context):
            from pipeline.bundle import load_bundle
            from pipeline.score import Moderator

            self.moderator = Moderator(load_bundle(context.artifacts["bundle"]))

        def predict(self, context, model_input, params=None):
            frame = model_input if isinstance(model_input, pd.DataFrame) else pd.DataFrame(model_input)
            return self.moderator.score(frame)

    return ModeratorPyfunc


def signature():
    from mlflow.models import ModelSignature
    from mlflow.types.schema import ColSpec, Schema

    from pipeline.score import OUTPUT_COLUMNS

    inputs = Schema([ColSpec("string", name, required=required) for name, required in INPUT_COLUMNS.items()])
    numeric = {c for c in OUTPUT_COLUMNS if c.startswith("score_")}
    integer = {c for c in OUTPUT_COLUMNS if c.startswith("flag_")} | {"urgent"}
    outputs = Schema([ColSpec("double" if c in numeric else "long" if c in integer else "string", c)
                      for c in OUTPUT_COLUMNS])
    return ModelSignature(inputs=inputs, outputs=outputs)


def log_bundle_model(bundle_dir: Path, registered_name: str | None, requirements: list[str]):
    """Log a bundle as an MLflow pyfunc model in the active run; register it when a name is given."""
    import mlflow.pyfunc

    import pipeline

    return mlflow.pyfunc.log_model(
        name="model",
        python_model=_python_model_class()(),
        artifacts={"bundle": str(bundle_dir)},
        code_paths=[str(Path(pipeline.__file__).parent)],
        pip_requirements=requirements,
        signature=signature(),
        registered_model_name=registered_name,
    )


def load_from_mlflow(uri: str):
    """The ``Moderator`` inside an MLflow model (``models:/comment-moderator/3``, ``…@champion``)."""
    import mlflow
    import mlflow.pyfunc

    from pipeline.errors import ModelLoadError

    mlflow.set_tracking_uri(tracking_uri())
    try:
        model = mlflow.pyfunc.load_model(uri)
    except Exception as e:  # MLflow raises its own exception types for unknown names/versions
        raise ModelLoadError(f"{uri}: cannot load from MLflow at {tracking_uri()}: {e}") from e
    return model.unwrap_python_model().moderator
