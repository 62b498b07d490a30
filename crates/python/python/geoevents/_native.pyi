"""The compiled half of geoevents (crates/python/src/lib.rs). Private: call `geoevents`, which
checks the arguments these take as they are."""

from typing import Any, Optional, Union

SAMPLE_DOCS: int
SAMPLE_BYTES: int
DEFAULT_NEAR_KM: float

class GeoeventsError(Exception): ...
class GazetteerError(GeoeventsError): ...

def fields() -> list[tuple[str, str]]: ...
def check_gazetteer(gazetteer_path: Optional[str] = None) -> None: ...
def lookup(
    name: str,
    countries: list[str],
    near: Optional[tuple[float, float]],
    limit: int,
    gazetteer_path: Optional[str] = None,
) -> list[dict[str, Any]]: ...
def places(
    texts: list[str],
    ids: list[str],
    demonyms: bool,
    countries: list[str],
    near: Optional[tuple[float, float, float]],
    theatre: bool,
    threads: int,
    gazetteer_path: Optional[str] = None,
) -> list[Union[list[dict[str, Any]], str]]: ...
def events(
    texts: list[str],
    ids: list[str],
    dates: list[Optional[str]],
    date: Optional[str],
    countries: list[str],
    near: Optional[tuple[float, float, float]],
    theatre: bool,
    theatre_points: Optional[list[tuple[float, float]]],
    threads: int,
    gazetteer_path: Optional[str] = None,
) -> list[Union[list[dict[str, Any]], str]]: ...
def theatre_points(
    texts: list[str],
    ids: list[str],
    countries: list[str],
    near: Optional[tuple[float, float, float]],
    threads: int,
    gazetteer_path: Optional[str] = None,
) -> list[tuple[float, float]]: ...
