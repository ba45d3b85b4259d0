"""A one-page HTML report of a scored batch, built chunk by chunk in bounded memory.

``ReportStats.update`` takes each scored chunk (the columns ``moderate score`` writes);
``render_html`` turns the totals into one self-contained page: inline CSS and SVG, no scripts,
nothing fetched, a table behind every chart.

>>> import pandas as pd
>>> stats = ReportStats().update(pd.DataFrame({"id": ["1", "2"], "text": ["Hi", " hi "],
...                                            "action": ["none", "remove"]}), source="a.csv")
>>> stats.posts, stats.actions["remove"], stats.top_repeats()
(2, 1, [(2, 'Hi')])
>>> render_html(stats).startswith("<!DOCTYPE html>")
True
"""
from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta, timezone
from html import escape
from pathlib import Path

import numpy as np
import pandas as pd

from pipeline.schema import ACTIONS, CATEGORIES

LABELS = {"abuse": "Abuse", "spam": "Spam", "sub_judice": "Sub judice", "crime_report": "Crime report",
          "party_political": "Party political"}
# GOV.UK palette; red and orange are kept apart so the stack reads without relying on hue alone.
COLOURS = {"escalate": "#d4351c", "remove": "#912b88", "hide": "#f47738", "reply": "#1d70b8",
           "none": "#b1b4b6", "error": "#0b0c0c"}
TEXT_LIMIT = 280


def _column(chunk: pd.DataFrame, name: str, default) -> pd.Series:
    return chunk[name] if name in chunk else pd.Series(default, index=chunk.index, dtype=object)


def _flags(values: pd.Series) -> pd.Series:
    return pd.to_numeric(values, errors="coerce").fillna(0).astype(bool)


def _short(text: str) -> str:
    text = text.strip()
    return text if len(text) <= TEXT_LIMIT else text[:TEXT_LIMIT - 1] + "…"


def _add_crosstab(table: dict[str, Counter], keys: pd.Series, actions: pd.Series) -> None:
    pairs = pd.DataFrame({"k": keys.to_numpy(), "a": actions.to_numpy()}).value_counts()
    for (key, action), n in pairs.items():
        table.setdefault(key, Counter())[action] += int(n)


class ReportStats:
    """Totals over scored chunks. Memory is bounded by ``repeat_capacity`` distinct messages,
    ``examples`` posts per category, and the number of distinct days, platforms and rules.

    Repeated messages (text with spaces collapsed, lower-cased) are counted with a Misra-Gries
    summary: exact while fewer than ``repeat_capacity`` distinct messages are seen; after that
    each count is a lower bound, short by at most ``repeat_slack`` (itself at most
    posts / (repeat_capacity + 1)), and every message above that share is kept.
    """

    def __init__(self, repeat_capacity: int = 10_000, examples: int = 5):
        self.repeat_capacity = repeat_capacity
        self.examples = examples
        self.posts = self.urgent = self.undated = self.repeat_slack = 0
        self.categories, self.actions, self.rules, self.model_versions = Counter(), Counter(), Counter(), Counter()
        self.platform_actions: dict[str, Counter] = {}
        self.day_actions: dict[str, Counter] = {}
        self.inputs: list[str] = []
        self.top_examples: dict[str, list[tuple]] = {c: [] for c in CATEGORIES}  # (score, seq, id, text, action)
        self._repeats = pd.Series(dtype="int64", index=pd.Index([], dtype="uint64"))
        self._repeat_texts: dict[int, str] = {}

    @property
    def errors(self) -> int:
        return self.actions["error"]

    def update(self, chunk: pd.DataFrame, source: str | None = None) -> ReportStats:
        """Add one scored chunk (and the name of the input it came from); returns ``self``."""
        if source is not None and str(source) not in self.inputs:
            self.inputs.append(str(source))
        if len(chunk) == 0:
            return self
        chunk = chunk.reset_index(drop=True)
        seq0, self.posts = self.posts, self.posts + len(chunk)
        action = _column(chunk, "action", "none").fillna("none").astype(str)
        action = action.where(action.isin(ACTIONS), "error")  # an action outside the schema is a fault upstream
        text = _column(chunk, "text", "").fillna("").astype(str)
        self.actions.update(action.value_counts().to_dict())
        self.urgent += int(_flags(_column(chunk, "urgent", 0)).sum())
        for c in CATEGORIES:
            self.categories[c] += int(_flags(_column(chunk, f"flag_{c}", 0)).sum())
        platform = _column(chunk, "platform", "").fillna("").astype(str).str.strip()
        _add_crosstab(self.platform_actions, platform.where(platform != "", "(not given)"), action)
        when = pd.to_datetime(_column(chunk, "created_at", None), utc=True, errors="coerce", format="ISO8601")
        dated = when.notna()
        self.undated += int((~dated).sum())
        _add_crosstab(self.day_actions, when[dated].dt.strftime("%Y-%m-%d"), action[dated])
        rules = _column(chunk, "rules", "").fillna("").astype(str).str.split(";").explode().str.strip()
        self.rules.update(rules[rules != ""].value_counts().to_dict())
        versions = _column(chunk, "model_version", "").fillna("").astype(str)
        self.model_versions.update(versions[versions != ""].value_counts().to_dict())
        self._count_repeats(text)
        self._keep_examples(chunk, text, action, seq0)
        return self

    def _count_repeats(self, text: pd.Series) -> None:
        norm = text.str.split().str.join(" ").str.lower()
        keep = norm != ""
        keys = pd.util.hash_pandas_object(norm[keep], index=False).to_numpy()
        first = dict(zip(keys[::-1], text[keep].to_numpy()[::-1]))  # reversed: first occurrence wins
        merged = self._repeats.add(pd.Series(keys).value_counts(), fill_value=0).astype("int64")
        if len(merged) > self.repeat_capacity:  # Misra-Gries merge: subtract the (k+1)-th count
            cut = int(merged.nlargest(self.repeat_capacity + 1).iloc[-1])
            self.repeat_slack += cut
            merged = merged[merged > cut] - cut
        self._repeats = merged
        self._repeat_texts = {k: self._repeat_texts[k] if k in self._repeat_texts else _short(first[k])
                              for k in merged.index}

    def _keep_examples(self, chunk: pd.DataFrame, text: pd.Series, action: pd.Series, seq0: int) -> None:
        ids = _column(chunk, "id", "").fillna("").astype(str)
        for c in CATEGORIES:
            score = pd.to_numeric(_column(chunk, f"score_{c}", np.nan), errors="coerce").dropna()
            new = [(float(s), seq0 + i, ids[i], _short(text[i]), action[i])
                   for i, s in score.nlargest(self.examples, keep="first").items()]
            self.top_examples[c] = sorted(self.top_examples[c] + new, key=lambda e: (-e[0], e[1]))[:self.examples]

    def top_repeats(self, n: int = 10) -> list[tuple[int, str]]:
        """The ``n`` most repeated messages seen at least twice: (count, first text seen)."""
        top = [(int(v), self._repeat_texts[k]) for k, v in self._repeats[self._repeats >= 2].items()]
        return sorted(top, key=lambda t: (-t[0], t[1]))[:n]

    def as_dict(self) -> dict:
        """Everything the report shows, as plain data (for JSON, or to compare two runs)."""
        return {"posts": self.posts, "urgent": self.urgent, "errors": self.errors, "undated": self.undated,
                "categories": dict(self.categories), "actions": dict(self.actions), "rules": dict(self.rules),
                "platform_actions": {k: dict(v) for k, v in self.platform_actions.items()},
                "day_actions": {k: dict(v) for k, v in self.day_actions.items()},
                "model_versions": dict(self.model_versions), "inputs": list(self.inputs),
                "top_repeats": self.top_repeats(), "repeat_slack": self.repeat_slack,
                "examples": {c: [(s, i, t, a) for s, _, i, t, a in ex] for c, ex in self.top_examples.items()}}


# ---- charts: inline SVG, each with a <title> for screen readers and a table next to it ----

def _svg(width: int, height: int, alt: str, body: list[str]) -> str:
    return (f'<svg viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" focusable="false">'
            f'<title>{escape(alt)}</title>{"".join(body)}</svg>')


def _bars(rows: list[tuple[str, Counter]], alt: str, single: str = "", label_w: int = 190, bar_w: int = 680) -> str:
    """Horizontal bars, one per row, stacked by action (or all in one colour, ``single``)."""
    rh, top = 34, max([sum(c.values()) for _, c in rows] + [1])
    body = []
    for i, (name, counts) in enumerate(rows):
        y, x = i * rh, label_w
        label = name if len(name) <= 24 else name[:23] + "…"
        body.append(f'<text x="{label_w - 10}" y="{y + 22}" text-anchor="end">{escape(label)}</text>')
        for key, n in counts.items():
            body.append(f'<rect x="{x:.1f}" y="{y + 6}" width="{bar_w * n / top:.1f}" height="{rh - 12}" '
                        f'fill="{single or COLOURS.get(key, "#505a5f")}"/>')
            x += bar_w * n / top
        body.append(f'<text x="{x + 8:.1f}" y="{y + 22}" class="n">{sum(counts.values()):,}</text>')
    return _svg(label_w + bar_w + 100, rh * len(rows), alt, body)


def _time_buckets(day_actions: dict[str, Counter]) -> tuple[str, dict[date, Counter]]:
    """Days, or weeks past three months, or months past two years: never more than ~100 bars."""
    days = sorted(date.fromisoformat(d) for d in day_actions)
    span = (days[-1] - days[0]).days + 1
    unit, key = (("day", lambda d: d) if span <= 92 else
                 ("week", lambda d: d - timedelta(days=d.weekday())) if span <= 730 else
                 ("month", lambda d: d.replace(day=1)))
    buckets: dict[date, Counter] = {}
    for i in range(span):  # every bucket in the range, so quiet days show as gaps
        buckets.setdefault(key(days[0] + timedelta(days=i)), Counter())
    for d, counts in day_actions.items():
        buckets[key(date.fromisoformat(d))].update(counts)
    return unit, buckets


def _columns(unit: str, buckets: dict[date, Counter], alt: str) -> str:
    """Vertical bars over time, stacked by action, with a y axis and at most a dozen date labels."""
    left, width, height = 56, 850, 260
    top = max([sum(c.values()) for c in buckets.values()] + [1])
    raw = max(top / 4, 1)
    step = next(m * 10 ** int(np.log10(raw)) for m in (1, 2, 5, 10) if m * 10 ** int(np.log10(raw)) >= raw)
    ymax, slot, every, year = step * -(-top // step), width / len(buckets), -(-len(buckets) // 10), None
    body = [f'<line x1="{left}" x2="{left + width}" y1="{height + 10 - height * v / ymax:.1f}" '
            f'y2="{height + 10 - height * v / ymax:.1f}" class="grid"/><text x="{left - 8}" '
            f'y="{height + 15 - height * v / ymax:.1f}" text-anchor="end" class="t">{v:,}</text>'
            for v in range(0, ymax + 1, step)]
    for i, (d, counts) in enumerate(buckets.items()):
        x, y = left + i * slot, height + 10
        for action in ACTIONS:
            if h := height * counts[action] / ymax:
                body.append(f'<rect x="{x + slot * 0.12:.1f}" y="{y - h:.1f}" width="{slot * 0.76:.1f}" '
                            f'height="{h:.1f}" fill="{COLOURS[action]}"/>')
                y -= h
        if i % every == 0:  # the year on the first label and wherever it changes
            label = f"{d:%b %Y}" if unit == "month" else f"{d.day} {d:%b}" + (f" {d.year}" if d.year != year else "")
            year = d.year
            body.append(f'<text x="{x + slot / 2:.1f}" y="{height + 32}" text-anchor="middle" class="t">{label}</text>')
    body.append(f'<line x1="{left}" x2="{left + width}" y1="{height + 10}" y2="{height + 10}" class="axis"/>')
    return _svg(left + width + 10, height + 40, alt, body)


class Markup(str):
    """HTML this module built itself, to be put in a table cell as it is."""


def _cell(v) -> str:
    if isinstance(v, (int, np.integer)):
        return f'<td class="num">{v:,}</td>'
    if isinstance(v, float):
        return f'<td class="num">{v:.2f}</td>'
    return f"<td>{v if isinstance(v, Markup) else escape(str(v))}</td>"


def _table(headers: list[str], rows: list[list], caption: str, cls: str = "") -> str:
    """A plain table (caption for screen readers); ints and floats are right-aligned numbers."""
    num = [isinstance(v, (int, float, np.integer)) for v in rows[0]] if rows else []
    head = "".join(f'<th scope="col"{" class=num" if i < len(num) and num[i] else ""}>{escape(h)}</th>'
                   for i, h in enumerate(headers))
    body = "".join("<tr>" + "".join(_cell(v) for v in row) + "</tr>" for row in rows)
    return (f'<table class="{cls}"><caption class="vh">{escape(caption)}</caption><thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table>")


def _figure(chart: str, table: str, legend: bool = False) -> str:
    keys = "".join(f'<li><span class="key" style="background:{COLOURS[a]}"></span>{a}</li>' for a in ACTIONS)
    return (f'<figure>{f"<ul class=legend aria-hidden=true>{keys}</ul>" if legend else ""}{chart}'
            f"<details><summary>Show the numbers as a table</summary>{table}</details></figure>")


def _head(title: str, lede: str, level: int = 2) -> str:
    return f'<h{level}>{escape(title)}</h{level}><p class="lede">{lede}</p>'


def _note(text: str) -> str:
    return f'<div class="inset"><p>{text}</p></div>'


CSS = """
*{box-sizing:border-box}body{margin:0;font-family:Arial,"Helvetica Neue",Helvetica,sans-serif;color:#0b0c0c;
background:#fff;font-size:19px;line-height:1.4}.wrap{max-width:1000px;margin:0 auto;padding:0 24px}
header{background:#0b0c0c;color:#fff;border-bottom:10px solid #1d70b8}header .wrap{padding:28px 24px}
h1{font-size:40px;line-height:1.1;margin:0 0 10px}header p{margin:0;color:#f3f2f1}
h2{font-size:28px;margin:48px 0 6px;padding-top:14px;border-top:2px solid #0b0c0c}h3{font-size:22px;margin:28px 0 4px}
.lede{margin:0 0 14px;color:#505a5f}.cards{display:grid;grid-template-columns:repeat(5,1fr);gap:14px;margin:32px 0 0;padding:0}
.card{list-style:none;border-top:6px solid #1d70b8;background:#f3f2f1;padding:12px 14px 16px}.card span{display:block;font-size:17px}
.card b{display:block;font-size:42px;line-height:1.15;font-variant-numeric:tabular-nums}.card small{color:#505a5f;font-size:16px}
.urgent{border-color:#d4351c}.urgent b{color:#d4351c}.remove{border-color:#912b88}.hide{border-color:#f47738}.error{border-color:#0b0c0c}
.two{display:grid;grid-template-columns:1fr 1fr;gap:0 40px}figure{margin:0}
svg{max-width:100%;height:auto;display:block;margin:8px 0}svg text{font-size:16px;fill:#0b0c0c}svg .n{font-weight:bold}
svg .t{fill:#505a5f;font-size:13px}.grid{stroke:#dcdcdc}.axis{stroke:#0b0c0c;stroke-width:2}
.legend{list-style:none;padding:0;margin:8px 0;display:flex;flex-wrap:wrap;gap:6px 22px;font-size:16px}
.key{display:inline-block;width:16px;height:16px;margin-right:6px;vertical-align:-2px}
table{border-collapse:collapse;width:100%;font-size:16px;margin:4px 0 16px}
th,td{border-bottom:1px solid #b1b4b6;padding:8px 16px 8px 0;text-align:left;vertical-align:top}
.num{text-align:right;white-space:nowrap;width:1%;font-variant-numeric:tabular-nums}td{overflow-wrap:anywhere}
.rules td:last-child{width:45%}.rules td div{background:#1d70b8;height:16px;min-width:2px;margin-top:2px}
.vh{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
details{margin:4px 0 0}summary{color:#1d70b8;text-decoration:underline;cursor:pointer;font-size:17px}
summary:focus{outline:3px solid transparent;background:#fd0;color:#0b0c0c;box-shadow:0 4px #0b0c0c}
.inset{border-left:10px solid #b1b4b6;padding:4px 18px;margin:16px 0}code{font-size:15px}
footer{margin:56px 0 0;padding:20px 0 40px;border-top:1px solid #b1b4b6;color:#505a5f;font-size:16px}
footer dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 20px}dt{font-weight:bold;color:#0b0c0c}dd{margin:0}
@media (max-width:820px){.cards{grid-template-columns:repeat(2,1fr)}.two{grid-template-columns:1fr}}
"""


def render_html(stats: ReportStats, title: str = "Comment moderation report", now: datetime | None = None) -> str:
    """The whole report as one HTML page that needs nothing else: no scripts, fonts or files."""
    made = (now or datetime.now(timezone.utc)).strftime("%d %B %Y at %H:%M UTC")
    versions, sources = ", ".join(stats.model_versions) or "not recorded", ", ".join(stats.inputs) or "not recorded"
    days = [date.fromisoformat(d) for d in sorted(stats.day_actions)]
    span = f"{days[0].day} {days[0]:%b %Y} to {days[-1].day} {days[-1]:%b %Y}" if days else "no dates"
    cards = [("Posts", stats.posts, ""), ("Urgent", stats.urgent, "urgent"), ("Removed", stats.actions["remove"], "remove"),
             ("For review", stats.actions["hide"], "hide"), ("Errors", stats.errors, "error")]
    sub = [f"over {(days[-1] - days[0]).days + 1:,} days" if days else "no dates",
           *(f"{n / stats.posts:.1%} of posts" if stats.posts else "" for _, n, _ in cards[1:])]
    cards_html = "".join(f'<li class="card {c}"><b style="font-size:{min(42, 380 // len(f"{n:,}"))}px">{n:,}</b>'
                         f"<span>{k}</span><small>{s}</small></li>" for (k, n, c), s in zip(cards, sub))
    body = _sections(stats) if stats.posts else [_note("No posts in this batch, so there is nothing to chart.")]
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title><style>{CSS}</style></head>
<body><header><div class="wrap"><h1>{escape(title)}</h1>
<p>{stats.posts:,} posts · {span} · model {escape(versions)}</p></div></header>
<main class="wrap"><ul class="cards">{cards_html}</ul>{"".join(body)}
<footer><dl><dt>Made</dt><dd>{made}</dd><dt>Model version</dt><dd>{escape(versions)}</dd>
<dt>Inputs</dt><dd>{escape(sources)}</dd><dt>Posts</dt><dd>{stats.posts:,}</dd></dl>
<p>“For review” posts are hidden until a person checks them; “urgent” posts may mean danger now.</p></footer>
</main></body></html>
"""


def _sections(stats: ReportStats) -> list[str]:
    cats, acts = {LABELS[c]: stats.categories[c] for c in CATEGORIES}, {a: stats.actions[a] for a in ACTIONS}
    out = ['<div class="two"><section>', _head("Flagged by category", "Score past the category's action threshold; "
                                               "a post can be in several."),
           _figure(_bars([(k, Counter({k: v})) for k, v in cats.items()], _alt("Posts flagged per category", cats),
                         single="#1d70b8", label_w=130, bar_w=250), _table(["Category", "Posts"], [*map(list, cats.items())],
                                                                           "Posts flagged per category")),
           "</section><section>", _head("What the pipeline did", "One action per post: the most pressing that applies."),
           _figure(_bars([(k, Counter({k: v})) for k, v in acts.items()], _alt("Posts per action", acts),
                         label_w=100, bar_w=280), _table(["Action", "Posts"], [*map(list, acts.items())], "Posts per action")),
           "</section></div>"]
    undated = f" {stats.undated:,} posts have no date and are not shown." if stats.undated else ""
    if stats.day_actions:
        unit, buckets = _time_buckets(stats.day_actions)
        busiest = max(buckets, key=lambda d: sum(buckets[d].values()))
        alt = (f"Posts per {unit} from {min(buckets):%d %b %Y} to {max(buckets):%d %b %Y}, stacked by action; the "
               f"busiest {unit} began {busiest:%d %b %Y} with {sum(buckets[busiest].values()):,} posts.")
        rows = [[f"{d:%d %b %Y}", *(c[a] for a in ACTIONS), sum(c.values())] for d, c in buckets.items()]
        partial = f" The first and last {unit}s may be partial." if unit != "day" else ""
        out += [_head("Over time", f"Posts per {unit} (UTC), stacked by action.{partial}{undated}"),
                _figure(_columns(unit, buckets, alt), _table([unit.capitalize(), *ACTIONS, "Total"], rows,
                                                             f"Posts per {unit} by action"), legend=True)]
    else:
        out += [_head("Over time", ""), _note("No post in this batch has a date (<code>created_at</code> is empty or "
                                               "unreadable), so there is no chart over time.")]
    platforms = sorted(stats.platform_actions.items(), key=lambda kv: -sum(kv[1].values()))
    rows = [[p, *(c[a] for a in ACTIONS), sum(c.values())] for p, c in platforms]
    out += [_head("By platform", "Posts per platform, stacked by action."),
            _figure(_bars([(p, Counter({a: c[a] for a in ACTIONS})) for p, c in platforms],
                          _alt("Posts per platform", {p: sum(c.values()) for p, c in platforms})),
                    _table(["Platform", *ACTIONS, "Total"], rows, "Posts per platform by action"), legend=True)]
    return out + _lists(stats)


def _lists(stats: ReportStats) -> list[str]:
    how = ("Counts are exact." if not stats.repeat_slack else f"Counted in bounded memory ({stats.repeat_capacity:,} "
           f"distinct messages kept): each count is a lower bound and may be short by up to {stats.repeat_slack:,}.")
    top, rules = stats.top_repeats(10), stats.rules.most_common(15)
    out = [_head("Most repeated messages", f"The same text posted more than once, ignoring case and spacing: "
                                           f"copy-paste campaigns and spam. {how}"),
           _table(["Times", "Message (first seen)"], top, "Most repeated messages") if top else
           _note("No message was posted more than once."),
           _head("Rules that fired most", "Hard rules: personal information, links, urgent danger and more."),
           _table(["Rule", "Times", ""], [[Markup(f"<code>{escape(r)}</code>"), n, Markup(
               f'<div style="width:{100 * n / rules[0][1]:.0f}%"></div>')] for r, n in rules],
                  f"The {len(rules)} rules that fired most", cls="rules") if rules else _note("No rule fired in this batch."),
           _head("Examples per category", f"The highest-scoring posts in each category (text cut at {TEXT_LIMIT} "
                                          "characters).")]
    for c in CATEGORIES:
        rows = [[s, i, a, t] for s, _, i, t, a in stats.top_examples[c]]
        out.append(f"<h3>{LABELS[c]}</h3>" + (_table(["Score", "Post id", "Action", "Text"], rows,
                                                   f"Highest {LABELS[c].lower()} scores") if rows else
                                            "<p>No scores for this category.</p>"))
    return out


def _alt(what: str, counts: dict) -> str:
    return f"{what}: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()) + "."


def write_report(stats: ReportStats, path: str | Path, title: str = "Comment moderation report") -> Path:
    """Write the page to ``path`` (UTF-8) and return the path."""
    path = Path(path)
    path.write_text(render_html(stats, title), encoding="utf-8")
    return path
