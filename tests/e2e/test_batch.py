"""Batch scoring of platform exports: nothing lost, a queue in order, safe CSV, resumable runs."""
from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from pipeline import load_model
from pipeline.batch import BatchOptions, Checkpoint, score_batch
from pipeline.errors import DataError
from pipeline.exports import iter_records
from pipeline.table_io import TableWriter
from tests.conftest import REPO, run_cli

EXPORTS = REPO / "data" / "exports"


@pytest.fixture(scope="module")
def moderator(trained):
    return load_model(str(trained["model"]))


def read_back(path: Path) -> pd.DataFrame:
    return pd.concat(list(TableWriter.read_back(path)), ignore_index=True)


def test_every_export_record_comes_out_once_in_order(trained, tmp_path):
    out, queue, report = tmp_path / "scored.csv", tmp_path / "queue.csv", tmp_path / "report.html"
    proc = run_cli("score", str(EXPORTS), "--model", str(trained["model"]), "--out", str(out), "--queue", str(queue),
                   "--report", str(report), "--chunk-size", "7")
    expected = pd.concat(list(iter_records(EXPORTS)), ignore_index=True)
    got = read_back(out)
    assert len(got) == len(expected)
    assert got["id"].fillna("").tolist() == expected["id"].fillna("").tolist()
    assert got["source_row"].astype(int).tolist() == expected["source_row"].tolist()
    unreadable = expected["read_error"].notna()
    assert unreadable.any()  # the samples include records that cannot be read: they are kept
    assert (got.loc[unreadable.to_numpy(), "action"] == "error").all()
    assert f"scored {len(expected)} posts" in proc.stdout
    assert report.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    order = {"escalate": 0, "remove": 1, "hide": 2, "reply": 3}
    actions = read_back(queue)["action"].tolist()
    assert actions and [order[a] for a in actions] == sorted(order[a] for a in actions)
    assert len(actions) == sum(got["action"].isin(order))
    assert not Checkpoint.path_for(out).exists()


def test_csv_is_safe_in_a_spreadsheet_and_round_trips(moderator, tmp_path):
    texts = ['=HYPERLINK("http://evil.example.com","click")', "+44 7700 900123 is my number",
             "Line one\nline two, with \"quotes\" and émojis 😡", "'=already quoted", "@Cleveland_PCC thanks"]
    src = tmp_path / "in.csv"
    pd.DataFrame({"id": [f"p{i}" for i in range(len(texts))], "text": texts}).to_csv(src, index=False)
    out = tmp_path / "out.csv"
    score_batch(moderator, [src], out, BatchOptions(workers=1, progress=False))
    with out.open(newline="", encoding="utf-8") as f:
        raw = [row["text"] for row in csv.DictReader(f)]
    assert raw[0].startswith("'=") and raw[1].startswith("'+") and raw[4].startswith("'@")
    assert raw[3] == "''=already quoted"
    assert read_back(out)["text"].tolist() == texts  # exact after reading back


def test_an_interrupted_run_resumes_without_loss_or_repeats(moderator, tmp_path, monkeypatch):
    src = tmp_path / "in.jsonl"
    base = pd.read_csv(EXPORTS / "sample_comments.csv", dtype=str, keep_default_na=False)
    big = pd.concat([base.assign(id=base["id"] + f"-{k}") for k in range(4)], ignore_index=True)
    big.to_json(src, orient="records", lines=True, force_ascii=False)
    whole = tmp_path / "whole.jsonl"
    score_batch(moderator, [src], whole, BatchOptions(workers=1, chunk_size=10, progress=False))

    out = tmp_path / "out.jsonl"
    real = type(moderator).decide_batch
    calls = {"n": 0}

    def dies_on_the_fifth_chunk(self, assessed, history=None):
        calls["n"] += 1
        if calls["n"] == 5:
            raise KeyboardInterrupt
        return real(self, assessed, history=history)

    monkeypatch.setattr(type(moderator), "decide_batch", dies_on_the_fifth_chunk)
    with pytest.raises(KeyboardInterrupt):
        score_batch(moderator, [src], out, BatchOptions(workers=1, chunk_size=10, progress=False))
    monkeypatch.setattr(type(moderator), "decide_batch", real)
    assert Checkpoint.path_for(out).exists() and len(read_back(out)) == 40
    with pytest.raises(DataError, match="pass --resume"):
        score_batch(moderator, [src], out, BatchOptions(workers=1, chunk_size=10, progress=False))
    score_batch(moderator, [src], out, BatchOptions(workers=1, chunk_size=10, resume=True, progress=False))
    a, b = read_back(whole), read_back(out)
    assert b["id"].tolist() == big["id"].tolist()
    assert b.drop(columns=["explanations"]).equals(a.drop(columns=["explanations"]))


def test_two_workers_give_the_same_output_as_one(moderator, tmp_path):
    one, two = tmp_path / "one.parquet", tmp_path / "two.parquet"
    score_batch(moderator, [EXPORTS], one, BatchOptions(workers=1, chunk_size=9, progress=False))
    score_batch(moderator, [EXPORTS], two, BatchOptions(workers=2, chunk_size=9, progress=False))
    assert pd.read_parquet(one).equals(pd.read_parquet(two))


def test_generic_table_with_a_column_mapping(trained, tmp_path):
    src = tmp_path / "staff.csv"
    pd.DataFrame({"Comment": ["Thanks for the update", "f*ck off"], "Who": ["A", "B"], "Ref": ["r1", "r2"]}).to_csv(
        src, index=False)
    out = tmp_path / "out.csv"
    run_cli("score", str(src), "--model", str(trained["model"]), "--out", str(out), "--text-column", "Comment",
            "--author-column", "Who", "--id-column", "Ref", "--platform", "facebook")
    got = read_back(out)
    assert got["id"].tolist() == ["r1", "r2"] and got["author"].tolist() == ["A", "B"]
    assert set(got["platform"]) == {"facebook"}
