"""End to end through the CLI: train → MLflow run and registered version → export → score."""
from __future__ import annotations

import json
import re
import shutil

import mlflow
import pandas as pd
import pytest
from mlflow.tracking import MlflowClient

from tests.conftest import REPO, run_cli

CATEGORIES = ["abuse", "spam", "sub_judice", "crime_report", "party_political"]
SAMPLE = REPO / "data" / "exports" / "sample_comments.csv"


def test_train_logs_a_complete_mlflow_run(trained):
    meta = trained["meta"]
    client = MlflowClient(tracking_uri=trained["env"]["MLFLOW_TRACKING_URI"])
    run = client.get_run(meta["mlflow"]["run_id"])
    assert run.data.params["seed"] == "5"
    for category in CATEGORIES:
        for metric in ("precision", "recall", "f1", "pr_auc", "roc_auc"):
            assert f"test.{category}.{metric}" in run.data.metrics
        act, review = run.data.metrics[f"threshold.{category}.act"], run.data.metrics[f"threshold.{category}.review"]
        assert 0 < review <= act < 1
    assert run.inputs.dataset_inputs[0].dataset.digest == meta["training_data"]["sources"][0]["sha256"][:16]
    artifacts = {a.path for a in client.list_artifacts(run.info.run_id, "figures")}
    assert artifacts == {"figures/pr_curves.png", "figures/confusion_matrices.png"}
    version = meta["mlflow"]["registered_model"]["version"]
    assert client.get_model_version("comment-moderator", version).run_id == run.info.run_id


def test_meta_describes_the_model(trained):
    meta = trained["meta"]
    assert meta["categories"] == CATEGORIES
    assert set(meta["versions"]) >= {"python", "scikit-learn", "spacy", "numpy"}
    assert len(meta["training_data"]["sha256"]) == 64
    assert set(meta["metrics"]["all"]) >= set(CATEGORIES) and set(meta["metrics"]["small"]) >= set(CATEGORIES)
    assert "PR-AUC" not in trained["stdout"] and "pr_auc" in trained["stdout"]


def test_score_cli_output_contract(trained, tmp_path):
    out = tmp_path / "scored.csv"
    proc = run_cli("score", str(SAMPLE), "--model", str(trained["model"]), "--out", str(out))
    src = pd.read_csv(SAMPLE, dtype=str, keep_default_na=False)
    got = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert len(got) == len(src) and got["id"].tolist() == src["id"].tolist()
    assert got[src.columns.tolist()].equals(src)  # input columns pass through unchanged
    for category in CATEGORIES:
        scores = pd.to_numeric(got[f"score_{category}"], errors="coerce")
        assert scores.dropna().between(0, 1).all()
        assert set(got[f"flag_{category}"]) <= {"0", "1"}
    assert set(got["action"]) <= {"escalate", "remove", "hide", "reply", "none", "error"}
    assert (got["model_version"] == trained["meta"]["model_version"]).all()
    for category in CATEGORIES:  # every flagged category names the words behind it
        for line in got.loc[got[f"flag_{category}"] == "1", "explanations"]:
            assert re.search(rf'{category}: ("[^"]+" \+\d|\(no word the model knows)', line), line
    empty = got[got["text"] == ""]
    assert (empty["action"] == "error").all() and empty["reasons"].str.contains("'text' is empty").all()
    assert f"scored {len(src)} posts" in proc.stdout


@pytest.mark.parametrize("suffix", [".jsonl", ".parquet"])
def test_score_writes_other_formats(trained, tmp_path, suffix):
    out = tmp_path / f"scored{suffix}"
    run_cli("score", str(SAMPLE), "--model", str(trained["model"]), "--out", str(out))
    got = pd.read_json(out, lines=True, dtype=False) if suffix == ".jsonl" else pd.read_parquet(out)
    assert len(got) == len(pd.read_csv(SAMPLE))


def test_urgent_posts_escalate_through_the_cli(trained, tmp_path):
    out = tmp_path / "scored.csv"
    run_cli("score", str(SAMPLE), "--model", str(trained["model"]), "--out", str(out))
    got = pd.read_csv(out, dtype=str, keep_default_na=False).set_index("id")
    for post in ("fb_10235", "fb_10247", "fb_10252"):  # break-in now, suicide risk, being followed
        assert got.loc[post, "urgent"] == "1" and got.loc[post, "action"] == "escalate", got.loc[post].to_dict()


def test_redact_masks_personal_information_through_the_cli(trained, tmp_path):
    out = tmp_path / "scored.csv"
    run_cli("score", str(SAMPLE), "--model", str(trained["model"]), "--out", str(out), "--redact")
    got = pd.read_csv(out, dtype=str, keep_default_na=False).set_index("id")
    assert got.loc["fb_10238", "text_redacted"] == ("My car was broken into outside [address] overnight, "
                                                   "can someone ring me on [phone] please")
    assert got.loc["fb_10249", "text_redacted"] == "Can you email me the victims' services leaflet? [email], thank you"
    plain = got[(got["rules"] == "") & (got["action"] != "error")]  # nothing found: the text as it was
    assert len(plain) and (plain["text_redacted"] == plain["text"]).all()


def test_tampered_model_is_refused(trained, tmp_path):
    copy = tmp_path / "model"
    shutil.copytree(trained["model"], copy)
    thresholds = json.loads((copy / "thresholds.json").read_text())
    thresholds["abuse"]["act"]["threshold"] = 0.99
    (copy / "thresholds.json").write_text(json.dumps(thresholds))
    proc = run_cli("score", str(SAMPLE), "--model", str(copy), "--out", str(tmp_path / "x.csv"), check=False)
    assert proc.returncode == 2
    assert "thresholds.json: file does not match the model's manifest" in proc.stderr
    assert not (tmp_path / "x.csv").exists()


def test_info_prints_the_verified_meta(trained):
    proc = run_cli("info", str(trained["model"]))
    assert json.loads(proc.stdout)["model_version"] == trained["meta"]["model_version"]


def test_score_from_the_mlflow_registry(trained, tmp_path):
    version = trained["meta"]["mlflow"]["registered_model"]["version"]
    out = tmp_path / "scored.csv"
    run_cli("score", str(SAMPLE), "--model", f"models:/comment-moderator/{version}", "--out", str(out),
            env=trained["env"])
    direct = tmp_path / "direct.csv"
    run_cli("score", str(SAMPLE), "--model", str(trained["model"]), "--out", str(direct))
    assert pd.read_csv(out)["action"].tolist() == pd.read_csv(direct)["action"].tolist()


def test_bad_input_is_a_clear_error(trained, tmp_path):
    bad = tmp_path / "posts.csv"
    bad.write_text("id,message\n1,hello\n")
    proc = run_cli("score", str(bad), "--model", str(trained["model"]), "--out", str(tmp_path / "o.csv"), check=False)
    assert proc.returncode == 2 and "--text-column" in proc.stderr


def test_thresholds_move_without_retraining(trained, tmp_path):
    copy = tmp_path / "model"
    shutil.copytree(trained["model"], copy)
    before = json.loads((copy / "thresholds.json").read_text())["spam"]
    proc = run_cli("thresholds", str(copy), "--category", "spam", "--act", "0.99", "--review-recall", "0.5")
    after = json.loads((copy / "thresholds.json").read_text())["spam"]
    assert after["act"]["threshold"] == 0.99 and after["act"]["chosen_by"] == "set by hand"
    assert after["review"]["recall"] >= 0.5 and after["review"]["threshold"] >= before["review"]["threshold"]
    assert "spam" in proc.stdout and "set by hand" in proc.stdout
    run_cli("info", str(copy))  # the manifest was re-signed: the model still loads
    bad = run_cli("thresholds", str(copy), "--category", "spam", "--review", "0.999", check=False)
    assert bad.returncode == 2 and "above the act threshold" in bad.stderr


def test_data_tools_through_the_cli(trained, tmp_path):
    ok = run_cli("data", "check", str(REPO / "data" / "opcc" / "posts.jsonl"))
    assert "0 error(s)" in ok.stdout
    bad = tmp_path / "bad.csv"
    bad.write_text("text,abuse,spam,sub_judice,crime_report,party_political\nhello,2,0,0,0,0\n")
    proc = run_cli("data", "check", str(bad), check=False)
    assert proc.returncode == 1 and "row 1, column 'abuse'" in proc.stdout
    scored = tmp_path / "scored.csv"
    run_cli("score", str(SAMPLE), "--model", str(trained["model"]), "--out", str(scored))
    sheet = tmp_path / "sheet.csv"
    run_cli("data", "review-sample", str(scored), "--out", str(sheet), "--uncertain", "5", "--random", "3")
    picked = pd.read_csv(sheet, dtype=str, keep_default_na=False)
    assert len(picked) == 8 and set(picked["abuse"]) == {""}  # label columns left for a person
    picked["abuse"], picked["spam"] = "0", "0"
    for c in ("sub_judice", "crime_report", "party_political", "urgent"):
        picked[c] = "0"
    picked.to_csv(sheet, index=False)
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text('{"id": "x1", "text": "an older post", "abuse": 0, "spam": 0, "sub_judice": 0, '
                      '"crime_report": 0, "party_political": 0}\n')
    merged = run_cli("data", "merge", str(sheet), "--into", str(corpus))
    assert "8 added" in merged.stdout and len(corpus.read_text().splitlines()) == 9


def test_rules_report_through_the_cli():
    proc = run_cli("rules", "report", "--data", str(REPO / "tests" / "model" / "urgent.csv"), check=False)
    # the suites are not labelled files (no category columns): a clear error, exit 2
    assert proc.returncode == 2 and "missing column" in proc.stderr
    proc = run_cli("rules", "report", "--data", str(REPO / "data" / "opcc" / "posts.jsonl"))
    assert "pii.phone" in proc.stdout and "urgent.weapon" in proc.stdout
