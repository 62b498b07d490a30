"""Shared helpers: where the repository, ../shared and the CLI are, and the CLI's answers.

The tests compare the package with the release binary (`cargo build --release` at the
repository root; GEOEVENTS_BIN names another). Data from ../shared is required: its absence
fails the test, unless GEOEVENTS_ALLOW_MISSING_SHARED=1 allows skipping knowingly (the project's
rule, as in tests/common)."""

import csv
import json
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
SHARED = ROOT.parent / "shared"
REPORT = SHARED / "examples" / "ukraine-report-2023-02-14.txt"
EVENTS_DEV = SHARED / "data" / "events-dev"
FIXTURES = ROOT / "tests" / "fixtures"


def shared(path: Path) -> Path:
    """`path` under ../shared, or a loud failure (a skip only with the opt-out)."""
    if path.exists():
        return path
    msg = f"*** SHARED DATA MISSING: {path} ***"
    if os.environ.get("GEOEVENTS_ALLOW_MISSING_SHARED") == "1":
        pytest.skip(f"{msg} (skipped: GEOEVENTS_ALLOW_MISSING_SHARED=1)")
    pytest.fail(f"{msg}; set GEOEVENTS_ALLOW_MISSING_SHARED=1 to skip knowingly", pytrace=False)


def binary() -> str:
    path = Path(os.environ.get("GEOEVENTS_BIN", ROOT / "target" / "release" / "geoevents"))
    if not path.is_file():
        pytest.fail(f"no CLI at {path}: run `cargo build --release` at {ROOT} first", pytrace=False)
    return str(path)


def cli(*args: str, stdin: str = None) -> str:
    out = subprocess.run(
        [binary(), *args], input=stdin, capture_output=True, text=True, check=False
    )
    assert out.returncode == 0, f"geoevents {' '.join(args)} failed:\n{out.stderr}"
    return out.stdout


def cli_events(*args: str, stdin: str = None) -> list:
    """The properties of each feature `geoevents map --format geojsonseq` writes."""
    text = cli("map", "--format", "geojsonseq", "-o", "-", *args, stdin=stdin)
    return [json.loads(line)["properties"] for line in text.splitlines() if line.strip()]


def write_jsonl(path: Path, docs: list) -> Path:
    with open(path, "w", encoding="utf-8") as f:
        for d in docs:
            f.write(json.dumps(d, ensure_ascii=False) + "\n")
    return path


def labelled_sentences() -> list:
    """The repository's labelled event sentences (tests/fixtures/events/*.tsv): id, date, text."""
    docs = []
    for tsv in sorted((FIXTURES / "events").glob("*.tsv")):
        with open(tsv, encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f, delimiter="\t"):
                docs.append(
                    {"id": f"{tsv.stem}:{row['id']}", "text": row["text"], "date": row.get("doc_date") or None}
                )
    return docs


def events_dev() -> list:
    """The shared ACLED records (ukraine + world) as documents: id, text, date only."""
    docs = []
    for name in ["ukraine.jsonl", "world.jsonl"]:
        with open(shared(EVENTS_DEV / name), encoding="utf-8") as f:
            for line in f:
                r = json.loads(line)
                docs.append({"id": r["id"], "text": r["text"], "date": r["date"]})
    return docs


def comparable(props: dict) -> dict:
    """A feature's properties without `source` (the CLI's is the input's `file:line`)."""
    return {k: v for k, v in props.items() if k != "source"}
