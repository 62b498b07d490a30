"""geoevents from Python: find the places news text names, resolve them against GeoNames, and
read events from it, with the same engine and the same output fields as the `geoevents` CLI.

    >>> import geoevents
    >>> geoevents.lookup("Bakhmut")[0]["name"]
    'Bakhmut'
    >>> [e["location"] for e in geoevents.events("Russian forces shelled Kharkiv.", date="2023-02-14")]
    ['Kharkiv']

Single-text calls (`places`, `events`) answer as the CLI does on that text given on standard
input (document id `-`); batch calls (`events_frame`, `events_geoframe`) as the CLI does on a
JSON Lines file of the same documents in the same order (the batch's first documents draw its
theatre, which ambiguous names lean towards). Batch work runs on the library's own worker
threads with the GIL released.

The gazetteer is each call's `gazetteer=` (a path to an index written by `geoevents gazetteer
build`), else the one `GEOEVENTS_GAZETTEER` names, else the one embedded in the package.
"""

from __future__ import annotations

import datetime as _dt
import os as _os
import re as _re
from typing import TYPE_CHECKING, Any, Iterable, Optional, Sequence, TypedDict

from . import _native
from ._native import GazetteerError, GeoeventsError

if TYPE_CHECKING:
    import geopandas
    import pandas

__all__ = [
    "FIELDS",
    "Candidate",
    "Event",
    "Place",
    "GazetteerError",
    "GeoeventsError",
    "events",
    "events_frame",
    "events_geoframe",
    "lookup",
    "places",
]

__version__ = "0.1.0"

#: The event layer's fields, in order, with their types (`string`, `integer`, `real`, `date`):
#: the properties of `geoevents map`'s features and the columns of its CSV.
FIELDS: list[tuple[str, str]] = list(_native.fields())


class _PlaceFields(TypedDict):
    """A GeoNames place, as `lookup` and `places` give it."""

    geonameid: int
    name: str
    latitude: float
    longitude: float
    feature_class: str
    feature_code: str
    country_code: str
    country: Optional[str]
    admin1_code: str
    admin1: Optional[str]
    admin2_code: str
    admin2: Optional[str]
    admin3_code: str
    admin3: Optional[str]
    population: int


class Candidate(_PlaceFields):
    """One answer of `lookup` (`geoevents lookup --format json`'s `results`)."""

    score: float
    matched_name: str
    matched: str
    edit_distance: int


class Place(_PlaceFields):
    """One place mention of `places` (`geoevents places`' `places`)."""

    mention: str
    start: int
    end: int
    score: float
    matched: str
    metonymy: bool


class Event(TypedDict):
    """One event of `events`: the properties of a `geoevents map` feature (see `FIELDS`)."""

    event_date: Optional[str]
    time_precision: Optional[int]
    event_type: str
    sub_event_type: str
    actor1: Optional[str]
    actor2: Optional[str]
    assoc_actor_1: Optional[str]
    assoc_actor_2: Optional[str]
    inter1: Optional[str]
    inter2: Optional[str]
    interaction: Optional[str]
    civilian_targeting: Optional[str]
    disorder_type: Optional[str]
    country: Optional[str]
    admin1: Optional[str]
    admin2: Optional[str]
    admin3: Optional[str]
    location: str
    latitude: float
    longitude: float
    geo_precision: Optional[int]
    source: str
    notes: str
    fatalities: Optional[int]
    x_doc_id: str
    x_geonameid: int
    x_mention: str
    x_sentence: int
    x_start: int
    x_end: int
    x_confidence: float
    x_event_id: str
    x_lang: str


_DAY = _re.compile(r"\d{4}-\d{2}-\d{2}")


def _text(value: Any, name: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, not {type(value).__name__}")
    return value


def _day(value: Any, name: str) -> Optional[str]:
    """A date as YYYY-MM-DD, from None, a `datetime.date`/`datetime`, a pandas Timestamp or a
    YYYY-MM-DD string; anything else raises ValueError (TypeError for a non-date type)."""
    if value is None:
        return None
    if _is_missing(value):
        return None
    if isinstance(value, _dt.datetime):
        return value.date().isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, str):
        text = value.strip()
        if _DAY.fullmatch(text):
            try:
                _dt.date.fromisoformat(text)
                return text
            except ValueError:
                pass
        raise ValueError(f"{name}: {value!r} is not a date (YYYY-MM-DD)")
    raise TypeError(f"{name} must be a date or a YYYY-MM-DD str, not {type(value).__name__}")


def _is_missing(value: Any) -> bool:
    """NaN, NaT and pandas.NA: a missing cell, not a value."""
    try:
        return bool(value != value)  # NaN and NaT are not equal to themselves
    except (TypeError, ValueError):
        return value.__class__.__name__ == "NAType"


def _countries(country: Any) -> list[str]:
    if country is None:
        return []
    items = [country] if isinstance(country, str) else list(country)
    codes = []
    for c in items:
        if not isinstance(c, str):
            raise TypeError(f"country must be a str or a list of str, not {type(c).__name__}")
        for part in c.split(","):
            code = part.strip().upper()
            if len(code) != 2 or not code.isascii() or not code.isalpha():
                raise ValueError(
                    f"country: {part.strip()!r} is not a two-letter ISO country code such as UA"
                )
            codes.append(code)
    return codes


def _near(near: Any, radius: bool) -> Optional[tuple]:
    """`(lat, lon)` or, for documents, `(lat, lon, km)` (km defaults to the CLI's 100)."""
    if near is None:
        return None
    try:
        values = [float(v) for v in near]
    except (TypeError, ValueError):
        raise TypeError("near must be (lat, lon) or (lat, lon, km) in degrees and km") from None
    if len(values) == 2 and radius:
        values.append(_native.DEFAULT_NEAR_KM)
    if len(values) != (3 if radius else 2):
        raise ValueError(
            "near must be (lat, lon, km) or (lat, lon)" if radius else "near must be (lat, lon)"
        )
    lat, lon = values[0], values[1]
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
        raise ValueError(f"near: ({lat}, {lon}) is not a latitude, longitude in degrees")
    if radius and not values[2] > 0:
        raise ValueError(f"near: the radius {values[2]} km must be positive")
    return tuple(values)


def _gazetteer(gazetteer: Any) -> Optional[str]:
    if gazetteer is None:
        return None
    return _os.fspath(gazetteer)


def lookup(
    name: str,
    country: Any = None,
    near: Any = None,
    limit: int = 5,
    *,
    gazetteer: Any = None,
) -> list[Candidate]:
    """Places a name may stand for, best first: the candidates `geoevents lookup` gives
    (`geonameid`, `name`, `latitude`, `longitude`, `feature_class`, ..., `score`, `matched`).

    `country`: ISO codes to keep ("UA" or ["UA", "RU"]); `near`: (lat, lon) to prefer."""
    name = _text(name, "name")
    if not isinstance(limit, int) or isinstance(limit, bool) or limit < 1:
        raise ValueError(f"limit must be a positive int, not {limit!r}")
    return _native.lookup(
        name, _countries(country), _near(near, radius=False), limit, _gazetteer(gazetteer)
    )


def _single(answer: Any) -> list:
    if isinstance(answer, str):
        raise GeoeventsError(answer)
    return answer


def places(
    text: str,
    demonyms: bool = False,
    *,
    country: Any = None,
    near: Any = None,
    gazetteer: Any = None,
) -> list[Place]:
    """Every place `text` names, in order: the fields of `geoevents places` (`mention`, `start`,
    `end`, `geonameid`, `name`, `latitude`, `longitude`, ..., `score`, `matched`, `metonymy`).
    `demonyms=True` maps "Russian forces" to Russia, as `--demonyms`."""
    text = _text(text, "text")
    (answer,) = _native.places(
        [text],
        ["-"],
        bool(demonyms),
        _countries(country),
        _near(near, radius=True),
        True,
        1,
        _gazetteer(gazetteer),
    )
    return _single(answer)


def events(
    text: str,
    date: Any = None,
    *,
    country: Any = None,
    near: Any = None,
    gazetteer: Any = None,
) -> list[Event]:
    """The events `text` reports: the layer's properties (`event_date`, `event_type`, ...,
    `location`, `latitude`, `longitude`, ..., `x_event_id`) as `geoevents map` writes them.
    `date` (a `datetime.date` or "YYYY-MM-DD") is what relative dates are read against when the
    text has no dateline, as `--date`."""
    text = _text(text, "text")
    (answer,) = _native.events(
        [text],
        ["-"],
        [None],
        _day(date, "date"),
        _countries(country),
        _near(near, radius=True),
        True,
        None,
        1,
        _gazetteer(gazetteer),
    )
    return _single(answer)


def _column(values: Any, n: int, name: str) -> list:
    if values is None:
        return [None] * n
    if isinstance(values, (str, bytes)):
        raise TypeError(f"{name} must be a sequence with one item per text, not a single str")
    items = list(values)
    if len(items) != n:
        raise ValueError(f"{name} has {len(items)} items but texts has {n}")
    return items


def _is_series(values: Any) -> bool:
    return type(values).__name__ == "Series" and hasattr(values, "index")


def _ids(ids: Any, n: int) -> list[str]:
    if ids is None:
        return [str(i) for i in range(n)]
    out = []
    for i, v in enumerate(_column(ids, n, "ids")):
        if isinstance(v, str):
            out.append(v)
        elif isinstance(v, int) and not isinstance(v, bool):
            out.append(str(v))
        elif hasattr(v, "dtype") and getattr(v.dtype, "kind", "") in "iu":  # numpy integers
            out.append(str(int(v)))
        else:
            raise TypeError(f"ids[{i}] must be a str or an int, not {type(v).__name__}")
    return out


def _run_events(
    texts: Any,
    ids: Any,
    dates: Any,
    date: Any,
    country: Any,
    near: Any,
    theatre: bool,
    threads: int,
    gazetteer: Any,
    theatre_points: Any = None,
) -> list[dict]:
    """Rows for a frame: each event's properties with `errors` None, and for each text that
    could not be read one row with its `x_doc_id` and the reason in `errors`."""
    if isinstance(texts, (str, bytes)):
        raise TypeError("texts must be a sequence of str (one per document), not a single str")
    if ids is None and _is_series(texts):
        ids = [str(i) for i in texts.index]
    texts = list(texts)
    n = len(texts)
    doc_ids = _ids(ids, n)
    doc_dates = [_day(d, f"dates[{i}]") for i, d in enumerate(_column(dates, n, "dates"))]
    if not isinstance(threads, int) or isinstance(threads, bool) or threads < 0:
        raise ValueError(f"threads must be an int >= 0 (0: one per core), not {threads!r}")
    good, problems = [], {}
    for i, t in enumerate(texts):
        if isinstance(t, str):
            good.append(i)
        else:
            problems[i] = f"texts[{i}] must be a str, not {type(t).__name__}; row skipped"
    answers = _native.events(
        [texts[i] for i in good],
        [doc_ids[i] for i in good],
        [doc_dates[i] for i in good],
        _day(date, "date"),
        _countries(country),
        _near(near, radius=True),
        bool(theatre),
        theatre_points,
        threads,
        _gazetteer(gazetteer),
    )
    for i, answer in zip(good, answers):
        if isinstance(answer, str):
            problems[i] = answer
    by_row = dict(zip(good, answers))
    rows = []
    for i in range(n):
        if i in problems:
            row = {name: None for name, _ in FIELDS}
            row["x_doc_id"] = doc_ids[i]
            row["errors"] = problems[i]
            rows.append(row)
        else:
            for props in by_row[i]:
                props["errors"] = None
                rows.append(props)
    return rows


def _frame(rows: list[dict]) -> pandas.DataFrame:
    """The rows as a DataFrame typed like the layer: `event_date` datetime64, integers nullable
    Int64, reals float64, strings object (None where null), then `errors`."""
    import pandas as pd

    data = {}
    for name, kind in FIELDS + [("errors", "string")]:
        values = [r[name] for r in rows]
        if kind == "date":
            data[name] = pd.to_datetime(pd.Series(values, dtype=object), format="%Y-%m-%d")
        elif kind == "integer":
            data[name] = pd.array(values, dtype="Int64")
        elif kind == "real":
            data[name] = pd.Series(values, dtype="float64")
        else:
            data[name] = pd.Series(values, dtype=object)
    return pd.DataFrame(data)


def events_frame(
    texts: Iterable[str],
    ids: Optional[Sequence[Any]] = None,
    dates: Optional[Sequence[Any]] = None,
    *,
    date: Any = None,
    country: Any = None,
    near: Any = None,
    theatre: bool = True,
    threads: int = 0,
    gazetteer: Any = None,
) -> pandas.DataFrame:
    """The events of many texts as a pandas DataFrame: one row per event, the layer's fields as
    columns (`event_date` datetime64, integers as nullable Int64, `latitude`/`longitude`
    float64) and `errors`. `ids` default to the index of a pandas Series of texts, else to the
    texts' positions ("0", "1", ...), as str; `dates` are each
    document's own date (as a JSONL `date`), `date` the fallback for all (`--date`).

    A text that is not a str (None, NaN, bytes, ...) is skipped and reported: its row carries its
    `x_doc_id` and the reason in `errors`, every other column null; nothing else is lost.
    `theatre=False` is the CLI's `--no-theatre`; `threads` the worker threads (0: one per core)."""
    return _frame(
        _run_events(texts, ids, dates, date, country, near, theatre, threads, gazetteer)
    )


def events_geoframe(
    texts: Iterable[str],
    ids: Optional[Sequence[Any]] = None,
    dates: Optional[Sequence[Any]] = None,
    **kwargs: Any,
) -> geopandas.GeoDataFrame:
    """`events_frame` as a GeoPandas GeoDataFrame: Point geometries from `longitude`,
    `latitude`, CRS EPSG:4326 (rows reported in `errors` have no geometry). Needs GeoPandas
    (`pip install geoevents[geo]`)."""
    try:
        import geopandas as gpd
    except ImportError:
        raise ImportError(
            "events_geoframe needs GeoPandas: pip install 'geoevents[geo]' (or geopandas)"
        ) from None
    df = events_frame(texts, ids, dates, **kwargs)
    geometry = gpd.points_from_xy(df["longitude"], df["latitude"], crs="EPSG:4326")
    # A reported row has no place: no geometry rather than POINT (NaN NaN).
    geometry[df["errors"].notna().to_numpy()] = None
    return gpd.GeoDataFrame(df, geometry=geometry, crs="EPSG:4326")
