"""The ``moderate`` command: a thin layer that parses options, calls one library function, prints.

    moderate train --config configs/default.toml
    moderate score data/exports/sample_comments.csv --out scored.csv
    moderate evaluate --data data/opcc/posts.jsonl
    moderate info
    moderate promote --data data/opcc/posts.jsonl
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from pipeline.errors import ConfigError, ModerationError

DEFAULT_CONFIG = "configs/default.toml"


def cmd_train(args) -> int:
    from pipeline.train import train

    config = train_config(args)
    result = train(config, out_dir=args.out, register=not args.no_register, log_examples=args.log_examples)
    if args.set_default:
        (result.bundle_path.parent / "DEFAULT").write_text(result.bundle_path.name + "\n")
    print(f"model {result.model_version} exported to {result.bundle_path}")
    print(f"MLflow run {result.run_id}" + (f", registered version {result.registered_version}"
                                           if result.registered_version else ""))
    single = len(result.metrics) == 2  # "all" and one source: the same table twice
    for source, metrics in result.metrics.items():
        if single and source != "all":
            continue
        print(f"\ntest split, {'all sources' if source == 'all' else 'source ' + source}:")
        print_metrics(metrics, result.thresholds)
    return 0


def train_config(args):
    """The experiment config ``moderate train`` runs: the file, with ``--holdout`` and ``--seed`` applied."""
    from dataclasses import replace

    from pipeline.config import load_config

    config = with_holdout(load_config(args.config), args.holdout or [])
    return config if args.seed is None else replace(config, seed=args.seed)


def with_holdout(config, names: list[str]):
    """The config with the named sources made test-only (for cross-source figures)."""
    from dataclasses import replace

    known = {s.name for s in config.data.sources}
    unknown = set(names) - known
    if unknown:
        raise ConfigError("--holdout", f"unknown source(s) {', '.join(sorted(unknown))}; "
                                                       f"sources are {', '.join(sorted(known))}")
    sources = tuple(replace(s, holdout=s.holdout or s.name in names) for s in config.data.sources)
    return replace(config, data=replace(config.data, sources=sources))


def print_metrics(metrics: dict, thresholds: dict) -> None:
    """A table: at the act threshold precision/recall/F1, at the review threshold precision/recall."""
    print(f"{'category':<16}{'act':>6}{'prec':>7}{'recall':>7}{'f1':>7}{'review':>8}{'prec':>7}{'recall':>7}"
          f"{'pr_auc':>8}{'roc_auc':>8}{'pos':>6}{'neg':>7}")
    for category, m in metrics.items():
        t = thresholds[category]
        print(f"{category:<16}{t['act']:>6.3f}{m['precision']:>7.3f}{m['recall']:>7.3f}{m['f1']:>7.3f}"
              f"{t['review']:>8.3f}{m['review_precision']:>7.3f}{m['review_recall']:>7.3f}"
              f"{m['pr_auc']:>8.3f}{m['roc_auc']:>8.3f}{m['positives']:>6}{m['negatives']:>7}")


def cmd_evaluate(args) -> int:
    from pipeline import load_model
    from pipeline.evaluate import evaluate_model

    moderator = load_model(args.model)
    if args.data is None and not args.suite:
        raise ConfigError("evaluate", "give --data FILE, --suite, or both")
    if args.data is not None:
        result = evaluate_model(moderator, args.data, args.out_dir, args.slices, suites=args.suite,
                                log=not args.no_log)
        print(f"model {moderator.version} on {args.data} ({result['posts']} posts)")
        print_metrics(result["metrics"], moderator.thresholds)
        print(f"{'':16}{'brier':>8}{'ece':>7}")
        for category, m in result["metrics"].items():
            print(f"{category:<16}{m['brier']:>8.3f}{m['ece']:>7.3f}")
        print(f"\nworst slices (F1 at the act threshold, slices with 5+ positives):")
        worst = sorted((r for r in result["slices"] if r["positives"] >= 5), key=lambda r: r["f1"])[:8]
        for r in worst:
            print(f"  {r['category']:<16}{r['slice']:<34}f1 {r['f1']:.3f}  ({r['positives']} of {r['posts']})")
        print(f"\nwritten: {args.out_dir}/evaluation.json, errors.csv, pr_curves.png, confusion_matrices.png"
              + (f"; MLflow run {result['mlflow_run_id']}" if "mlflow_run_id" in result else ""))
        rates = result.get("suites")
    else:
        from pipeline.suites import pass_rates, run_suites

        rates = pass_rates(run_suites(moderator)).to_dict("records")
    if rates:
        print(f"\nbehavioural suites (pass rate per functionality):")
        for r in rates:
            mark = "" if r["pass_rate"] >= 0.9 else "   <- below 90%"
            print(f"  {r['suite']:<16}{r['functionality']:<40}{r['passed']:>4}/{r['cases']:<4}{r['pass_rate']:>7.1%}{mark}")
    return 0


def cmd_score(args) -> int:
    if args.engine == "spark":
        print(format_summary(score_on_spark(args)))
        return 0
    from pipeline import load_model
    from pipeline.batch import BatchOptions, score_batch
    from pipeline.exports import ColumnMapping

    mapping = ColumnMapping(**{k: v for k, v in (("text_column", args.text_column), ("id_column", args.id_column),
                                                 ("author_column", args.author_column),
                                                 ("time_column", args.time_column), ("platform", args.platform))
                               if v is not None})
    options = BatchOptions(format=args.format, mapping=mapping, chunk_size=args.chunk_size, workers=args.workers,
                           queue=args.queue, report=args.report, history=args.history, redact=args.redact,
                           resume=args.resume, progress=False if args.quiet else (True if args.progress else None))
    summary = score_batch(load_model(args.model), [Path(p) for p in args.input], Path(args.out), options)
    print(format_summary(summary))
    return 0


LOCAL_ONLY = ("queue", "report", "resume", "history", "redact", "format", "id_column", "author_column",
              "time_column", "platform")


def score_on_spark(args) -> dict:
    from pipeline.spark import score_spark

    unsupported = ["--" + name.replace("_", "-") for name in LOCAL_ONLY if getattr(args, name)]
    if unsupported:
        raise ConfigError("--engine spark", f"{', '.join(unsupported)} only work(s) with --engine local")
    return score_spark(args.model, [Path(p) for p in args.input], Path(args.out), text_column=args.text_column or "text")


def format_summary(summary: dict) -> str:
    lines = [f"scored {summary['posts']} posts from {summary['input']} with model {summary['model_version']}",
             f"  output: {summary['output']}",
             "  flagged per category: " + ", ".join(f"{c} {n}" for c, n in summary["categories"].items()),
             f"  urgent: {summary['urgent']}",
             "  actions: " + ", ".join(f"{a} {n}" for a, n in summary["actions"].items())]
    for what in ("queue", "report"):
        if summary.get(what):
            lines.append(f"  {what}: {summary[what]}")
    if summary["actions"].get("error"):
        lines.append(f"  {summary['actions']['error']} post(s) could not be scored: see action=error rows")
    return "\n".join(lines)


def cmd_info(args) -> int:
    from pipeline.bundle import default_model_path, verify_bundle

    path = Path(args.model) if args.model else default_model_path()
    meta = verify_bundle(path)
    config = json.loads((path / "config.json").read_text())
    print(json.dumps({**meta, "config": config}, indent=2))
    return 0


def cmd_thresholds(args) -> int:
    from pipeline.bundle import default_model_path, load_bundle, set_thresholds
    from pipeline.thresholds import move

    path = Path(args.model) if args.model else default_model_path()
    model = load_bundle(path).model
    moves = {k: getattr(args, k) for k in ("act", "review", "act_precision", "review_recall")}
    if any(v is not None for v in moves.values()):
        if not args.category:
            raise ConfigError("--category", "say which category's thresholds to move")
        try:
            points = move(model.points, model.curves, args.category, **moves)
        except ValueError as e:
            raise ConfigError("thresholds", str(e)) from e
        set_thresholds(path, points)
        model.points = points
    print(f"{'category':<16}{'level':<8}{'threshold':>10}{'precision':>10}{'recall':>8}  chosen by (validation data)")
    for category, levels in model.points.items():
        for name, p in levels.items():
            fmt = lambda v: f"{v:.3f}" if v is not None else "-"  # noqa: E731
            print(f"{category:<16}{name:<8}{p['threshold']:>10.3f}{fmt(p['precision']):>10}{fmt(p['recall']):>8}"
                  f"  {p['chosen_by']}")
    return 0


def cmd_promote(args) -> int:
    from pipeline.errors import PromotionRefused
    from pipeline.lifecycle import promote

    try:
        comparison = promote(args.name, args.data, args.tolerance, force=args.force, reason=args.reason or "",
                             suites=args.suites)
    except PromotionRefused as e:
        print(e.comparison.format())
        raise
    print(comparison.format())
    forced = " (FORCED: the override is recorded as tags on the version)" if not comparison.allowed else ""
    print(f"\n{args.name}@champion is now version {comparison.challenger_version}{forced}")
    return 0


def cmd_data_check(args) -> int:
    from pipeline.curation import check_file

    report = check_file(args.file, max_chars=args.max_chars)
    print(report.format())
    return 0 if report.ok else 1


def cmd_data_import(args) -> int:
    from pipeline.corpora import CORPORA, import_corpus

    names = sorted(CORPORA) if args.name == "all" else [args.name]
    for name in names:
        out = args.out if args.out and len(names) == 1 else Path(args.out_dir) / f"{name}.jsonl"
        summary = import_corpus(name, out)
        print(f"{name}: {summary['rows']} rows -> {out}")
    return 0


def cmd_data_review_sample(args) -> int:
    import pandas as pd

    from pipeline.curation import review_sample
    from pipeline.table_io import TableWriter

    scored = pd.concat(list(TableWriter.read_back(Path(args.scored))), ignore_index=True)
    sheet = review_sample(scored, n_uncertain=args.uncertain, n_random=args.random, seed=args.seed)
    with TableWriter(Path(args.out)) as out:
        out.write(sheet)
    print(f"{len(sheet)} posts to label -> {args.out}")
    return 0


def cmd_data_merge(args) -> int:
    from pipeline.curation import merge_sheet

    r = merge_sheet(args.into, args.sheet, out_path=args.out, prefer=args.prefer)
    print(f"merged into {r.out_path}: {r.added} added, {r.updated} updated, {r.unchanged} unchanged, "
          f"{r.skipped_unlabelled} not yet labelled, {r.conflicts} conflicts resolved")
    if r.same_text:
        print(f"{r.same_text} row(s) with a new id repeat a text the corpus already has with the same labels: "
              "kept once (the corpus holds one row per text)")
    return 0


def cmd_rules_report(args) -> int:
    from pipeline.data import load_labelled
    from pipeline.rules import load_rules
    from pipeline.rules.report import rules_report
    from pipeline.score import to_posts

    df = load_labelled(args.data)
    table = rules_report(to_posts(df), df, load_rules(args.rules))
    print(table.to_string(float_format=lambda v: f"{v:.3f}"))
    return 0


def cmd_serve(args) -> int:
    from pipeline.serve import serve

    print(f"serving {args.model or 'the default model'} on http://{args.host}:{args.port} "
          "(POST /invocations, GET /health); Ctrl-C stops", flush=True)
    serve(args.model, args.host, args.port, args.max_bytes)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="moderate", description="Comment moderation for the OPCC for Cleveland.")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("train", help="train classifiers, log an MLflow run, export a model folder")
    p.add_argument("--config", default=DEFAULT_CONFIG, help=f"experiment TOML (default {DEFAULT_CONFIG})")
    p.add_argument("--out", type=Path, help="model folder to write (default models/<model version>)")
    p.add_argument("--no-register", action="store_true", help="do not register the model in the MLflow registry")
    p.add_argument("--log-examples", action="store_true", help="log 200 example texts to MLflow (off by default)")
    p.add_argument("--set-default", action="store_true", help="make the new model the default in models/DEFAULT")
    p.add_argument("--holdout", action="append", metavar="SOURCE",
                   help="use this source as test data only (repeatable): cross-source evaluation")
    p.add_argument("--seed", type=int, help="split seed instead of the config's: retrain with two or three "
                                            "seeds to see how much a figure moves with the split alone")
    p.set_defaults(func=cmd_train)

    p = sub.add_parser("evaluate", help="metrics, slices, errors and suite pass rates of a model")
    p.add_argument("--data", type=Path, help="labelled CSV/JSONL/Parquet the model did not train on")
    p.add_argument("--model", help="model folder or MLflow URI (default: models/DEFAULT)")
    p.add_argument("--suite", action="store_true", help="also run the behavioural suites in tests/model")
    p.add_argument("--out-dir", type=Path, default=Path("build/evaluation"), help="where results go")
    p.add_argument("--slices", type=Path, default=Path("configs/slices.toml"), help="slice definitions")
    p.add_argument("--no-log", action="store_true", help="do not log an MLflow evaluation run")
    p.set_defaults(func=cmd_evaluate)

    p = sub.add_parser("score", help="score exports of posts; every record comes out once, in order")
    p.add_argument("input", nargs="+", help="files or folders: platform exports or CSV/TSV/JSONL/Parquet/Excel")
    p.add_argument("--out", required=True, help="output file (.csv, .tsv, .jsonl or .parquet); "
                                                "with --engine spark a folder of part files")
    p.add_argument("--engine", choices=("local", "spark"), default="local",
                   help="local (default): this machine, in order; spark: a Spark UDF over CSV/TSV/JSONL/Parquet "
                        "(needs the 'spark' extra; see pipeline/spark.py)")
    p.add_argument("--model", help="model folder or MLflow URI such as models:/comment-moderator@champion")
    p.add_argument("--format", help="force a reader instead of detecting it (see README: Scoring exports)")
    p.add_argument("--text-column", help="generic tables: the column holding the post (default 'text')")
    p.add_argument("--id-column", help="generic tables: the id column (default 'id')")
    p.add_argument("--author-column", help="generic tables: the author column (default 'author')")
    p.add_argument("--time-column", help="generic tables: the time column (default 'created_at')")
    p.add_argument("--platform", help="generic tables: the platform to record on every row")
    p.add_argument("--queue", type=Path, help="also write the posts that need a person, most urgent first")
    p.add_argument("--report", type=Path, help="also write a self-contained HTML report")
    p.add_argument("--history", type=Path, help="repeat history (JSONL) carried between runs")
    p.add_argument("--redact", action="store_true", help="add 'text_redacted' with personal information masked")
    p.add_argument("--resume", action="store_true", help="finish an interrupted run into the same --out")
    p.add_argument("--workers", type=int, default=2, help="processes scoring in parallel (default 2)")
    p.add_argument("--chunk-size", type=int, default=5000, help="records per chunk (default 5000)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--progress", action="store_true", help="a progress bar even when stderr is not a terminal")
    p.set_defaults(func=cmd_score)

    p = sub.add_parser("info", help="print a model's meta (versions, data hashes, metrics) after verifying it")
    p.add_argument("model", nargs="?", help="model folder (default: models/DEFAULT)")
    p.set_defaults(func=cmd_info)

    data = sub.add_parser("data", help="tools for labelled data").add_subparsers(dest="data_command", required=True)
    p = data.add_parser("check", help="schema errors, label counts, duplicates and conflicts in a labelled file")
    p.add_argument("file", type=Path)
    p.add_argument("--max-chars", type=int, default=5000, help="warn about texts longer than this")
    p.set_defaults(func=cmd_data_check)
    p = data.add_parser("import", help="a public corpus from ../shared/corpora in our labelled format")
    p.add_argument("name", help="a corpus name, or 'all'")
    p.add_argument("--out", type=Path, help="output file (JSONL or Parquet) for one corpus")
    p.add_argument("--out-dir", default="data/external", help="folder for 'all' (git-ignored; default data/external)")
    p.set_defaults(func=cmd_data_import)
    p = data.add_parser("review-sample", help="a labelling sheet of the posts the model is least sure of")
    p.add_argument("scored", help="a file written by 'moderate score'")
    p.add_argument("--out", required=True, help="the sheet (CSV for a spreadsheet)")
    p.add_argument("--uncertain", type=int, default=200, help="how many least-certain posts")
    p.add_argument("--random", type=int, default=50, help="how many random others")
    p.add_argument("--seed", type=int, default=13)
    p.set_defaults(func=cmd_data_review_sample)
    p = data.add_parser("merge", help="add a labelled sheet to the corpus; conflicts refused unless --prefer")
    p.add_argument("sheet", type=Path)
    p.add_argument("--into", required=True, type=Path, help="the corpus file")
    p.add_argument("--out", type=Path, help="write here instead of updating the corpus in place")
    p.add_argument("--prefer", choices=("sheet", "corpus"), help="which side wins a conflict")
    p.set_defaults(func=cmd_data_merge)

    rules = sub.add_parser("rules", help="the hard rules").add_subparsers(dest="rules_command", required=True)
    p = rules.add_parser("report", help="each rule's hit rate among positives and negatives of every category")
    p.add_argument("--data", required=True, type=Path, help="a labelled file")
    p.add_argument("--rules", type=Path, help="rules folder (default data/rules)")
    p.set_defaults(func=cmd_rules_report)

    p = sub.add_parser("thresholds", help="show or move a model's act and review thresholds, without retraining")
    p.add_argument("model", nargs="?", help="model folder (default: models/DEFAULT)")
    p.add_argument("--category", help="the category whose thresholds to move")
    p.add_argument("--act", type=float, help="new act threshold (score)")
    p.add_argument("--review", type=float, help="new review threshold (score)")
    p.add_argument("--act-precision", type=float, help="act threshold: lowest reaching this validation precision")
    p.add_argument("--review-recall", type=float, help="review threshold: highest keeping this validation recall")
    p.set_defaults(func=cmd_thresholds)

    p = sub.add_parser("promote", help="move the registry alias 'champion' to 'challenger' if it is no worse")
    p.add_argument("--data", required=True, type=Path, help="fixed labelled file both models are evaluated on")
    p.add_argument("--name", default="comment-moderator", help="registered model (default comment-moderator)")
    p.add_argument("--tolerance", type=float, default=0.02, help="largest PR-AUC drop allowed (default 0.02)")
    p.add_argument("--suites", type=Path, help="folder of behavioural suites (default tests/model)")
    p.add_argument("--force", action="store_true", help="promote even if refused; recorded on the version")
    p.add_argument("--reason", help="why (required with --force; recorded on the version)")
    p.set_defaults(func=cmd_promote)

    p = sub.add_parser("serve", help="serve a model over HTTP with MLflow's scoring protocol")
    p.add_argument("--model", help="model folder or MLflow URI (default: models/DEFAULT)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=5000, help="port (default 5000)")
    p.add_argument("--max-bytes", type=int, default=1_000_000, help="largest request body accepted")
    p.set_defaults(func=cmd_serve)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    os.environ.setdefault("MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR", "false")  # progress bars flood logs
    try:
        return args.func(args)
    except ModerationError as e:
        print(f"moderate: error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
