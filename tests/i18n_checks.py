"""Shared checks of the per-study Chinese tests (tests/test_i18n_<study>.py).

Each study's test lists the messages its module marks for the catalog and the
Markdown cells of its notebook, checks that each has a Chinese translation, and looks
for English pieces of them left in a Chinese report.
"""

from __future__ import annotations

import html
import json
import re
import string
from pathlib import Path

from babel.messages.extract import extract_from_file

from csat_analysis.i18n import translator

#: the gettext keywords of csat_analysis (as scripts/extract_messages.py extracts them)
KEYWORDS = {"_": None, "gettext": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}
HAN = re.compile(r"[\u4e00-\u9fff]")


def module_messages(module: Path) -> list[tuple[str | None, str | tuple[str, str]]]:
    """(context, message) of every string a module marks for the catalog."""
    found = list(extract_from_file("python", str(module), keywords=KEYWORDS, comment_tags=("Translators:",)))
    return [(context, message) for _, message, _, context in found]


def markdown_cells(notebook: Path) -> list[str]:
    """The non-empty Markdown cells of a notebook, stripped."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    texts = [
        "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        for cell in cells
        if cell["cell_type"] == "markdown"
    ]
    return [text.strip() for text in texts if text.strip()]


def literal_pieces(message: str) -> list[str]:
    """The text between a message's fields, as a reader sees it rendered (no Markdown marks), long pieces only."""
    pieces = []
    for literal, *_ in string.Formatter().parse(message):
        plain = re.sub(r"\s+", " ", re.sub(r"[*`#]", "", literal)).strip(" ,.;:()[]")
        # several words: short words ("new", "tier") also occur inside names and data
        if plain.count(" ") >= 2 and len(plain) >= 15:
            pieces.append(plain)
    return pieces


def english_pieces(module: Path, notebook: Path) -> set[str]:
    """Every long English piece of the module's messages and the notebook's Markdown cells."""
    pieces = set()
    for _, message in module_messages(module):
        for text in message if isinstance(message, tuple) else (message,):
            pieces.update(literal_pieces(text))
    for cell in markdown_cells(notebook):
        for paragraph in cell.split("\n\n"):
            pieces.update(literal_pieces(paragraph.replace("{", "{{").replace("}", "}}")))
    return pieces


def untranslated(module: Path, notebook: Path) -> tuple[int, list, int, list[str]]:
    """How many messages the module has and which lack a Chinese translation; the same for the cells."""
    chinese = translator("zh")
    messages = module_messages(module)
    missing = []
    for context, message in messages:
        if isinstance(message, tuple):
            translated = chinese.ngettext(*message, 2)
            english = message[1]
        elif context is not None:
            translated, english = chinese.pgettext(context, message), message
        else:
            translated, english = chinese.gettext(message), message
        words = any(ch.isalpha() for ch in english)  # ", " has none: its translation is a Chinese comma
        if translated == english or (words and not HAN.search(translated)):
            missing.append(message)
    cells = markdown_cells(notebook)
    cells_missing = [cell[:40] for cell in cells if not HAN.search(chinese.gettext(cell))]
    return len(messages), missing, len(cells), cells_missing


def visible_text(page: str) -> str:
    """The text a reader sees in a report's body (the <title> in the head is the runner's, not the study's)."""
    page = re.sub(r"<head\b.*?</head>", " ", page, flags=re.S | re.I)
    page = re.sub(r"<(style|script)\b.*?</\1>", " ", page, flags=re.S | re.I)
    page = re.sub(r"<pre\b.*?</pre>", " ", page, flags=re.S | re.I)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def run_in_both_languages(study: str, notebook: Path, runs: list[dict], root: Path) -> dict[str, Path]:
    """The study's runs through the batch runner in every language: ``{language: study folder}``."""
    from csat_analysis.i18n import LANGUAGES
    from csat_analysis.runner import load_studies, run_batch

    spec = root / "spec.yaml"
    spec.write_text(f"studies:\n  - {{name: {study}, notebook: {notebook}, runs: {json.dumps(runs)}}}\n")
    studies = load_studies(spec)
    folders = {}
    for language in LANGUAGES:
        result = run_batch(studies, root / language, workers=1, progress=False, language=language)
        assert not result.failed, [(o.run.key, o.error) for o in result.failed]
        folders[language] = root / language / study
    return folders


def recorded_runs(folder: Path) -> dict[str, Path]:
    """``{run id: run folder}`` of the runs with recorded results in a study folder."""
    return {path.parent.name: path.parent for path in folder.glob("*/results.json")}
