"""HTTP serving: MLflow's own scoring server around the model, with a request-size limit.

The app is MLflow's scoring server (``mlflow.pyfunc.scoring_server.init``), so clients speak
MLflow's scoring protocol: ``POST /invocations`` with ``{"dataframe_records": [{"text": ...}]}``
(or ``dataframe_split``/``inputs``) returns ``{"predictions": [...]}`` in the output contract of
``pipeline.score``; ``GET /ping`` and ``GET /health`` answer 200 when the model is loaded.
MLflow answers 400 for bodies that are not JSON and for posts without ``text`` (the model's
signature requires it); the middleware here answers 413 for a body over ``max_bytes``.

    moderate serve --model models:/comment-moderator@champion --port 5000
"""
from __future__ import annotations

import json
import tempfile
from pathlib import Path

DEFAULT_MAX_BYTES = 1_000_000


def load_pyfunc(model: str | None):
    """An MLflow ``PyFuncModel`` for a registry URI, a bundle folder, or the default bundle."""
    import mlflow.pyfunc

    return mlflow.pyfunc.load_model(pyfunc_uri(model))


def pyfunc_uri(model: str | None, workdir: Path | None = None) -> str:
    """An MLflow model URI for ``model``: a registry URI (``models:/…``) as given, with MLflow pointed
    at the project's store; a bundle folder (default: models/DEFAULT), verified, then saved as a
    pyfunc model in ``workdir/model`` (default: a new temporary folder), whose path is returned."""
    import mlflow.pyfunc

    from pipeline.bundle import default_model_path, verify_bundle
    from pipeline.config import tracking_uri
    from pipeline.tracking import _python_model_class, signature

    if model and ":/" in model:
        mlflow.set_tracking_uri(tracking_uri())
        return model
    bundle = Path(model) if model else default_model_path()
    verify_bundle(bundle)  # refuse a tampered bundle before MLflow copies it
    folder = Path(workdir or tempfile.mkdtemp(prefix="moderate-serve-")) / "model"
    mlflow.pyfunc.save_model(path=str(folder), python_model=_python_model_class()(),
                             artifacts={"bundle": str(bundle)}, signature=signature(), pip_requirements=[])
    return str(folder)


def build_app(model: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES):
    """The FastAPI app: MLflow's scoring routes plus a 413 for oversized requests."""
    from fastapi import Request
    from fastapi.responses import Response
    from mlflow.pyfunc import scoring_server

    app = scoring_server.init(load_pyfunc(model))

    @app.middleware("http")
    async def limit_size(request: Request, call_next):
        length = request.headers.get("content-length")
        too_big = length is not None and length.isdigit() and int(length) > max_bytes
        if not too_big and request.method == "POST" and length is None:
            too_big = len(await request.body()) > max_bytes  # chunked upload: measure it
        if too_big:
            message = {"error_code": "REQUEST_TOO_LARGE",
                       "message": f"request body over {max_bytes} bytes; send fewer posts per request"}
            return Response(json.dumps(message), status_code=413, media_type="application/json")
        return await call_next(request)

    return app


def serve(model: str | None, host: str, port: int, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
    """Run the server until interrupted."""
    import uvicorn

    uvicorn.run(build_app(model, max_bytes), host=host, port=port, log_level="warning")
