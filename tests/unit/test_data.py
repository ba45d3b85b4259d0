"""The labelled-file format: what loads, and the errors that name file, row and column."""
import json

import pandas as pd
import pytest

from pipeline.data import content_hash, load_labelled
from pipeline.errors import DataError, DataErrors

HEADER = "id,text,abuse,spam,sub_judice,crime_report,party_political"


def write(tmp_path, name, content):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return path


def test_csv_with_quotes_newlines_and_unknown_labels(tmp_path):
    path = write(tmp_path, "posts.csv", HEADER + '\n1,"He said ""no""\nthen left",0,1,,0,0\n2,NA,1,0,0,0,0\n')
    df = load_labelled(path)
    assert df["text"].tolist() == ['He said "no"\nthen left', "NA"]  # "NA" is a text, not a missing value
    assert df.loc[0, "spam"] == 1.0 and pd.isna(df.loc[0, "sub_judice"])
    assert df["id"].tolist() == ["1", "2"]


def test_jsonl_and_parquet_load_the_same(tmp_path):
    rows = [{"text": "hello", "abuse": 0, "spam": None, "sub_judice": 0, "crime_report": 1, "party_political": 0}]
    jsonl = write(tmp_path, "p.jsonl", "\n".join(json.dumps(r) for r in rows) + "\n")
    parquet = tmp_path / "p.parquet"
    pd.DataFrame(rows).to_parquet(parquet)
    a, b = load_labelled(jsonl), load_labelled(parquet)
    assert a["crime_report"].tolist() == b["crime_report"].tolist() == [1.0]
    assert pd.isna(a.loc[0, "spam"]) and pd.isna(b.loc[0, "spam"])
    assert a["id"].tolist() == ["p:1"]  # ids are made when the file has none


def test_json_list_and_jsonl_keep_dates_and_ids_as_written(tmp_path):
    rows = [{"id": 7, "text": "hello", "abuse": 0, "spam": 1, "sub_judice": 0, "crime_report": 0,
             "party_political": 0, "created_at": "2025-06-29T20:58:23Z"}]
    jsonl = write(tmp_path, "p.jsonl", json.dumps(rows[0]) + "\n")
    listed = write(tmp_path, "p.json", json.dumps(rows))
    for path in (jsonl, listed):
        df = load_labelled(path)
        assert df["created_at"].tolist() == ["2025-06-29T20:58:23Z"]  # not re-spelt as a timestamp
        assert df["id"].tolist() == ["7"] and df.loc[0, "spam"] == 1.0


def test_missing_column_is_named(tmp_path):
    path = write(tmp_path, "p.csv", "text,abuse,spam\nhi,0,0\n")
    with pytest.raises(DataError, match=r"p\.csv: missing column\(s\) sub_judice, crime_report, party_political"):
        load_labelled(path)


@pytest.mark.parametrize("row, message", [
    ('1,hello,2,0,0,0,0', r"row 1, column 'abuse': label must be 0, 1 or empty"),
    ('1,hello,0,yes,0,0,0', r"row 1, column 'spam': label must be 0, 1 or empty"),
    ('1,"   ",0,0,0,0,0', r"row 1, column 'text': empty text"),
])
def test_bad_cells_are_reported_with_row_and_column(tmp_path, row, message):
    path = write(tmp_path, "p.csv", f"{HEADER}\n{row}\n")
    with pytest.raises(DataErrors, match=message):
        load_labelled(path)


def test_all_bad_rows_are_reported_together(tmp_path):
    path = write(tmp_path, "p.csv", f"{HEADER}\n1,ok,0,0,0,0,0\n2,,0,0,0,0,0\n3,x,0,0,0,0,7\n")
    with pytest.raises(DataErrors) as err:
        load_labelled(path)
    assert [(e.row, e.column) for e in err.value.errors] == [(2, "text"), (3, "party_political")]


@pytest.mark.parametrize("name, content, message", [
    ("p.txt", "x", "unknown file type '.txt'"),
    ("p.csv", "", "file is empty"),
    ("p.jsonl", "{not json\n", "cannot parse as json"),
])
def test_unreadable_files(tmp_path, name, content, message):
    with pytest.raises(DataError, match=message):
        load_labelled(write(tmp_path, name, content))


def test_missing_file(tmp_path):
    with pytest.raises(DataError, match="file not found"):
        load_labelled(tmp_path / "nope.csv")


def test_content_hash_changes_with_a_label_not_with_ids(tmp_path):
    df = pd.DataFrame({"id": ["a"], "text": ["t"], "abuse": [0.0], "spam": [0.0], "sub_judice": [0.0],
                       "crime_report": [0.0], "party_political": [0.0]})
    other_id = df.assign(id=["b"])
    relabelled = df.assign(abuse=[1.0])
    assert content_hash(df) == content_hash(other_id) != content_hash(relabelled)
