"""Readers for platform exports: detection from content, the one post record, nothing dropped."""
import csv
import json
import shutil
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest

from pipeline.errors import DataError
from pipeline.exports import COLUMNS, ColumnMapping, detect_format, iter_records

EXPORTS = Path(__file__).resolve().parents[2] / "data" / "exports"
X_PAGE1, X_PAGE2 = EXPORTS / "x_api_v2_replies.json", EXPORTS / "x_api_v2_replies_page2.json"
PCC_POST = "1900417266315020288"


def read(paths, **kwargs) -> pd.DataFrame:
    chunks = list(iter_records(paths, **kwargs))
    for chunk in chunks:
        assert tuple(chunk.columns[:len(COLUMNS)]) == COLUMNS  # a generic table's other columns follow
    return pd.concat(chunks, ignore_index=True) if chunks else pd.DataFrame(columns=list(COLUMNS))


def by_id(df: pd.DataFrame, id_: str) -> pd.Series:
    rows = df[df["id"] == id_]
    assert len(rows) == 1, f"{id_} found {len(rows)} times"
    return rows.iloc[0]


def write(tmp_path, name, content) -> Path:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return path


@pytest.mark.parametrize("name, fmt, count", [
    ("x_api_v2_replies.json", "x_api_v2", 12),
    ("x_api_v2_replies_page2.json", "x_api_v2", 8),
    ("tweets.js", "x_archive", 18),
    ("facebook_graph_comments.json", "facebook_graph", 28),
    ("youtube_commentThreads.json", "youtube_api", 23),
    ("youtube_takeout_comments.csv", "youtube_takeout", 18),
    ("contact_form.csv", "contact_form", 20),
    ("sample_comments.csv", "csv", 30),
])
def test_each_sample_is_detected_and_every_record_read(name, fmt, count):
    assert detect_format(EXPORTS / name) == fmt
    df = read(EXPORTS / name)
    assert len(df) == count
    assert df["source_row"].tolist() == list(range(1, count + 1))
    assert (df["source_file"] == str(EXPORTS / name)).all()
    ok = df[df["read_error"].isna()]
    assert ok["text"].str.strip().ne("").all()
    assert ok["created_at"].str.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ").all()


def test_x_api_v2_maps_author_thread_and_parent():
    df = read(X_PAGE1)
    first = by_id(df, "1900418112034692175")
    assert first["platform"] == "x" and first["author"] == "philheseltine_t"
    assert first["created_at"] == "2025-03-14T18:40:09Z"
    assert first["thread_id"] == PCC_POST and first["parent_id"] == PCC_POST
    assert first["text"].startswith("@ClevelandPCC How do I get a Community Speed Watch group")
    reply_to_reply = by_id(df, "1900418112031949058")
    assert reply_to_reply["author"] == "RayStorey64"
    assert reply_to_reply["parent_id"] == "1900418112012747239"  # Colin's reply, not the office's post
    assert by_id(df, "1900418112012747239")["author"] == "colinpatt_hpool"


def test_x_pages_combine_and_share_their_users():
    df = read([X_PAGE1, X_PAGE2])
    assert len(df) == 20 and df["id"].is_unique
    assert df["source_file"].tolist() == [str(X_PAGE1)] * 12 + [str(X_PAGE2)] * 8
    # page 2 does not repeat this user in its includes; page 1 names them
    assert by_id(df, "1900418112053893994")["author"] == "borolass_76"
    assert by_id(read(X_PAGE2), "1900418112053893994")["author"] == "912003311"  # alone: the author_id
    long = by_id(df, "1900418112056637111")  # over 280 characters: the full text is in note_tweet
    assert len(long["text"]) > 280 and long["text"].endswith("Genuinely asking, not having a go.")


def test_x_archive_legacy_times_and_reply_ids(tmp_path):
    df = read(EXPORTS / "tweets.js")
    garage = by_id(df, "1853816859269120006")
    assert garage["created_at"] == "2024-11-05T11:10:40Z"  # from "Tue Nov 05 11:10:40 +0000 2024"
    assert garage["text"].startswith("@ClevelandPCC My garage on Bishopton Lane")
    assert by_id(df, "1853946714920960008")["parent_id"] == "1853816859269120006"
    assert pd.isna(by_id(df, "1856991024650240017")["parent_id"])
    assert df["author"].isna().all()  # an archive names no author in its tweets
    shutil.copy(EXPORTS / "tweets.js", tmp_path / "tweets.js")
    write(tmp_path, "account.js", 'window.YTD.account.part0 = [{"account": {"username": "LizOnTheTees"}}]')
    assert (read(tmp_path / "tweets.js")["author"] == "LizOnTheTees").all()


def test_facebook_nested_replies_are_flattened_after_their_comment():
    df = read(EXPORTS / "facebook_graph_comments.json")
    top = "122134567890123456_1043417280019035"
    assert df["id"].tolist()[2:5] == [top, "122134567890123456_1043417280022952", "122134567890123456_1043417280026869"]
    reply = by_id(df, "122134567890123456_1043417280022952")
    assert reply["parent_id"] == top and reply["author"] == "Sue Atkinson"
    assert reply["created_at"] == "2025-05-20T11:17:00Z"  # from "2025-05-20T11:17:00+0000"
    assert pd.isna(by_id(df, top)["parent_id"]) and (df["thread_id"] == "122134567890123456").all()
    # a reply to a reply is listed beside its parent and names it in 'parent'
    assert by_id(df, "122134567890123456_1043417280066039")["parent_id"] == "122134567890123456_1043417280062122"
    no_from = by_id(df, "122134567890123456_1043417280109126")
    assert pd.isna(no_from["author"]) and pd.isna(no_from["read_error"])


def test_facebook_comment_without_message_is_kept_with_its_reason():
    df = read(EXPORTS / "facebook_graph_comments.json")
    sticker = by_id(df, "122134567890123456_1043417280069956")
    assert sticker["text"] == "" and sticker["author"] == "Bev Appleton" and sticker["source_row"] == 16
    assert sticker["read_error"] == "facebook_graph_comments.json, record 16: data[7]: no 'message'"


def test_youtube_threads_give_top_level_comment_then_replies():
    df = read(EXPORTS / "youtube_commentThreads.json")
    top = df.iloc[1]
    assert top["author"] == "@DaveGrainger-b3x" and pd.isna(top["parent_id"]) and top["thread_id"] == "q7HcLvP0dXs"
    replies = df.iloc[2:4]
    assert (replies["parent_id"] == top["id"]).all() and replies["id"].str.startswith(top["id"] + ".").all()
    assert replies.iloc[0]["author"] == "@ClevelandPCC"
    html_only = df[df["author"] == "@GrahamPeacock-t6"].iloc[0]  # no textOriginal: textDisplay's HTML removed
    assert html_only["text"] == ("I'm a retired officer and the point about officer wellbeing at 31:10 was spot on.\n"
                                 "Thank you for saying it out loud.")


def test_youtube_takeout_json_segments_and_ids():
    df = read(EXPORTS / "youtube_takeout_comments.csv")
    first = df.iloc[0]
    assert first["id"] == "Ugw575yx8xm5MslfY5ubih4AaABAg" and first["author"] == "UCk2Vb8Qm4Lr0Xc7Nn5Tp1Ws"
    assert first["created_at"] == "2025-02-11T19:16:56Z" and first["thread_id"] == "q7HcLvP0dXs"
    assert first["text"] == "Thanks for taking my question about Skelton in the live Q&A. Really appreciated."
    assert df.iloc[2]["text"] == ("Our street in Linthorpe has had four burglaries since Christmas. \n"
                                  "Nobody has knocked on a single door to ask if we saw anything.")
    assert df.iloc[3]["parent_id"] == df.iloc[2]["id"]
    assert df.iloc[5]["text"] == "Free £50 Amazon voucher for the first 100 people!! Claim here bit.ly/free-vouch3r"
    assert df.iloc[7]["thread_id"] == "UgkxR4mPq8Lz2YtW0vHc6NbJs1QdE9fAoUiK"  # a community post, no video


def test_youtube_takeout_older_format_and_header_spelling(tmp_path):
    path = write(tmp_path, "comments.csv",
                 "Comment ID,Channel ID,Comment Create Timestamp,Price,Parent Comment ID,Video ID,Comment Text\n"
                 'c1,UC1,2023-05-01T10:00:00+01:00,,,v1,"{""takeoutSegments"":[{""text"":""old style""}]}"\n'
                 'c2,UC1,2023-05-01T11:00:00Z,,c1,v1,"{""text"":""broken""\n')
    assert detect_format(path) == "youtube_takeout"
    df = read(path)
    assert df.loc[0, "text"] == "old style" and df.loc[0, "created_at"] == "2023-05-01T09:00:00Z"
    assert df.loc[1, "text"] == ""
    assert df.loc[1, "read_error"].startswith("comments.csv, row 2: 'Comment Text' is not Takeout's JSON")


def test_contact_form_text_and_uk_local_times():
    df = read(EXPORTS / "contact_form.csv")
    first = by_id(df, "CF-2025-01041")
    assert first["platform"] == "website" and first["author"] == "Margaret Hebron"
    assert first["text"].startswith("Thank you\n\nI wanted to thank the officers")
    assert first["created_at"] == "2025-01-06T09:14:22Z"  # winter: UK time is UTC
    assert by_id(df, "CF-2025-01118")["created_at"] == "2025-05-19T22:41:12Z"  # summer: BST is UTC+1
    assert by_id(df, "CF-2025-01167")["created_at"] == "2025-10-25T23:30:00Z"
    assert by_id(df, "CF-2025-01069")["text"].startswith("You lot are a total joke")  # no subject: message alone
    blank = by_id(df, "CF-2025-01146")
    assert blank["text"] == "" and blank["read_error"] == "contact_form.csv, row 16: 'subject/message' is empty"
    assert "email" not in " ".join(df.columns)


def test_forcing_a_format_overrides_detection():
    mapping = ColumnMapping(text_column="message", id_column="submission_id", author_column="name",
                            time_column="submitted_at", platform="website-form")
    df = read(EXPORTS / "contact_form.csv", format="csv", mapping=mapping)
    row = by_id(df, "CF-2025-01041")
    assert row["platform"] == "website-form" and row["text"].startswith("I wanted to thank")
    assert list(df.columns[len(COLUMNS):]) == ["email", "subject"]  # unmapped columns pass through
    with pytest.raises(DataError, match="unknown format 'facebook'; use one of x_api_v2, x_archive"):
        next(iter_records(EXPORTS / "contact_form.csv", format="facebook"))


def test_content_not_extension_decides(tmp_path):
    renamed = tmp_path / "download.txt"
    shutil.copy(EXPORTS / "youtube_commentThreads.json", renamed)
    assert detect_format(renamed) == "youtube_api"
    jsonl = write(tmp_path, "posts.csv", '{"text": "hello", "id": 1}\n{"text": "again", "id": 2}\n')
    assert detect_format(jsonl) == "jsonl" and read(jsonl)["id"].tolist() == ["1", "2"]
    tsv = write(tmp_path, "posts.csv", "id\ttext\n1\thi, there\n")
    assert detect_format(tsv) == "tsv" and read(tsv).loc[0, "text"] == "hi, there"


def test_unrecognised_file_says_what_was_tried(tmp_path):
    path = write(tmp_path, "mystery.csv", "colour,size\nred,4\n")
    with pytest.raises(DataError) as e:
        detect_format(path)
    message = str(e.value)
    assert "mystery.csv: not a format these readers know" in message and "colour, size" in message
    for fmt in ("x_api_v2", "x_archive", "facebook_graph", "youtube_api", "youtube_takeout", "contact_form",
                "csv", "tsv", "jsonl", "parquet", "excel"):
        assert f"\n  {fmt}: " in message
    assert "'Comment ID'" in message and "a 'text' column" in message and "ColumnMapping" in message
    with pytest.raises(DataError, match="it is JSON, but not in any of these structures"):
        detect_format(write(tmp_path, "other.json", '{"results": [1, 2]}'))
    with pytest.raises(DataError, match="X archive's 'account' file, which holds no posts"):
        detect_format(write(tmp_path, "account.js", 'window.YTD.account.part0 = [{"account": {}}]'))
    with pytest.raises(DataError, match="mystery.csv: not a format"):  # before any chunk is yielded
        next(iter_records([EXPORTS / "contact_form.csv", path]))


def test_malformed_jsonl_records_are_rows_with_reasons(tmp_path):
    lines = ['{"id": "a", "text": "fine", "created_at": "2025-03-14T18:22:05+01:00"}',
             '{"id": "b", "text": "cut off',
             '{"id": "c", "created_at": "2025-03-14T18:22:05Z"}',
             '{"id": "d", "text": "when?", "created_at": "last Tuesday"}',
             '{"id": "e", "text": 42}',
             '["not", "an", "object"]']
    df = read(write(tmp_path, "posts.jsonl", "\n".join(lines) + "\n"))
    assert df["id"].tolist() == ["a", None, "c", "d", "e", None] and df["source_row"].tolist() == [1, 2, 3, 4, 5, 6]
    assert df.loc[0, "created_at"] == "2025-03-14T17:22:05Z" and pd.isna(df.loc[0, "read_error"])
    errors = df["read_error"].tolist()
    assert errors[1].startswith("posts.jsonl, line 2: line is not valid JSON")
    assert errors[2] == "posts.jsonl, line 3: no 'text'"
    assert errors[3].startswith("posts.jsonl, line 4: 'created_at' 'last Tuesday' is not a date and time")
    assert errors[4] == "posts.jsonl, line 5: 'text' is int, not text"
    assert errors[5] == "posts.jsonl, line 6: line is a JSON list, not an object"
    assert (df.loc[1:, "text"] == "").all()


def test_malformed_csv_and_json_records_are_kept(tmp_path):
    path = write(tmp_path, "posts.csv", "id,author,created_at,text\n1,Ann,2025-03-14 18:22,hello\n"
                                        "2,Bob,31/02/2025 10:00,bad date\n\n3,Cy,,\n4,Di,2025-01-01,a,b\n")
    df = read(path)
    assert df["id"].tolist() == ["1", "2", "3", None] and df["source_row"].tolist() == [1, 2, 4, 5]
    assert df.loc[0, "created_at"] == "2025-03-14T18:22:00Z" and df.loc[1, "text"] == ""
    assert df.loc[1, "read_error"].startswith("posts.csv, row 2: 'created_at' '31/02/2025 10:00' is not a date")
    assert df.loc[2, "read_error"] == "posts.csv, row 4: 'text' is empty"
    assert df.loc[3, "read_error"].startswith("posts.csv, row 5: has 5 fields, the header has 4")
    page = json.loads(X_PAGE2.read_text())
    page["data"][1] = "not a post"
    del page["data"][2]["text"]
    df = read(write(tmp_path, "page.json", json.dumps(page)))
    assert len(df) == 8
    assert df.loc[1, "read_error"] == "page.json, record 2: data[1]: a post must be a JSON object, found str"
    assert df.loc[2, "read_error"] == "page.json, record 3: data[2]: no 'text'" and df.loc[2, "id"] is not None


def test_large_csv_streams_in_chunks(tmp_path):
    path = tmp_path / "big.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "created_at", "text"])
        w.writerows([i, f"2025-03-14T18:{i % 60:02d}:00Z", f"comment number {i}"] for i in range(25_000))
    sizes, last = [], None
    for chunk in iter_records(path, chunk_size=10_000):
        sizes.append(len(chunk))
        last = chunk
    assert sizes == [10_000, 10_000, 5_000]
    assert last.iloc[-1]["id"] == "24999" and last.iloc[-1]["source_row"] == 25_000
    assert last["read_error"].isna().all()


def test_excel_with_a_mapping(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Ref", "Name", "Posted", "Comment"])
    ws.append([101, "Jo Bloggs", datetime(2025, 7, 1, 9, 30), "Thanks for the help on Linthorpe Road"])
    ws.append([102, "Sam", datetime(2025, 1, 2, 9, 30), 999])
    ws.append([None, None, None, None])
    ws.append([103, "Lee", "not a time", "when was this"])
    path = tmp_path / "from_staff.xlsx"
    wb.save(path)
    mapping = ColumnMapping(text_column="Comment", id_column="Ref", author_column="Name", time_column="Posted",
                            platform="instagram", timezone="Europe/London")
    assert detect_format(path, mapping) == "excel"
    df = read(path, mapping=mapping)
    assert df["id"].tolist() == ["101", "102", "103"] and (df["platform"] == "instagram").all()
    assert df.loc[0, "created_at"] == "2025-07-01T08:30:00Z" and df.loc[1, "created_at"] == "2025-01-02T09:30:00Z"
    assert df.loc[1, "text"] == "999"  # Excel made it a number; it is still what was written
    assert df["source_row"].tolist() == [1, 2, 4]  # the empty row keeps its number, as Excel shows it
    assert df.loc[2, "read_error"].startswith("from_staff.xlsx, row 4: 'Posted' 'not a time'")
    with pytest.raises(DataError, match="without a 'text' column"):
        detect_format(path)
    with pytest.raises(DataError, match="no column 'Handle' \\(for author\\)"):
        next(iter_records(path, format="excel", mapping=ColumnMapping(text_column="Comment", author_column="Handle")))


def test_parquet_and_a_folder_in_name_order(tmp_path):
    table = pd.DataFrame({"text": ["one", "two"], "id": [1, 2], "platform": ["tiktok", None]})
    table.to_parquet(tmp_path / "b.parquet")
    write(tmp_path, "a.jsonl", '{"text": "first"}\n')
    write(tmp_path, ".hidden", "ignored")
    df = read(tmp_path)
    assert df["text"].tolist() == ["first", "one", "two"]
    assert df["platform"].tolist()[1:] == ["tiktok", None] and df["id"].tolist() == [None, "1", "2"]
    everything = read(EXPORTS)
    assert len(everything) == 12 + 8 + 18 + 28 + 23 + 18 + 20 + 30
    assert everything["source_file"].drop_duplicates().tolist() == [str(p) for p in sorted(EXPORTS.iterdir())]
