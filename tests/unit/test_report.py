"""The HTML report: totals add up over chunks, odd batches render, nothing is fetched or injected,
and a real browser draws the page."""
from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter

import numpy as np
import pandas as pd
import pytest

from pipeline.report import ReportStats, render_html, write_report
from pipeline.schema import ACTIONS, CATEGORIES

SCRIPT = "<script>alert(1)</script>"
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")


def synthetic_batch(n: int = 2000, seed: int = 7, dated: bool = True) -> pd.DataFrame:
    """Scored posts as ``moderate score`` writes them: a month of four platforms, some repeats."""
    rng = np.random.default_rng(seed)
    texts = np.array([f"Comment number {i} about policing in Middlesbrough" for i in range(n)], dtype=object)
    repeats = ["Sack the commissioner now!", "WIN a free iPhone at bit.ly/xyz", "Well said 👏", "Disgraceful."]
    slots = iter(rng.permutation(n))  # disjoint places, so the counts are known: 60, 30, 20, 15 at most
    for k, text in enumerate(repeats):
        texts[[next(slots) for _ in range(min(60 // (k + 1), n // 8))]] = text
    start = pd.Timestamp("2025-03-01", tz="UTC")
    when = start + pd.to_timedelta(rng.integers(0, 30 * 24 * 3600, n), unit="s")
    created = [t.strftime("%Y-%m-%dT%H:%M:%SZ") if dated and rng.random() > 0.05 else "" for t in when]
    df = pd.DataFrame({"id": [f"p{i}" for i in range(n)],
                       "platform": rng.choice(["facebook", "x", "instagram", "youtube"], n, p=[.5, .3, .15, .05]),
                       "author": [f"user{i % 300}" for i in range(n)], "created_at": created, "text": texts})
    for c in CATEGORIES:
        df[f"score_{c}"] = np.round(rng.beta(0.4, 4, n), 4)
        df[f"flag_{c}"] = (df[f"score_{c}"] > 0.5).astype(int)
    df["action"] = rng.choice(ACTIONS, n, p=[.01, .06, .1, .05, .77, .01])
    df["urgent"] = (df["action"] == "escalate").astype(int)
    rules = ["", "", "", "", "pii.phone", "link.shortener", "pii.phone;link.shortener", "lexicon.swearing"]
    df["rules"] = rng.choice(rules, n)
    df["reasons"] = ""
    df["policy_refs"] = ""
    df["model_version"] = "opcc-2025.03-test"
    return df


def chunked(df: pd.DataFrame, sizes) -> ReportStats:
    stats, start = ReportStats(), 0
    for size in sizes:
        stats.update(df.iloc[start:start + size], source="export.csv")
        start += size
    return stats


def test_stats_over_chunks_equal_one_big_chunk():
    df = synthetic_batch(1000)
    whole = ReportStats().update(df, source="export.csv").as_dict()
    assert chunked(df, [1, 250, 0, 333, 416]).as_dict() == whole
    assert whole["posts"] == 1000 and sum(whole["actions"].values()) == 1000
    assert whole["urgent"] == int(df["urgent"].sum()) and whole["errors"] == int((df["action"] == "error").sum())
    assert whole["categories"] == {c: int(df[f"flag_{c}"].sum()) for c in CATEGORIES}
    assert sum(sum(c.values()) for c in whole["platform_actions"].values()) == 1000
    assert sum(sum(c.values()) for c in whole["day_actions"].values()) + whole["undated"] == 1000
    assert whole["rules"]["pii.phone"] == int(df["rules"].str.contains("pii.phone").sum())
    assert whole["top_repeats"][0] == (60, "Sack the commissioner now!") and whole["repeat_slack"] == 0
    top_abuse = df.nlargest(5, "score_abuse")
    assert [e[1] for e in whole["examples"]["abuse"]] == top_abuse["id"].tolist()


def test_repeat_counts_are_honest_lower_bounds_when_memory_runs_out():
    df = synthetic_batch(2000)
    stats = ReportStats(repeat_capacity=50)
    for start in range(0, 2000, 100):
        stats.update(df.iloc[start:start + 100])
    true = df["text"].str.lower().value_counts()
    assert stats.repeat_slack > 0
    assert stats.repeat_slack <= 2000 / 51
    for count, text in stats.top_repeats():
        assert count <= true[text.lower()] <= count + stats.repeat_slack
    assert "lower bound" in render_html(stats)


def test_empty_batch_renders():
    empty = synthetic_batch(10).iloc[0:0]
    for stats in (ReportStats(), ReportStats().update(empty), ReportStats().update(pd.DataFrame())):
        html = render_html(stats)
        assert stats.posts == 0 and "No posts in this batch" in html and html.count("<html") == 1


def test_batch_without_dates():
    stats = ReportStats().update(synthetic_batch(200, dated=False))
    assert stats.day_actions == {} and stats.undated == 200
    assert "no chart over time" in render_html(stats)


def test_long_spans_are_drawn_per_week():
    df = synthetic_batch(300)
    df["created_at"] = pd.date_range("2024-06-01", periods=300, freq="D", tz="UTC").strftime("%Y-%m-%dT%H:%M:%SZ")
    html = render_html(ReportStats().update(df))
    assert "Posts per week" in html and "2025" in html


def test_malicious_text_is_escaped_everywhere():
    df = synthetic_batch(50)
    df.loc[:9, ["text", "platform", "id", "rules", "model_version"]] = SCRIPT
    df.loc[:9, "score_abuse"] = 0.99
    df.loc[:9, "action"] = SCRIPT  # not an action at all: counted as an error
    stats = ReportStats().update(df, source=SCRIPT)
    html = render_html(stats, title=SCRIPT)
    assert stats.errors == 10 + int((df["action"] == "error").sum())
    assert SCRIPT not in html and "<script" not in html.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_page_fetches_nothing_from_outside():
    html = render_html(ReportStats().update(synthetic_batch(300)))
    assert not re.search(r"""(src|href|xlink:href|action)\s*=\s*["']?\s*(https?:)?//""", html, re.I)
    assert not re.search(r"@import|url\(\s*['\"]?\s*(https?:)?//", html, re.I)
    assert "<script" not in html.lower() and "<link" not in html.lower()


def find_browser() -> str | None:
    return next((path for name in BROWSERS if (path := shutil.which(name))), None)


def screenshot(html_path, png_path, profile_dir, timeout: int = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [find_browser(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
         f"--user-data-dir={profile_dir}", f"--screenshot={png_path}", "--window-size=1280,2400",
         html_path.resolve().as_uri()], capture_output=True, text=True, timeout=timeout)


def test_browser_draws_the_report(tmp_path):
    if find_browser() is None:
        pytest.skip("no chromium binary on PATH: apt-get update && apt-get install -y chromium")
    import matplotlib.image

    page = write_report(ReportStats().update(synthetic_batch(2000), source="sample_comments.csv"),
                        tmp_path / "report.html")
    png = tmp_path / "report.png"
    proc = screenshot(page, png, tmp_path / "profile")
    assert png.exists(), f"no screenshot: {proc.stderr[-2000:]}"
    img = matplotlib.image.imread(png)
    assert img.shape[:2] == (2400, 1280)
    rgb = (img[..., :3] * 255).round().astype(np.uint32)
    packed = rgb[..., 0] << 16 | rgb[..., 1] << 8 | rgb[..., 2]
    colours = Counter(packed[::2, ::2].ravel().tolist())
    assert len(colours) > 50, "the page looks blank"
    assert colours.most_common(1)[0][1] < 0.9 * packed[::2, ::2].size, "one colour fills the page"
