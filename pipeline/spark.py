"""Scoring on Spark: the exported MLflow model as a Spark UDF, for exports too big for one machine.

``score_spark`` reads CSV/TSV (header, multi-line cells, ``"`` escapes), JSON Lines or Parquet (a
file, or a folder of files sharing one layout), scores it with ``mlflow.pyfunc.spark_udf``
(``env_manager="local"``: executors use the Python environment they run in, which must have this
package installed) and writes Spark's usual folder of part files beside the input columns. Every
input row comes out exactly once (counted, and checked, after writing); order is not kept.

Repeats (``repeat.author``, ``repeat.campaign``) are only found among the posts of one Arrow batch
(one partition, up to ``spark.sql.execution.arrow.maxRecordsPerBatch`` rows), not across a whole
export as the local engine finds them. Needs ``pip install 'opcc-moderation[spark]'`` and Java 17+.

    moderate score exports/ --out scored.parquet --engine spark --model models:/comment-moderator@champion
"""
from __future__ import annotations

import functools
import os
import sys
import tempfile
from pathlib import Path

from pipeline.errors import DataError, ModerationError

KINDS = {".csv": "csv", ".tsv": "tsv", ".jsonl": "json", ".ndjson": "json", ".parquet": "parquet"}
FORMULA = r"^'?[=+\-@\t\r]"  # the cells ``pipeline.table_io.neutralise`` prefixes with ' in CSV/TSV


def local_session(master: str = "local[*]", conf: dict[str, str] | None = None):
    """A SparkSession on this machine whose Python workers run this interpreter (so they find
    ``pipeline``); nothing is downloaded (no ``spark.jars.packages``)."""
    try:
        from pyspark.sql import SparkSession
    except ImportError as e:
        raise ModerationError("the spark engine needs PySpark: pip install 'opcc-moderation[spark]'") from e
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.master(master).appName("moderate-score")
    for key, value in {"spark.driver.bindAddress": "127.0.0.1", "spark.driver.host": "127.0.0.1",
                       **(conf or {})}.items():
        builder = builder.config(key, value)
    return builder.getOrCreate()


def score_spark(model: str | None, inputs: list[Path], output: Path, spark=None, text_column: str = "text") -> dict:
    """Score every row of ``inputs`` into the folder ``output`` (Parquet, or CSV/TSV/JSON Lines by its
    extension); return the counts (posts, actions, flags per category, urgent) in the shape of
    ``pipeline.batch.score_batch``'s summary. ``model``: bundle folder, ``models:/…`` URI or None
    (models/DEFAULT). ``spark``: the session to use (default: the active one, else a new ``local[*]``
    one, stopped at the end)."""
    from pipeline.serve import pyfunc_uri

    inputs, output = [Path(p) for p in inputs], Path(output)
    out_kind = _kind(output, default="parquet")
    if output.exists() and not (output.is_dir() and ({p.name for p in output.iterdir()} <= {"_SUCCESS"}
                                                     or (output / "_SUCCESS").exists())):
        raise DataError(output, "exists and is not an earlier Spark output folder; choose another --out")
    os.environ.setdefault("MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR", "false")  # no bars while copying the model
    spark = spark or _active_session()
    own = spark is None
    spark = spark or local_session()
    try:
        with tempfile.TemporaryDirectory(prefix="moderate-spark-") as workdir:
            df = _read_inputs(spark, inputs)
            scored = _score(df, pyfunc_uri(model, Path(workdir)), text_column, ", ".join(map(str, inputs)))
            _write(scored, output, out_kind)
        summary, expected = _summary(_read(spark, out_kind, [str(output)]), inputs, output), df.count()
    finally:
        if own:
            spark.stop()
    if summary["posts"] != expected:
        raise DataError(output, f"{summary['posts']} rows written for {expected} input rows")
    return summary


def _active_session():
    try:
        from pyspark.sql import SparkSession
        return SparkSession.getActiveSession()
    except ImportError:
        return None


def _kind(path: Path, default: str | None = None) -> str:
    kind = KINDS.get(path.suffix.lower(), default if not path.suffix else None)
    if kind is None:
        raise DataError(path, f"the spark engine reads and writes {', '.join(KINDS)} (or a folder of them); "
                              "convert it, or use --engine local for platform exports and Excel")
    return kind


def _read(spark, kind: str, paths: list[str]):
    if kind in ("csv", "tsv"):  # every column a string, as the model's signature wants
        return spark.read.csv(paths, header=True, multiLine=True, escape='"', sep="\t" if kind == "tsv" else ",")
    return spark.read.json(paths, primitivesAsString=True) if kind == "json" else spark.read.parquet(*paths)


def _read_inputs(spark, inputs: list[Path]):
    """One DataFrame of all inputs: one read per input and file type, joined by column name."""
    frames = []
    for path in inputs:
        files = [path] if path.is_file() else sorted(f for f in path.rglob("*")
                                                      if f.is_file() and not f.name.startswith(("_", ".")))
        if not files:
            raise DataError(path, "no such file, or no CSV, TSV, JSON Lines or Parquet files in this folder")
        groups: dict[str, list[str]] = {}
        for f in files:
            groups.setdefault(_kind(f), []).append(str(f))
        frames += [_read(spark, kind, paths) for kind, paths in groups.items()]
    return functools.reduce(lambda a, b: a.unionByName(b, allowMissingColumns=True), frames)


def _score(df, model_uri: str, text_column: str, source: str):
    """``df`` with the output columns beside its own (same-named input columns are replaced)."""
    import mlflow.pyfunc
    from mlflow.models import get_model_info
    from pyspark.sql import functions as F
    from pyspark.sql.types import DoubleType, LongType, StringType, StructField, StructType

    from pipeline.score import OUTPUT_COLUMNS, SCORE_COLUMNS
    from pipeline.tracking import signature

    wanted = get_model_info(model_uri).signature.inputs
    fields = []
    for spec in wanted.inputs:
        column = text_column if spec.name == "text" else spec.name
        if column in df.columns:
            fields.append(F.col(f"`{column}`").cast("string").alias(spec.name))
        elif spec.required:
            raise DataError(source, f"no '{column}' column (see --text-column); columns: {', '.join(df.columns)}")
    types = {"double": DoubleType(), "long": LongType(), "string": StringType()}
    result_type = StructType([StructField(s.name, types[s.type.name]) for s in signature().outputs.inputs])
    udf = mlflow.pyfunc.spark_udf(df.sparkSession, model_uri, result_type=result_type, env_manager="local")
    scored = df.withColumn("__moderate", udf(F.struct(*fields)))
    out = [F.nanvl(F.col(f"__moderate.{c}"), F.lit(None).cast("double")).alias(c) if c in SCORE_COLUMNS
           else F.col(f"__moderate.{c}").alias(c) for c in OUTPUT_COLUMNS]  # NaN score -> null, as locally
    return scored.select(*[F.col(f"`{c}`") for c in df.columns if c not in OUTPUT_COLUMNS], *out)


def _write(scored, output: Path, kind: str) -> None:
    from pyspark.sql import functions as F

    if kind in ("csv", "tsv"):  # spreadsheet-safe, like the local engine's CSV
        scored = scored.select(*[F.when(F.col(f"`{c}`").rlike(FORMULA), F.concat(F.lit("'"), F.col(f"`{c}`")))
                                 .otherwise(F.col(f"`{c}`")).alias(c) if t == "string" else F.col(f"`{c}`")
                                 for c, t in scored.dtypes])
    writer = scored.write.mode("overwrite")  # only ever over an earlier Spark output (checked first)
    if kind in ("csv", "tsv"):
        return writer.csv(str(output), header=True, escape='"', sep="\t" if kind == "tsv" else ",")
    writer.json(str(output), ignoreNullFields=False) if kind == "json" else writer.parquet(str(output))


def _summary(written, inputs: list[Path], output: Path) -> dict:
    """Counts of the written rows, in one Spark job (a row per action)."""
    from pyspark.sql import functions as F

    from pipeline.schema import ACTIONS, CATEGORIES

    sums = [F.sum(F.col(c).cast("long")).alias(c) for c in ("urgent", *(f"flag_{c}" for c in CATEGORIES))]
    rows = written.groupBy("action").agg(F.count(F.lit(1)).alias("posts"), F.collect_set("model_version")
                                         .alias("versions"), *sums).collect()
    total = lambda column: sum(int(r[column] or 0) for r in rows)  # noqa: E731
    order = [*ACTIONS, *sorted({r["action"] for r in rows} - set(ACTIONS), key=str)]
    actions = {r["action"]: r["posts"] for r in rows}
    return {"input": ", ".join(map(str, inputs)), "output": str(output), "posts": total("posts"),
            "model_version": ", ".join(sorted({v for r in rows for v in r["versions"]})) or "-",
            "categories": {c: total(f"flag_{c}") for c in CATEGORIES}, "urgent": total("urgent"),
            "actions": {a: actions[a] for a in order if a in actions}}
