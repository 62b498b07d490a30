from typing import Any, Iterator, Optional

ERRORS: str

def schema() -> Any:
    """pyspark.sql.types.StructType of map_events' result."""

def arrow_schema() -> Any:
    """pyarrow.Schema of each batch map_events' tasks yield."""

def events_of_batch(
    batch: Any, text_col: str, id_col: str, date_col: Optional[str], options: dict
) -> Any: ...
def map_events(
    df: Any,
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
) -> Any:
    """pyspark.sql.DataFrame of events (schema())."""
