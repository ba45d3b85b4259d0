"""Registry aliases and the promotion gate, end to end through the CLI, in the session's MLflow store.

The steps build on each other (champion, then a worse challenger, then a forced promotion), so they
run as one test; the alias set by training is checked first, before any promotion moves it. The gate
runs on the real category suites with a small urgent suite of explicit cases, so that what is tested
here is the gate, not how much of the full urgent suite the rules catch today.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import datetime

import pandas as pd
import pytest
from mlflow.tracking import MlflowClient

from tests.conftest import REPO, run_cli

NAME = "comment-moderator"
SAMPLE = REPO / "data" / "exports" / "sample_comments.csv"
URGENT = [("weapon_now", "Man waving a knife outside the Co-op on Mandale Road, people are running", 1),
          ("weapon_now", "Lad with a machete chasing someone down Parliament Road right now", 1),
          ("someone_hurt_now", "Lad's been stabbed outside the kebab shop, blood everywhere, he's still talking", 1),
          ("past_tense", "My car was broken into last month and nobody rang me back", 0),
          ("idiom", "This traffic on the A19 is killing me", 0)]

# A bundle registered as a new version with the project's tracking helpers, as training does.
REGISTER = """
import sys
from pathlib import Path

import mlflow

from pipeline.lifecycle import set_challenger
from pipeline.tracking import configure_tracking, log_bundle_model

configure_tracking("e2e-test")
with mlflow.start_run():
    info = log_bundle_model(Path(sys.argv[1]), "comment-moderator", [])
set_challenger("comment-moderator", info.registered_model_version)
print(info.registered_model_version)
"""


@pytest.fixture(scope="module")
def suites(tmp_path_factory):
    folder = tmp_path_factory.mktemp("suites")
    for path in (REPO / "tests" / "model").glob("*.csv"):
        if path.stem != "urgent":
            shutil.copy(path, folder)
    pd.DataFrame(URGENT, columns=["functionality", "text", "expected"]).assign(notes="").to_csv(
        folder / "urgent.csv", index=False)
    return folder


def register(bundle, env: dict) -> str:
    proc = subprocess.run([sys.executable, "-c", REGISTER, str(bundle)], cwd=REPO, env={**os.environ, **env},
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip().splitlines()[-1]


def test_train_sets_the_challenger_alias(trained):
    client = MlflowClient(tracking_uri=trained["env"]["MLFLOW_TRACKING_URI"])
    version = trained["meta"]["mlflow"]["registered_model"]["version"]
    assert str(client.get_model_version_by_alias(NAME, "challenger").version) == version
    assert "challenger" in client.get_model_version(NAME, version).aliases


def test_promotion_gate(trained, small_corpus, suites, tmp_path):
    env, gate = trained["env"], ("--data", str(small_corpus), "--suites", str(suites))
    client = MlflowClient(tracking_uri=env["MLFLOW_TRACKING_URI"])
    first = trained["meta"]["mlflow"]["registered_model"]["version"]

    # 1. No champion yet: the challenger is promoted if every urgent case is caught.
    proc = run_cli("promote", *gate, env=env)
    assert "no champion yet" in proc.stdout and "promotion ALLOWED" in proc.stdout
    assert "urgent recall" in proc.stdout and "abuse" in proc.stdout
    assert str(client.get_model_version_by_alias(NAME, "champion").version) == first
    assert "challenger" not in client.get_registered_model(NAME).aliases  # decided
    tags = client.get_model_version(NAME, first).tags
    assert tags["promoted_by_force"] == "false" and '"allowed": true' in tags["promotion.summary"]

    # 2. A worse challenger: the same model with an absurd abuse act threshold flags almost no abuse.
    worse = tmp_path / "worse"
    shutil.copytree(trained["model"], worse)
    run_cli("thresholds", str(worse), "--category", "abuse", "--act", "0.999", "--review", "0.998")
    second = register(worse, env)
    assert str(client.get_model_version_by_alias(NAME, "challenger").version) == second

    proc = run_cli("promote", *gate, env=env, check=False)
    assert proc.returncode == 2, proc.stderr
    assert f"moderate: error: promotion of {NAME} version {second} to champion refused" in proc.stderr
    assert "suite abuse, functionality" in proc.stderr and "pass rate fell" in proc.stderr
    assert "--force --reason" in proc.stderr and "Traceback" not in proc.stderr
    assert f"vs champion version {first}" in proc.stdout and "promotion REFUSED" in proc.stdout
    assert any(line.startswith("abuse/") and line.endswith("NO") for line in proc.stdout.splitlines())
    assert str(client.get_model_version_by_alias(NAME, "champion").version) == first  # unchanged

    # 3. Forcing needs a reason, and then it is recorded on the version.
    proc = run_cli("promote", *gate, "--force", env=env, check=False)
    assert proc.returncode == 2 and "--reason" in proc.stderr
    proc = run_cli("promote", *gate, "--force", "--reason", "e2e: accepting the abuse drop", env=env)
    assert f"{NAME}@champion is now version {second} (FORCED" in proc.stdout
    assert str(client.get_model_version_by_alias(NAME, "champion").version) == second
    tags = client.get_model_version(NAME, second).tags
    assert tags["promoted_by_force"] == "true"
    assert tags["promotion.reason"] == "e2e: accepting the abuse drop"
    assert "pass rate fell" in tags["promotion.refusal_reasons"]
    assert tags["promotion.previous_champion"] == first
    assert datetime.fromisoformat(tags["promoted_at"]).utcoffset().total_seconds() == 0

    # 4. Scoring by alias loads the champion.
    out = tmp_path / "scored.csv"
    run_cli("score", str(SAMPLE), "--model", f"models:/{NAME}@champion", "--out", str(out), "--quiet", env=env)
    got = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert len(got) == len(pd.read_csv(SAMPLE, dtype=str)) and set(got["action"]) - {"error"}
    assert (got["model_version"] == trained["meta"]["model_version"]).all()
