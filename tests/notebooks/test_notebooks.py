"""The notebooks run from top to bottom: each jupytext ``.py`` file in ``notebooks/`` is converted to
a notebook and executed in a ``python3`` kernel, from the repository root, against the session's
small model, its training corpus and its throwaway MLflow store. Any cell error fails the test."""
from __future__ import annotations

import ast
import os
from pathlib import Path

import jupytext
import nbformat
import pytest
from nbclient import NotebookClient

from tests.conftest import REPO

NOTEBOOKS = sorted((REPO / "notebooks").glob("*.py"))
CELL_TIMEOUT = 300  # seconds


def execute(source: Path, tmp_path: Path, env: dict[str, str]) -> nbformat.NotebookNode:
    """Convert ``source`` as ``jupytext --to notebook`` does, run it, and return it with its outputs
    (also written to ``tmp_path``, to look at when a test fails)."""
    path = tmp_path / f"{source.stem}.ipynb"
    jupytext.write(jupytext.read(source), path)
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    client = NotebookClient(nb, kernel_name="python3", timeout=CELL_TIMEOUT,
                            resources={"metadata": {"path": str(REPO)}})
    try:
        client.execute(env={**os.environ, **env})  # raises CellExecutionError on the first failing cell
    finally:
        nbformat.write(nb, path)
    return nb


def outputs(nb: nbformat.NotebookNode, kind: str) -> list:
    """Every output of the notebook with a mime type (``image/png``) or stream text (``stream``)."""
    found = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if kind == "stream" and out["output_type"] == "stream":
                found.append(out["text"])
            elif kind in out.get("data", {}):
                found.append(out["data"][kind])
    return found


def test_there_are_notebooks():
    assert [p.stem for p in NOTEBOOKS] == ["01_data_overview", "02_model_evaluation", "03_error_analysis",
                                           "04_compare_runs"]


@pytest.mark.parametrize("source", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_defines_no_functions(source):
    """Notebooks only plot; anything worth a function belongs in the package (``pipeline.plots``)."""
    defined = [node.name for node in ast.walk(ast.parse(source.read_text(encoding="utf-8")))
               if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))]
    assert not defined, f"{source.name} defines {defined}: move them into the pipeline package"


@pytest.mark.parametrize("source", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs(source, tmp_path, trained, small_corpus):
    env = {"MODERATE_NB_MODEL": str(trained["model"]), "MODERATE_NB_DATA": str(small_corpus),
           "MODERATE_NB_EXPERIMENT": "", **trained["env"]}
    nb = execute(source, tmp_path, env)
    assert outputs(nb, "image/png"), f"{source.name} showed no figure"
    printed = "".join(outputs(nb, "stream"))
    if source.stem == "04_compare_runs":
        assert "No training runs" not in printed and trained["env"]["MLFLOW_TRACKING_URI"] in printed
    else:
        assert str(small_corpus) in printed  # the parameters came from the environment


def test_compare_runs_without_runs(tmp_path):
    """A store with no runs yet gives a clear message, and the rest of the notebook still runs."""
    nb = execute(REPO / "notebooks" / "04_compare_runs.py", tmp_path,
                 {"MLFLOW_TRACKING_URI": f"sqlite:///{tmp_path}/none/mlflow.db", "MODERATE_NB_EXPERIMENT": ""})
    assert "No training runs yet" in "".join(outputs(nb, "stream"))
