"""Whether the geoevents binary a bench is given can run `places` (shared by places_eval.py and
ner_eval.py)."""
import subprocess
from pathlib import Path


def geoevents_available(binary: Path):
    """(True, "") when `binary places --help` runs, else (False, why) for the bench's report."""
    if not binary.exists():
        return False, f"binary {binary} not found (build it with `cargo build --release`)"
    try:
        p = subprocess.run([str(binary), "places", "--help"], capture_output=True, text=True, timeout=60)
    except OSError as e:
        return False, f"cannot run {binary}: {e}"
    except subprocess.TimeoutExpired:
        return False, f"`{binary} places --help` timed out"
    if p.returncode != 0:
        first = (p.stderr or p.stdout).strip().splitlines()
        return False, "no `places` command" + (f" ({first[0]})" if first else "")
    return True, ""
