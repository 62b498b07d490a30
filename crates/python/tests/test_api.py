"""The calls of the package give the CLI's answers on the same documents."""

import json
import threading
import time

import pandas as pd
import pytest

import geoevents
from conftest import (
    REPORT,
    cli,
    cli_events,
    comparable,
    events_dev,
    labelled_sentences,
    shared,
    write_jsonl,
)


def test_lookup_gives_the_cli_candidates():
    for name, args, kwargs in [
        ("Bakhmut", [], {}),
        ("Krasna Hora", ["--country", "UA"], {"country": "UA"}),
        ("Alexandria", ["--limit", "3"], {"limit": 3}),
        ("Kirovske", ["--near", "48.6,38.0"], {"near": (48.6, 38.0)}),
    ]:
        expected = json.loads(cli("lookup", "--format", "json", *args, name))["results"]
        got = geoevents.lookup(name, **kwargs)
        assert got == expected, name
    assert geoevents.lookup("Bakhmut")[0]["geonameid"] == 713174


def test_places_of_the_report_are_the_cli_places():
    text = shared(REPORT).read_text(encoding="utf-8")
    expected = json.loads(cli("places", "-", stdin=text))["places"]
    got = geoevents.places(text)
    assert got == expected
    assert {"Bakhmut", "Krasna Hora"} <= {p["name"] for p in got}
    with_demonyms = json.loads(cli("places", "--demonyms", "-", stdin=text))["places"]
    assert geoevents.places(text, demonyms=True) == with_demonyms
    assert len(with_demonyms) > len(expected)


def test_events_of_the_report_are_the_cli_events():
    text = shared(REPORT).read_text(encoding="utf-8")
    expected = cli_events("--date", "2023-02-14", "-", stdin=text)
    got = geoevents.events(text, date="2023-02-14")
    # Every field, `source` and `x_doc_id` included: a single text is the CLI's standard input.
    assert got == expected
    assert [e["location"] for e in got][:1] == ["Bakhmut"]
    assert list(got[0]) == [name for name, _ in geoevents.FIELDS]
    # A datetime.date is the same date.
    import datetime

    assert geoevents.events(text, date=datetime.date(2023, 2, 14)) == got


def test_single_labelled_sentences_match_the_cli_one_by_one():
    for doc in labelled_sentences()[:25]:
        args = ["--date", doc["date"]] if doc["date"] else []
        expected = cli_events(*args, "-", stdin=doc["text"])
        assert geoevents.events(doc["text"], date=doc["date"]) == expected, doc["id"]


def frame_matches_cli(tmp_path, docs):
    path = write_jsonl(tmp_path / "docs.jsonl", docs)
    expected = [comparable(p) for p in cli_events(str(path))]
    df = geoevents.events_frame(
        [d["text"] for d in docs], ids=[d["id"] for d in docs], dates=[d["date"] for d in docs]
    )
    assert df["errors"].isna().all()
    got = json.loads(df.drop(columns=["errors"]).to_json(orient="records", date_format="iso"))
    for row in got:
        if row["event_date"] is not None:
            row["event_date"] = row["event_date"][:10]
    assert [comparable(r) for r in got] == expected
    # A frame's source is its document's id (it has no file).
    assert (df["source"] == df["x_doc_id"]).all()
    return df


def test_frame_of_the_labelled_sentences_is_the_cli_layer(tmp_path):
    docs = labelled_sentences()
    assert len(docs) > 1000
    df = frame_matches_cli(tmp_path, docs)
    assert len(df) > 500


def test_frame_of_the_shared_acled_records_is_the_cli_layer(tmp_path):
    df = frame_matches_cli(tmp_path, events_dev())
    assert len(df) > 2000


def test_frame_columns_are_typed_like_the_layer():
    df = geoevents.events_frame(
        ["Russian forces shelled Kharkiv on Monday.", "Nothing happened.", "Protesters gathered in Lviv."],
        dates=["2023-02-14", None, "2023-03-01"],
    )
    assert list(df.columns) == [name for name, _ in geoevents.FIELDS] + ["errors"]
    assert str(df["event_date"].dtype).startswith("datetime64")
    for name, kind in geoevents.FIELDS:
        if kind == "integer":
            assert str(df[name].dtype) == "Int64", name
        if kind == "real":
            assert df[name].dtype == "float64", name
    assert set(df["x_doc_id"]) == {"0", "2"}
    series = pd.Series(
        ["Russian forces shelled Kharkiv on Monday.", "Nothing happened."], index=[101, 102]
    )
    assert set(geoevents.events_frame(series, date="2023-02-14")["x_doc_id"]) == {"101"}
    kharkiv = df[df["location"] == "Kharkiv"].iloc[0]
    assert kharkiv["event_date"] == pd.Timestamp("2023-02-13")
    assert kharkiv["x_geonameid"] == 706483


def test_geoframe_has_points_in_epsg_4326():
    gpd = pytest.importorskip("geopandas")
    gdf = geoevents.events_geoframe(
        ["Russian forces shelled Kharkiv.", None], ids=["a", "b"], dates=["2023-02-14", None]
    )
    assert isinstance(gdf, gpd.GeoDataFrame)
    assert gdf.crs.to_epsg() == 4326
    row = gdf[gdf["x_doc_id"] == "a"].iloc[0]
    assert (row.geometry.x, row.geometry.y) == (row["longitude"], row["latitude"])
    bad = gdf[gdf["x_doc_id"] == "b"].iloc[0]
    assert bad.geometry is None and "texts[1]" in bad["errors"]


def test_a_batch_releases_the_gil():
    texts = [d["text"] for d in labelled_sentences()] * 3
    ticks = []
    done = threading.Event()

    def tick():
        while not done.is_set():
            ticks.append(time.perf_counter())
            time.sleep(0.001)

    t = threading.Thread(target=tick)
    t.start()
    try:
        started = time.perf_counter()
        geoevents.events_frame(texts, threads=2)
        took = time.perf_counter() - started
    finally:
        done.set()
        t.join()
    during = [x for x in ticks if started <= x <= started + took]
    # The ticker wakes about once a millisecond. Were the GIL held through the library's work
    # (most of the call), it would get a turn only every 5 ms switch interval of the Python parts.
    assert took > 0.05 and len(during) > 0.4 * took / 0.001, (took, len(during))


def test_the_module_examples_hold():
    import doctest

    failed, tried = doctest.testmod(geoevents)
    assert tried >= 2 and failed == 0
