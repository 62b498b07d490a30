"""geoevents on Spark: the events of a DataFrame of documents, worked on by the executors.

    from geoevents.spark import map_events
    events = map_events(docs, text_col="text", id_col="id", date_col="date")

Each Python worker process loads the gazetteer once (the extension module keeps it for the
process) and reads its partitions batch by batch through `mapInArrow`, one thread per task
(Spark runs the tasks in parallel). The batch's theatre, which the CLI draws from a run's first
documents, is drawn once on the driver from the DataFrame's first documents and shipped to every
task, so the answers do not depend on how the documents are partitioned: they are the CLI's on a
JSON Lines file of the same documents in the same order.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any, Iterator, Optional

import geoevents as _ge
from geoevents import _native

#: The column that says why a document gave no events (null on event rows).
ERRORS = "errors"


#: Each layer field type's Spark type and Arrow type, by name.
_TYPES = {
    "string": ("StringType", "string"),
    "integer": ("LongType", "int64"),
    "real": ("DoubleType", "float64"),
    "date": ("DateType", "date32"),
}


def _spark_type(kind: str):
    from pyspark.sql import types as T

    return getattr(T, _TYPES[kind][0])()


def _arrow_type(kind: str):
    import pyarrow as pa

    return getattr(pa, _TYPES[kind][1])()


def schema():
    """The Spark schema of `map_events`' result: the layer's fields, typed (`event_date` a
    DateType, integers LongType, `latitude`/`longitude` DoubleType), then `errors`."""
    from pyspark.sql import types as T

    fields = [T.StructField(name, _spark_type(kind), True) for name, kind in _ge.FIELDS]
    fields.append(T.StructField(ERRORS, T.StringType(), True))
    return T.StructType(fields)


def arrow_schema():
    """`schema()` as an Arrow schema (what each task yields)."""
    import pyarrow as pa

    fields = [pa.field(name, _arrow_type(kind), True) for name, kind in _ge.FIELDS]
    fields.append(pa.field(ERRORS, pa.string(), True))
    return pa.schema(fields)


def _doc_id(value: Any) -> Optional[str]:
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return None


def events_of_batch(
    batch,
    text_col: str,
    id_col: str,
    date_col: Optional[str],
    options: dict,
):
    """One Arrow RecordBatch of documents → one RecordBatch of events (`arrow_schema()`).

    A row whose text is not a string, whose id is missing or whose date is not a date gives one
    row with its id (when it has one) and the reason in `errors`; the other rows go on."""
    import pyarrow as pa

    n = batch.num_rows
    texts = batch.column(text_col).to_pylist()
    ids = batch.column(id_col).to_pylist()
    dates = batch.column(date_col).to_pylist() if date_col else [None] * n
    keep, problems = [], []
    for i in range(n):
        doc_id = _doc_id(ids[i])
        try:
            if doc_id is None:
                raise TypeError(
                    f"{id_col} must be a str or an int, not {type(ids[i]).__name__}"
                )
            if not isinstance(texts[i], str):
                raise TypeError(
                    f"{text_col} must be a str, not {type(texts[i]).__name__}; row skipped"
                )
            day = _ge._day(dates[i], date_col or "date")
        except (TypeError, ValueError) as e:
            problems.append((doc_id, str(e)))
            continue
        keep.append((texts[i], doc_id, day))
    answers = _native.events(
        [k[0] for k in keep],
        [k[1] for k in keep],
        [k[2] for k in keep],
        options["date"],
        options["countries"],
        options["near"],
        False,
        options["theatre_points"],
        options["threads"],
        options["gazetteer"],
    )
    rows = []
    for (_, doc_id, _), answer in zip(keep, answers):
        if isinstance(answer, str):
            problems.append((doc_id, answer))
            continue
        for props in answer:
            if props["event_date"] is not None:
                props["event_date"] = _dt.date.fromisoformat(props["event_date"])
            props[ERRORS] = None
            rows.append(props)
    for doc_id, reason in problems:
        row = {name: None for name, _ in _ge.FIELDS}
        row["x_doc_id"] = doc_id
        row[ERRORS] = reason
        rows.append(row)
    return pa.RecordBatch.from_pylist(rows, schema=arrow_schema())


def map_events(
    df,
    text_col: str = "text",
    id_col: str = "id",
    date_col: Optional[str] = "date",
    *,
    date: Any = None,
    country: Any = None,
    near: Any = None,
    theatre: bool = True,
    threads: int = 1,
    gazetteer: Any = None,
):
    """The events of the documents in Spark DataFrame `df` as a Spark DataFrame (`schema()`):
    one row per event, `x_doc_id` the document's `id_col`; a document that cannot be read
    (null or non-string text, null id, bad date) gives one row with the reason in `errors`.

    `date_col` holds each document's own date (a DateType, a timestamp or YYYY-MM-DD strings;
    None for none), `date` the fallback (`--date`). `theatre=False` is `--no-theatre`;
    otherwise the theatre is drawn here, on the driver, from `df`'s first documents (as many as
    the CLI samples). `threads` are each task's worker threads (1: Spark's tasks are the
    parallelism). `gazetteer` must be a path every executor can read; by default the embedded
    one (or `GEOEVENTS_GAZETTEER` in the executors' environment)."""
    for col in [text_col, id_col] + ([date_col] if date_col else []):
        if col not in df.columns:
            raise ValueError(f"no column `{col}` in the DataFrame (it has {df.columns})")
    countries = _ge._countries(country)
    near3 = _ge._near(near, radius=True)
    path = _ge._gazetteer(gazetteer)
    if path is not None:
        _native.check_gazetteer(path)  # fail here, not in every task
    points = None
    if theatre:
        head = df.select(text_col, id_col).limit(_native.SAMPLE_DOCS).collect()
        sample = [
            (r[0], _doc_id(r[1])) for r in head if isinstance(r[0], str) and _doc_id(r[1])
        ]
        points = _native.theatre_points(
            [t for t, _ in sample], [i for _, i in sample], countries, near3, 0, path
        )
    options = {
        "date": _ge._day(date, "date"),
        "countries": countries,
        "near": near3,
        "theatre_points": points,
        "threads": int(threads),
        "gazetteer": path,
    }

    def work(batches: Iterator) -> Iterator:
        for batch in batches:
            yield events_of_batch(batch, text_col, id_col, date_col, options)

    return df.mapInArrow(work, schema())
