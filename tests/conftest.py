"""Shared fixtures: a small model trained once per test session, in a throwaway MLflow store."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "data" / "opcc" / "posts.jsonl"
MODERATE = Path(sys.executable).parent / "moderate"


def run_cli(*args: str, env: dict | None = None, cwd: Path = REPO, check: bool = True) -> subprocess.CompletedProcess:
    """Run the real ``moderate`` console script, as a user would."""
    proc = subprocess.run([str(MODERATE), *args], cwd=cwd, env={**os.environ, **(env or {})},
                          capture_output=True, text=True, timeout=900)
    if check and proc.returncode != 0:
        raise AssertionError(f"moderate {' '.join(args)} exited {proc.returncode}\n{proc.stdout}\n{proc.stderr}")
    return proc


@pytest.fixture(scope="session")
def small_corpus(tmp_path_factory) -> Path:
    """A 900-post stratified sample of our corpus: big enough to learn, small enough to be quick."""
    df = pd.read_json(CORPUS, lines=True, dtype=False, convert_dates=False)  # dates stay ISO text
    picked = pd.concat([df[df[c] == 1].sample(min(120, int((df[c] == 1).sum())), random_state=1)
                        for c in ("abuse", "spam", "sub_judice", "crime_report", "party_political")])
    rest = df.drop(picked.index).sample(900 - len(picked), random_state=1)
    path = tmp_path_factory.mktemp("data") / "small.jsonl"
    pd.concat([picked, rest]).to_json(path, orient="records", lines=True, force_ascii=False)
    return path


@pytest.fixture(scope="session")
def tracking_env(tmp_path_factory) -> dict:
    store = tmp_path_factory.mktemp("mlruns")
    return {"MLFLOW_TRACKING_URI": f"sqlite:///{store}/mlflow.db"}


@pytest.fixture(scope="session")
def trained(tmp_path_factory, small_corpus, tracking_env) -> dict:
    """``moderate train`` on the small corpus: the model folder and the CLI's output."""
    work = tmp_path_factory.mktemp("train")
    config = work / "small.toml"
    config.write_text(f'name = "e2e-test"\nseed = 5\n[[data.sources]]\nname = "small"\npath = "{small_corpus}"\n'
                      '[features]\nmax_char_features = 30000\nmax_word_features = 20000\n')
    out = work / "model"
    proc = run_cli("train", "--config", str(config), "--out", str(out), env=tracking_env)
    return {"model": out, "stdout": proc.stdout, "meta": json.loads((out / "meta.json").read_text()),
            "env": tracking_env}
