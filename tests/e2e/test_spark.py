"""Scoring on Spark end to end: the trained model as an MLflow Spark UDF (``pipeline.spark``) over the
sample export, checked row by row against the local engine; one small local Spark session for all."""
from __future__ import annotations

import shutil

import numpy as np
import pandas as pd
import pytest

from tests.conftest import REPO, run_cli

pytest.importorskip("pyspark", reason="the spark engine is optional: pip install -e '.[spark]' to test it")
if shutil.which("java") is None:
    pytest.skip("Spark needs Java 17+ on PATH", allow_module_level=True)

from pipeline.score import OUTPUT_COLUMNS, SCORE_COLUMNS  # noqa: E402
from pipeline.spark import local_session, score_spark  # noqa: E402

SAMPLE = REPO / "data" / "exports" / "sample_comments.csv"


@pytest.fixture(scope="module")
def spark():
    session = local_session("local[2]", {"spark.sql.shuffle.partitions": "2", "spark.default.parallelism": "2",
                                         "spark.ui.enabled": "false", "spark.ui.showConsoleProgress": "false"})
    yield session
    session.stop()


@pytest.fixture(scope="module")
def local_scored(trained, tmp_path_factory) -> pd.DataFrame:
    out = tmp_path_factory.mktemp("local") / "scored.csv"
    run_cli("score", str(SAMPLE), "--out", str(out), "--model", str(trained["model"]), "--engine", "local",
            "--quiet", env=trained["env"])
    return pd.read_csv(out, dtype=str, keep_default_na=False)


def test_spark_scores_like_the_local_engine(trained, spark, local_scored, tmp_path):
    source = pd.read_csv(SAMPLE, dtype=str, keep_default_na=False)
    out = tmp_path / "scored.parquet"
    summary = score_spark(str(trained["model"]), [SAMPLE], out, spark=spark)

    got = pd.read_parquet(out)  # Spark's folder of part files
    assert out.is_dir() and (out / "_SUCCESS").exists()
    assert len(got) == len(source) == len(local_scored) == summary["posts"]
    assert got["id"].is_unique and set(got["id"]) == set(source["id"])
    assert list(got.columns) == [*source.columns, *OUTPUT_COLUMNS]
    got = got.set_index("id").loc[source["id"]]  # Spark keeps no order: compare in input order
    assert got["text"].fillna("").tolist() == source["text"].tolist()

    local = local_scored.set_index("id").loc[source["id"]]
    differ = got.index[got["action"] != local["action"]].tolist()
    assert not differ, f"actions differ from the local engine for {differ}"
    for column in SCORE_COLUMNS:
        np.testing.assert_allclose(got[column].astype(float), pd.to_numeric(local[column]), atol=1e-4, err_msg=column)
    assert got["model_version"].unique().tolist() == [trained["meta"]["model_version"]]
    assert summary["actions"] == local["action"].value_counts().to_dict()
    assert summary["model_version"] == trained["meta"]["model_version"]


def test_every_row_comes_out_once_from_a_folder(trained, spark, tmp_path):
    """Two JSON Lines files in a folder, the text under another name, rows that cannot be scored."""
    folder = tmp_path / "exports"
    folder.mkdir()
    rows = [{"id": i, "author": f"user{i % 7}", "body": f"Thanks for the update on road safety in ward {i}"}
            for i in range(40)]
    rows[3]["body"], rows[5]["body"], rows[8]["body"] = "", None, "=HYPERLINK(\"http://x\") call the office"
    pd.DataFrame(rows[:25]).to_json(folder / "a.jsonl", orient="records", lines=True)
    pd.DataFrame(rows[25:]).to_json(folder / "b.jsonl", orient="records", lines=True)
    out = tmp_path / "scored.csv"

    summary = score_spark(str(trained["model"]), [folder], out, spark=spark, text_column="body")

    got = pd.concat([pd.read_csv(p, dtype=str, keep_default_na=False) for p in sorted(out.glob("part-*.csv"))])
    assert len(got) == 40 == summary["posts"]
    assert sorted(got["id"].astype(int)) == list(range(40))
    by_id = got.set_index("id")
    assert by_id.loc[["3", "5"], "action"].tolist() == ["error", "error"]
    assert by_id.loc["8", "body"].startswith("'=HYPERLINK")  # spreadsheet-safe, as the local engine writes
    assert summary["actions"]["error"] == 2


def test_cli_refuses_local_only_options_with_spark(tmp_path):
    proc = run_cli("score", str(SAMPLE), "--out", str(tmp_path / "o.parquet"), "--engine", "spark",
                   "--queue", str(tmp_path / "q.csv"), "--resume", check=False)
    assert proc.returncode == 2
    assert "--queue, --resume" in proc.stderr and "--engine local" in proc.stderr
    assert not (tmp_path / "o.parquet").exists()


def test_cli_engine_spark(trained, spark, tmp_path, capsys):
    """``moderate score … --engine spark`` in this process: it scores on the active session and leaves it running."""
    from pipeline.cli import main

    out = tmp_path / "scored.jsonl"
    assert main(["score", str(SAMPLE), "--out", str(out), "--model", str(trained["model"]), "--engine", "spark"]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith(f"scored 30 posts from {SAMPLE} with model {trained['meta']['model_version']}")
    got = pd.concat([pd.read_json(p, lines=True, dtype=False) for p in out.glob("part-*.json")])
    assert len(got) == 30 and got["id"].is_unique
    assert spark.range(3).count() == 3  # the session the CLI used is still usable
