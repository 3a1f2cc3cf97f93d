"""Collect the translatable messages of csat-analysis into its gettext template (``.pot``).

Two sources of messages:

- the package's Python code, read by Babel's Python extractor: every string passed
  to ``_``, ``gettext``, ``N_``, ``N_plural``, ``ngettext`` and ``pgettext`` (see
  :mod:`csat_analysis.i18n`, "How to make a string translatable");
- the Markdown cells of the study notebooks (``notebooks/*.ipynb``): each cell's text,
  stripped of surrounding blank space, is one message (the batch runner replaces a
  cell by its translation for a ``zh`` run).

Usage (``make messages`` runs all three steps)::

    python scripts/extract_messages.py             # writes csat_analysis/locale/csat_analysis.pot
    python scripts/extract_messages.py --update    # and merges it into every language's .po
    python scripts/extract_messages.py --update --compile   # and compiles the .mo files

Merging keeps existing translations; a changed message becomes ``fuzzy`` (a translator
checks it and removes the flag); a message no longer used is kept as obsolete (``#~``).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "csat_analysis"
NOTEBOOKS = ROOT / "notebooks"
LOCALE = PACKAGE / "locale"
DOMAIN = "csat_analysis"
TEMPLATE = LOCALE / f"{DOMAIN}.pot"
#: gettext functions and the position of their message arguments (Babel's keyword spec)
KEYWORDS = {"_": None, "gettext": None, "N_": None, "N_plural": (1, 2), "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}


def python_messages(catalog: Catalog) -> None:
    """Add every marked string of the package's modules."""
    method_map = [("**/locale/**", "ignore"), ("**.py", "python")]
    for filename, lineno, message, comments, context in extract_from_dir(
        str(PACKAGE), method_map, keywords=KEYWORDS, comment_tags=("Translators:",), strip_comment_tags=True
    ):
        location = (f"csat_analysis/{Path(filename).as_posix()}", lineno)
        catalog.add(message, None, [location], auto_comments=comments, context=context)


def notebook_messages(catalog: Catalog) -> None:
    """Add the text of every Markdown cell of the study notebooks."""
    for notebook in sorted(NOTEBOOKS.glob("*.ipynb")):
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        for position, cell in enumerate(cells, start=1):
            if cell.get("cell_type") != "markdown":
                continue
            text = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            if text.strip():
                catalog.add(
                    text.strip(),
                    None,
                    [(f"notebooks/{notebook.name}", position)],
                    auto_comments=["Markdown cell of a study notebook"],
                )


def build_template() -> Catalog:
    catalog = Catalog(project="csat-analysis", domain=DOMAIN, charset="utf-8", fuzzy=False)
    python_messages(catalog)
    notebook_messages(catalog)
    return catalog


def write_template(catalog: Catalog) -> None:
    LOCALE.mkdir(parents=True, exist_ok=True)
    with open(TEMPLATE, "wb") as target:
        write_po(target, catalog, width=100, omit_header=False, sort_output=False, include_lineno=False)


def update_catalogs(template: Catalog) -> list[Path]:
    """Merge the template into every language's ``.po`` (a new language starts from the template)."""
    written = []
    for po_path in sorted(LOCALE.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        with open(po_path, "rb") as source:
            catalog = read_po(source, domain=DOMAIN)
        catalog.update(template, no_fuzzy_matching=False)
        with open(po_path, "wb") as target:
            write_po(target, catalog, width=100, include_lineno=False, include_previous=True)
        written.append(po_path)
    return written


def compile_catalogs() -> list[Path]:
    written = []
    for po_path in sorted(LOCALE.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        with open(po_path, "rb") as source:
            catalog = read_po(source, domain=DOMAIN)
        mo_path = po_path.with_suffix(".mo")
        with open(mo_path, "wb") as target:
            write_mo(target, catalog, use_fuzzy=False)
        written.append(mo_path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update", action="store_true", help="merge the template into every language's .po")
    parser.add_argument("--compile", action="store_true", help="compile every .po into its .mo")
    args = parser.parse_args(argv)
    template = build_template()
    write_template(template)
    print(f"{TEMPLATE.relative_to(ROOT)}: {len(template)} messages")
    if args.update:
        for path in update_catalogs(template):
            print(f"merged into {path.relative_to(ROOT)}")
    if args.compile:
        for path in compile_catalogs():
            print(f"compiled {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
