"""Type stubs for geoevents (the Python package of the geoevents engine)."""

import datetime
import os
from typing import Any, Iterable, Optional, Sequence, TypedDict, Union

import pandas

_Date = Union[str, datetime.date, None]
_Countries = Union[str, Sequence[str], None]
_Near = Optional[Sequence[float]]
_Path = Union[str, os.PathLike[str], None]

__version__: str

#: The event layer's fields, in order, with their types ("string", "integer", "real", "date").
FIELDS: list[tuple[str, str]]

class GeoeventsError(Exception):
    """An error the geoevents library reports."""

class GazetteerError(GeoeventsError):
    """A gazetteer index that cannot be opened (missing, damaged, another format version)."""

class Candidate(TypedDict):
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
    score: float
    matched_name: str
    matched: str
    edit_distance: int

class Place(TypedDict):
    mention: str
    start: int
    end: int
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
    score: float
    matched: str
    metonymy: bool

class Event(TypedDict):
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

def lookup(
    name: str,
    country: _Countries = None,
    near: _Near = None,
    limit: int = 5,
    *,
    gazetteer: _Path = None,
) -> list[Candidate]: ...
def places(
    text: str,
    demonyms: bool = False,
    *,
    country: _Countries = None,
    near: _Near = None,
    gazetteer: _Path = None,
) -> list[Place]: ...
def events(
    text: str,
    date: _Date = None,
    *,
    country: _Countries = None,
    near: _Near = None,
    gazetteer: _Path = None,
) -> list[Event]: ...
def events_frame(
    texts: Iterable[str],
    ids: Optional[Sequence[Union[str, int]]] = None,
    dates: Optional[Sequence[_Date]] = None,
    *,
    date: _Date = None,
    country: _Countries = None,
    near: _Near = None,
    theatre: bool = True,
    threads: int = 0,
    gazetteer: _Path = None,
) -> pandas.DataFrame: ...
def events_geoframe(
    texts: Iterable[str],
    ids: Optional[Sequence[Union[str, int]]] = None,
    dates: Optional[Sequence[_Date]] = None,
    *,
    date: _Date = None,
    country: _Countries = None,
    near: _Near = None,
    theatre: bool = True,
    threads: int = 0,
    gazetteer: _Path = None,
) -> Any:
    """A geopandas.GeoDataFrame (EPSG:4326); needs geopandas installed."""
