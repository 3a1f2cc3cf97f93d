"""Merge the translations of a PO fragment into a language's catalog.

Several people (or helpers) can translate different parts of the package at once:
each writes its messages to a fragment (a small ``.po`` file with ``msgid`` /
``msgstr`` pairs, named fields kept as in the source) and merges it here. The
catalog file is locked while it is rewritten, so merges never overwrite each other.
Run ``make messages`` afterwards to refresh the template from the code.

Usage::

    python scripts/merge_translations.py fragment.po [--language zh]
"""

from __future__ import annotations

import argparse
import fcntl
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "csat_analysis" / "locale"


def merge(fragment: Path, language: str) -> int:
    """Copy every translated message of ``fragment`` into the catalog; how many were merged."""
    target = LOCALE / language / "LC_MESSAGES" / "csat_analysis.po"
    with fragment.open("rb") as handle:
        incoming = read_po(handle, locale=language)
    with open(target.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        with target.open("rb") as handle:
            catalog = read_po(handle, locale=language)
        merged = 0
        for message in incoming:
            if not message.id or not message.string:
                continue
            existing = catalog.get(message.id, message.context)
            if existing is None:
                catalog.add(message.id, message.string, context=message.context, auto_comments=message.auto_comments)
            else:
                existing.string = message.string
                existing.flags.discard("fuzzy")
            merged += 1
        temporary = target.with_suffix(".po.tmp")
        with temporary.open("wb") as handle:
            write_po(handle, catalog, width=100)
        temporary.replace(target)
    return merged


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("fragment", type=Path)
    parser.add_argument("--language", default="zh")
    args = parser.parse_args()
    print(f"merged {merge(args.fragment, args.language)} messages into {args.language}")


if __name__ == "__main__":
    main()
