"""Curation tools on tiny files: the checks name the right rows, review sheets pick the right
posts, and merging a sheet never silently overwrites a label."""
import hashlib
import json
from pathlib import Path

import pandas as pd
import pytest

from pipeline.curation import check_file, merge_sheet, review_sample
from pipeline.data import LABEL_COLUMNS, load_labelled, read_table
from pipeline.errors import DataErrors
from pipeline.schema import CATEGORIES

LONG = ("the council meeting about the new speed cameras on the high street was moved to thursday "
        "evening at the library so residents can come along and ask questions about the plans")


def post(text, abuse=0, spam=0, sub_judice=0, crime_report=0, party_political=0, **extra):
    return {"text": text, "abuse": abuse, "spam": spam, "sub_judice": sub_judice,
            "crime_report": crime_report, "party_political": party_political, **extra}


def write_jsonl(path: Path, rows) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def problems(report):
    return [(e.row, e.column, e.reason) for e in report.errors]


# check_file

def test_clean_file_is_ok_and_counts_labels(tmp_path):
    path = write_jsonl(tmp_path / "p.jsonl", [post("you absolute liar", abuse=1), post("buy cheap watches", spam=1),
                                              post("thanks for the update", abuse=None)])
    report = check_file(path)
    assert report.ok and report.warnings == [] and report.rows == 3
    assert report.label_counts["abuse"] == {"positive": 1, "negative": 1, "unknown": 1}
    assert report.label_counts["spam"] == {"positive": 1, "negative": 2, "unknown": 0}
    assert "3 row(s), 0 error(s), 0 warning(s)" in report.format()


def test_schema_errors_are_all_collected_with_rows(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("id,text,abuse,spam,sub_judice,crime_report,party_political\n"
                    "1,fine post,0,0,0,0,0\n2,,0,0,0,0,0\n3,another,yes,0,0,0,0\n4,more,0,2,0,0,0\n", encoding="utf-8")
    report = check_file(path)
    assert not report.ok
    assert [(row, col) for row, col, _ in problems(report)] == [(2, "text"), (3, "abuse"), (4, "spam")]
    assert report.empty_rows == [2]
    assert "row 3, column 'abuse'" in report.format()


def test_missing_columns_still_reports_bad_cells(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("text,abuse,spam\nhello,0,x\n", encoding="utf-8")
    report = check_file(path)
    reasons = [reason for _, _, reason in problems(report)]
    assert "missing column(s) sub_judice, crime_report, party_political" in reasons[0]
    assert (1, "spam") in [(row, col) for row, col, _ in problems(report)]


def test_unreadable_file_is_an_error_not_an_exception(tmp_path):
    path = tmp_path / "p.jsonl"
    path.write_text('{"text": "a", "abuse": 0\n', encoding="utf-8")
    report = check_file(path)
    assert not report.ok and "cannot parse" in str(report.errors[0])
    assert not check_file(tmp_path / "missing.csv").ok


def test_conflicting_labels_for_the_same_text_are_errors(tmp_path):
    path = write_jsonl(tmp_path / "p.jsonl", [post("  "), post("Lock him up, he did it", sub_judice=1), post("hello"),
                                              post("lock him up,   he did it", sub_judice=0),
                                              post("LOCK HIM UP, HE DID IT", sub_judice=None), post("")])
    report = check_file(path)
    assert report.conflicts == [([2, 4, 5], ["sub_judice"])]
    assert [p[:2] for p in problems(report)] == [(1, "text"), (6, "text"), (2, "sub_judice")]
    assert "row 2=1, row 4=0, row 5=?" in problems(report)[2][2]
    assert report.empty_rows == [1, 6] and report.exact_duplicates == [[2, 4, 5]]  # empty texts are not duplicates


def test_duplicates_and_overlong_texts_are_warnings(tmp_path):
    rows = [post("first post"), post(LONG), post("Repeat me please"), post(LONG + " tonight"),
            post("repeat me   please"), post("x" * 60)]
    report = check_file(write_jsonl(tmp_path / "p.jsonl", rows), max_chars=50)
    assert report.ok  # warnings only
    assert report.exact_duplicates == [[3, 5]]
    assert report.near_duplicates == [(2, 4)]
    assert report.overlong_rows == [2, 4, 6]
    assert any("rows 3, 5" in w for w in report.warnings)
    assert any("rows 2 and 4" in w for w in report.warnings)
    assert any(w.startswith("row 6: text is 60 characters") for w in report.warnings)


def test_project_corpus_passes():
    corpus = Path(__file__).resolve().parents[2] / "data" / "opcc" / "posts.jsonl"
    if not corpus.exists():
        pytest.skip(f"{corpus} not written yet")
    report = check_file(corpus)
    assert report.ok, report.format()


# review_sample

def scored_frame():
    return pd.DataFrame({
        "id": [f"p{i}" for i in range(8)],
        "text": [f"post {i}" for i in range(8)],
        "author": ["a"] * 8,
        "score_abuse": [0.9, 0.52, 0.1, 0.7, None, 0.05, 0.02, 0.95],
        "score_spam": [0.1, 0.1, 0.45, 0.1, None, 0.01, 0.03, 0.0],
        "action": ["remove", "none", "none", "hide", "error", "none", "none", "remove"],
    })


def test_review_sample_most_uncertain_first_then_seeded_random():
    sheet = review_sample(scored_frame(), n_uncertain=3, n_random=2, seed=1)
    assert sheet["id"].tolist()[:3] == ["p1", "p2", "p3"]
    assert sheet["why_picked"].tolist()[:3] == ["uncertain: abuse 0.52", "uncertain: spam 0.45", "uncertain: abuse 0.70"]
    assert sheet["why_picked"].tolist()[3:] == ["random", "random"]
    assert set(sheet["id"][3:]) <= {"p0", "p5", "p6", "p7"}  # not already picked, never the error row
    again = review_sample(scored_frame(), n_uncertain=3, n_random=2, seed=1)
    assert again["id"].tolist() == sheet["id"].tolist()


def test_review_sample_skips_errors_and_leaves_labels_empty():
    sheet = review_sample(scored_frame(), n_uncertain=100, n_random=10)
    assert "p4" not in sheet["id"].tolist() and len(sheet) == 7
    assert list(sheet.columns) == ["id", "text", "author", "score_abuse", "score_spam", *LABEL_COLUMNS,
                                   "why_picked", "notes"]
    assert (sheet[list(LABEL_COLUMNS)] == "").all().all() and (sheet["notes"] == "").all()


def test_review_sample_uses_given_thresholds_and_string_scores():
    scored = scored_frame().astype(str)  # as read back from a CSV
    sheet = review_sample(scored, n_uncertain=1, n_random=0, thresholds={"abuse": 0.9, "spam": 0.5})
    assert sheet["id"].tolist() == ["p0"] and sheet["why_picked"][0] == "uncertain: abuse 0.90"


# merge_sheet

def labelled_sheet(path: Path, rows) -> Path:
    """A review sheet as staff hand it back: a CSV with every label column and free-text notes."""
    frame = pd.DataFrame(rows, columns=["id", "text", *LABEL_COLUMNS, "why_picked", "notes"]).fillna("")
    frame.to_csv(path, index=False)
    return path


@pytest.fixture
def corpus(tmp_path):
    return write_jsonl(tmp_path / "posts.jsonl", [post("you are a disgrace", abuse=1, id="c1", group=7),
                                                  post("buy followers now", spam=1, id="c2", group=8),
                                                  post("is the station open", abuse=None, id="c3", group=9)])


def test_merge_adds_new_rows_fills_unknowns_and_skips_unlabelled(tmp_path, corpus):
    sheet = labelled_sheet(tmp_path / "sheet.csv", [
        {"id": "n1", "text": "burglars in my garden now", **dict.fromkeys(CATEGORIES, 0), "crime_report": 1, "urgent": 1},
        {"id": "", "text": "vote for the other lot", **dict.fromkeys(CATEGORIES, 0), "party_political": 1},
        {"id": "c3", "text": "is the station open", "abuse": 0},   # fills an unknown label
        {"id": "c1", "text": "you are a disgrace", "abuse": 1},    # the same as the corpus
        {"id": "n9", "text": "not looked at yet", "notes": "later"},
    ])
    result = merge_sheet(corpus, sheet, out_path=tmp_path / "out.jsonl")
    assert (result.added, result.updated, result.unchanged, result.skipped_unlabelled, result.conflicts) == (2, 1, 1, 1, 0)
    out = load_labelled(tmp_path / "out.jsonl")
    assert out["id"].tolist() == ["c1", "c2", "c3", "n1", "review-" + hashlib.sha1(
        b"vote for the other lot").hexdigest()[:10]]
    assert out["source"].tolist()[3:] == ["review", "review"]
    assert out.loc[2, "abuse"] == 0 and out.loc[3, "urgent"] == 1 and out.loc[3, "crime_report"] == 1
    assert [json.loads(line).get("group") for line in (tmp_path / "out.jsonl").open()] == ["7", "8", "9", None, None]
    assert check_file(tmp_path / "out.jsonl").ok


def test_merge_counts_a_new_id_with_a_known_text_apart(tmp_path, corpus):
    """A copy-paste campaign in a written batch: the repeats match the first copy by text."""
    sheet = labelled_sheet(tmp_path / "sheet.csv", [
        {"id": "n1", "text": "join my channel today", **dict.fromkeys(CATEGORIES, 0), "spam": 1},
        {"id": "n2", "text": "join my channel today", **dict.fromkeys(CATEGORIES, 0), "spam": 1},
        {"id": "n3", "text": "buy followers now", **dict.fromkeys(CATEGORIES, 0), "spam": 1},
        {"id": "c2", "text": "buy followers now", **dict.fromkeys(CATEGORIES, 0), "spam": 1},
    ])
    result = merge_sheet(corpus, sheet, out_path=tmp_path / "out.jsonl")
    assert (result.added, result.updated, result.unchanged, result.same_text) == (1, 0, 1, 2)
    assert load_labelled(tmp_path / "out.jsonl")["id"].tolist() == ["c1", "c2", "c3", "n1"]


def test_merge_leaves_existing_lines_byte_identical(tmp_path):
    """Dates, ids and notes of posts the sheet does not touch come back exactly as written."""
    lines = [json.dumps(post("is the station open", id="c1", created_at="2025-06-29T20:58:23Z",
                             platform="facebook", notes="")) + "\n",
             json.dumps(post("buy followers now", spam=1, id="c2", created_at="2024-01-02T03:04:05Z",
                             group="g-0012")) + "\n"]
    corpus = tmp_path / "posts.jsonl"
    corpus.write_text("".join(lines), encoding="utf-8")
    sheet = labelled_sheet(tmp_path / "sheet.csv", [{"id": "n1", "text": "a new post", **dict.fromkeys(CATEGORIES, 0)}])
    assert merge_sheet(corpus, sheet).added == 1
    assert corpus.read_text(encoding="utf-8").splitlines(keepends=True)[:2] == lines


def test_merge_keeps_a_sheets_own_source_and_metadata(tmp_path, corpus):
    """A batch written for the corpus (a JSONL with every field) goes in as written."""
    batch = write_jsonl(tmp_path / "batch.jsonl", [post("my bike went from outside the library", crime_report=1,
                                                        id="B-1", source="opcc_written", group="B-g1",
                                                        platform="twitter", created_at="2025-01-02T03:04:05Z",
                                                        notes="past theft, reported here")])
    assert merge_sheet(corpus, batch).added == 1
    last = json.loads(corpus.read_text(encoding="utf-8").splitlines()[-1])
    assert last == {"id": "B-1", "text": "my bike went from outside the library", "abuse": 0, "spam": 0,
                    "sub_judice": 0, "crime_report": 1, "party_political": 0, "source": "opcc_written",
                    "group": "B-g1", "platform": "twitter", "created_at": "2025-01-02T03:04:05Z",
                    "notes": "past theft, reported here"}


def test_merge_refuses_conflicts_and_leaves_the_corpus_unchanged(tmp_path, corpus):
    before = corpus.read_bytes()
    sheet = labelled_sheet(tmp_path / "sheet.csv", [
        {"id": "n1", "text": "a new post", **dict.fromkeys(CATEGORIES, 0)},
        {"id": "", "text": "You are a  DISGRACE", "abuse": 0},  # matched by normalised text
        {"id": "c2", "text": "buy followers now", "spam": 0, "abuse": 1},
    ])
    with pytest.raises(DataErrors) as caught:
        merge_sheet(corpus, sheet)
    assert [e.row for e in caught.value.errors] == [2, 3]
    message = str(caught.value)
    assert "id c1" in message and "corpus {abuse=1" in message and "sheet {abuse=0" in message
    assert "id c2" in message and "spam" in message
    assert corpus.read_bytes() == before


@pytest.mark.parametrize("prefer, spam", [("sheet", 1), ("corpus", 0)])
def test_merge_prefer_resolves_conflicts(tmp_path, corpus, prefer, spam):
    # c3 has spam=0 (conflict) and abuse unknown (filled in from the sheet whoever is preferred)
    sheet = labelled_sheet(tmp_path / "sheet.csv", [{"id": "c3", "text": "is the station open", "abuse": 1, "spam": 1}])
    result = merge_sheet(corpus, sheet, prefer=prefer)  # in place
    assert (result.conflicts, result.added, result.updated) == (1, 0, 1)
    out = load_labelled(corpus)
    assert len(out) == 3 and out.loc[2, "spam"] == spam and out.loc[2, "abuse"] == 1
    assert out.loc[0, "abuse"] == 1 and out.loc[1, "spam"] == 1  # other rows untouched
    assert not list(corpus.parent.glob(".posts.jsonl.*"))  # no temp file left behind


def test_merge_into_csv_and_parquet_corpora(tmp_path):
    frame = pd.DataFrame([post("old post", id="c1")])
    for name in ("posts.csv", "posts.parquet"):
        path = tmp_path / name
        frame.to_csv(path, index=False) if name.endswith(".csv") else frame.to_parquet(path)
        sheet = labelled_sheet(tmp_path / "sheet.csv", [{"id": "n1", "text": "new post", **dict.fromkeys(CATEGORIES, 0)}])
        assert merge_sheet(path, sheet).added == 1
        assert read_table(path)["id"].tolist() == ["c1", "n1"] and check_file(path).ok


def test_merge_into_a_corpus_without_ids_keeps_the_ids_it_loads_with(tmp_path):
    corpus = write_jsonl(tmp_path / "posts.jsonl", [post("old post"), post("older post")])
    before = load_labelled(corpus)["id"].tolist()
    sheet = labelled_sheet(tmp_path / "sheet.csv", [{"id": "n1", "text": "new post", **dict.fromkeys(CATEGORIES, 0)}])
    merge_sheet(corpus, sheet)
    assert load_labelled(corpus)["id"].tolist() == [*before, "n1"] == ["posts:1", "posts:2", "n1"]
