"""Spark: map_events over a few thousand documents in local[2] gives the CLI's layer."""

import datetime
import json
import os

import pytest

from conftest import cli_events, comparable, events_dev, write_jsonl

pyspark = pytest.importorskip("pyspark")  # noqa: F841  (.ci/run installs it; say so if absent)

import geoevents  # noqa: E402
from geoevents.spark import map_events, schema  # noqa: E402


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", __import__("sys").executable)
    session = (
        SparkSession.builder.master("local[2]")
        .appName("geoevents-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.driver.memory", "2g")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def rows_of(df):
    out = []
    for r in df.collect():
        d = r.asDict()
        if isinstance(d["event_date"], datetime.date):
            d["event_date"] = d["event_date"].isoformat()
        out.append(d)
    return out


def key(p):
    return (p["x_doc_id"], p["x_start"] or 0, p["x_event_id"] or "", p["event_type"] or "")


def test_map_events_in_local_2_is_the_cli_layer(spark, tmp_path):
    docs = sorted(events_dev(), key=lambda d: d["id"])
    assert len(docs) > 2500
    path = write_jsonl(tmp_path / "docs.jsonl", docs)
    expected = [comparable(p) for p in cli_events(str(path))]
    # Sorted by id, the DataFrame's first documents (which draw the theatre) are the file's, and
    # it comes in several range partitions, worked on by two tasks at a time.
    df = spark.createDataFrame(docs, "id string, text string, date string")
    df = df.repartitionByRange(8, "id").sortWithinPartitions("id")
    df = df.withColumn("date", df["date"].cast("date"))
    assert df.rdd.getNumPartitions() == 8
    out = map_events(df, text_col="text", id_col="id", date_col="date")
    assert out.schema == schema()
    assert dict(out.dtypes)["event_date"] == "date"
    got = rows_of(out)
    assert all(r["errors"] is None for r in got)
    got = [comparable({k: v for k, v in r.items() if k != "errors"}) for r in got]
    assert sorted(got, key=key) == sorted(expected, key=key)
    assert len(got) > 2000


def test_without_theatre_partitions_do_not_matter(spark, tmp_path):
    docs = events_dev()[:600]
    path = write_jsonl(tmp_path / "docs.jsonl", docs)
    expected = [comparable(p) for p in cli_events("--no-theatre", str(path))]
    df = spark.createDataFrame(docs, "id string, text string, date string").repartition(5)
    got = [
        comparable({k: v for k, v in r.items() if k != "errors"})
        for r in rows_of(map_events(df, theatre=False))
    ]
    assert sorted(got, key=key) == sorted(expected, key=key)


def test_a_row_without_text_is_reported_not_lost(spark):
    docs = [
        ("a", "Russian forces shelled Kharkiv on Monday.", "2023-02-14"),
        ("b", None, "2023-02-14"),
        ("c", "Protesters gathered in Lviv on Monday.", "not a date"),
        (None, "Shelling hit Kherson.", None),
    ]
    df = spark.createDataFrame(docs, "id string, text string, date string")
    got = rows_of(map_events(df))
    errors = {r["x_doc_id"]: r["errors"] for r in got if r["errors"] is not None}
    assert set(errors) == {"b", "c", None}
    assert "text must be a str, not NoneType" in errors["b"]
    assert "is not a date" in errors["c"]
    assert "id must be a str or an int" in errors[None]
    events = [r for r in got if r["errors"] is None]
    single = geoevents.events_frame(
        ["Russian forces shelled Kharkiv on Monday."], ids=["a"], dates=["2023-02-14"]
    )
    assert [r["location"] for r in events] == list(single["location"])


def test_a_gazetteer_the_driver_cannot_open_fails_before_any_task(spark, tmp_path):
    junk = tmp_path / "junk.gaz"
    junk.write_bytes(b"junk" * 100)
    df = spark.createDataFrame([("a", "Kharkiv", None)], "id string, text string, date string")
    with pytest.raises(geoevents.GazetteerError, match="geoevents gazetteer build"):
        map_events(df, gazetteer=junk)
    with pytest.raises(ValueError, match="no column `body`"):
        map_events(df, text_col="body")
