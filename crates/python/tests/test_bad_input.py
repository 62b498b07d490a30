"""Bad input: wrong types, bad dates and damaged gazetteers are Python exceptions with the
library's words; in frames a bad row is reported and the rest kept."""

import datetime
import json
import math

import pytest

import geoevents
from conftest import FIXTURES, cli

KHARKIV = "Russian forces shelled Kharkiv on Monday."


@pytest.mark.parametrize("bad", [None, 42, b"Kharkiv", ["Kharkiv"]])
def test_a_text_that_is_not_a_str_is_a_type_error_naming_the_argument(bad):
    with pytest.raises(TypeError, match=r"^text must be a str, not"):
        geoevents.events(bad)
    with pytest.raises(TypeError, match=r"^text must be a str"):
        geoevents.places(bad)
    with pytest.raises(TypeError, match=r"^name must be a str"):
        geoevents.lookup(bad)


def test_a_bad_row_in_a_frame_is_reported_and_nothing_else_is_lost():
    texts = [KHARKIV, None, float("nan"), "Protesters gathered in Lviv on Monday.", 7]
    df = geoevents.events_frame(texts, ids=["a", "b", "c", "d", "e"], date="2023-02-14")
    good = geoevents.events_frame([texts[0], texts[3]], ids=["a", "d"], date="2023-02-14")
    events = df[df["errors"].isna()].drop(columns=["errors"]).reset_index(drop=True)
    assert events.equals(good.drop(columns=["errors"]))
    errors = df[df["errors"].notna()].set_index("x_doc_id")["errors"]
    assert list(errors.index) == ["b", "c", "e"]
    assert errors["b"] == "texts[1] must be a str, not NoneType; row skipped"
    assert "texts[2] must be a str, not float" in errors["c"]
    assert "texts[4]" in errors["e"]
    bad_rows = df[df["errors"].notna()]
    assert bad_rows["location"].isna().all() and bad_rows["latitude"].isna().all()


def test_texts_and_ids_must_line_up():
    with pytest.raises(TypeError, match="texts must be a sequence"):
        geoevents.events_frame(KHARKIV)
    with pytest.raises(ValueError, match="ids has 1 items but texts has 2"):
        geoevents.events_frame([KHARKIV, KHARKIV], ids=["a"])
    with pytest.raises(TypeError, match=r"ids\[1\] must be a str or an int"):
        geoevents.events_frame([KHARKIV, KHARKIV], ids=["a", None])


@pytest.mark.parametrize("bad", ["2023-02-30", "14/02/2023", "yesterday", "2023-2-14"])
def test_an_invalid_date_is_a_value_error(bad):
    with pytest.raises(ValueError, match="is not a date"):
        geoevents.events(KHARKIV, date=bad)
    with pytest.raises(ValueError, match=r"dates\[1\]: .* is not a date"):
        geoevents.events_frame([KHARKIV, KHARKIV], dates=["2023-02-14", bad])
    with pytest.raises(ValueError, match="is not a date"):
        geoevents.events_frame([KHARKIV], date=bad)


def test_dates_may_be_dates_and_missing_dates_are_none():
    a = geoevents.events_frame([KHARKIV], dates=[datetime.date(2023, 2, 14)])
    b = geoevents.events_frame([KHARKIV], dates=["2023-02-14"])
    assert a.equals(b)
    assert geoevents.events_frame([KHARKIV], dates=[math.nan]).equals(
        geoevents.events_frame([KHARKIV])
    )
    with pytest.raises(TypeError, match="date must be a date or a YYYY-MM-DD str"):
        geoevents.events(KHARKIV, date=20230214)


def test_bad_hints_are_value_errors():
    with pytest.raises(ValueError, match="not a two-letter ISO country code"):
        geoevents.lookup("Bakhmut", country="Ukraine")
    with pytest.raises(ValueError, match="near"):
        geoevents.events(KHARKIV, near=(91, 0))
    with pytest.raises(ValueError, match="limit"):
        geoevents.lookup("Bakhmut", limit=0)


def test_a_damaged_gazetteer_raises_with_the_rebuild_command(tmp_path, monkeypatch):
    good = tmp_path / "small.gaz"
    cli("gazetteer", "build", str(FIXTURES / "geonames" / "UA.txt"), "-o", str(good))
    junk = tmp_path / "junk.gaz"
    junk.write_bytes(b"not an index at all" * 10)
    for call in [
        lambda: geoevents.lookup("Bakhmut", gazetteer=junk),
        lambda: geoevents.events(KHARKIV, gazetteer=str(junk)),
        lambda: geoevents.events_frame([KHARKIV], gazetteer=junk),
        lambda: geoevents.places(KHARKIV, gazetteer=junk),
    ]:
        with pytest.raises(geoevents.GazetteerError) as e:
            call()
        assert str(junk) in str(e.value) and "geoevents gazetteer build" in str(e.value)
    # A truncated real index: the library's message, rebuild command included.
    cut = tmp_path / "cut.gaz"
    cut.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    with pytest.raises(geoevents.GazetteerError, match=r"corrupt or truncated.*geoevents gazetteer build"):
        geoevents.lookup("Bakhmut", gazetteer=cut)
    assert issubclass(geoevents.GazetteerError, geoevents.GeoeventsError)
    with pytest.raises(geoevents.GazetteerError, match="no-such.gaz"):
        geoevents.lookup("Bakhmut", gazetteer=tmp_path / "no-such.gaz")
    # The environment variable names one too, as for the CLI.
    monkeypatch.setenv("GEOEVENTS_GAZETTEER", str(junk))
    with pytest.raises(geoevents.GazetteerError, match="geoevents gazetteer build"):
        geoevents.lookup("Bakhmut")


def test_a_gazetteer_given_by_path_or_environment_is_the_one_used(tmp_path, monkeypatch):
    small = tmp_path / "small.gaz"
    cli("gazetteer", "build", str(FIXTURES / "geonames" / "UA.txt"), "-o", str(small))
    expected = json.loads(cli("--gazetteer", str(small), "lookup", "--format", "json", "Bakhmut"))
    assert geoevents.lookup("Bakhmut", gazetteer=small) == expected["results"]
    # Mariupol is in the embedded gazetteer, not in the 35-row fixture.
    assert geoevents.lookup("Mariupol") != []
    assert geoevents.lookup("Mariupol", gazetteer=small) == []
    monkeypatch.setenv("GEOEVENTS_GAZETTEER", str(small))
    assert geoevents.lookup("Mariupol") == []
    assert geoevents.lookup("Bakhmut") == expected["results"]
