"""Generate what the documentation embeds: executed example reports and the data-set table.

Run by ``make docs`` before Sphinx (and by ``tests/test_docs.py``):

1. ``csat run docs/examples.yaml --reports docs/_examples/examples`` executes one small
   run of every bundled study (runs already up to date are skipped, so a rebuild is
   quick); Sphinx copies ``docs/_examples`` into the site as it is.
2. ``docs/_generated/report_<study>.rst``: the block each study page includes, an
   embedded frame showing that study's executed report and a link to it.
3. ``docs/_generated/references.rst``: every published source of
   :mod:`csat_analysis.references`, for the methods page.
4. ``docs/_generated/datasets_table.rst``: the bundled data sets from
   ``data/raw/manifest.json`` (rows, columns, source, licence, citation, checksum).
5. ``docs/_generated/survey_keys.rst``: the keys of a survey description, read from
   :mod:`csat_analysis.survey` and :mod:`csat_analysis.io` (each key, the form its check
   expects, and what it means from :data:`KEY_MEANINGS`; a key without a meaning there
   stops the build, so the table never misses one).

Use ``--skip-runs`` to regenerate the pages from reports already there.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
SPEC = DOCS / "examples.yaml"
EXAMPLES = DOCS / "_examples" / "examples"
GENERATED = DOCS / "_generated"
#: example reports embedded in a page at the site root rather than in docs/studies/
ROOT_PAGE_REPORTS = {"data_overview_zh"}  # docs/chinese_reports.rst


def run_examples() -> None:
    command = [sys.executable, "-m", "csat_analysis", "run", str(SPEC), "--reports", str(EXAMPLES), "--quiet"]
    completed = subprocess.run(command, cwd=DOCS, capture_output=True, text=True)
    if completed.returncode != 0:
        sys.stderr.write(completed.stdout + completed.stderr)
        raise SystemExit(f"the example runs failed: {' '.join(command)}")


def report_blocks() -> list[str]:
    import yaml

    studies = [entry["name"] for entry in yaml.safe_load(SPEC.read_text(encoding="utf-8"))["studies"]]
    written = []
    for study in studies:
        reports = sorted((EXAMPLES / study).glob("*/report.html"))
        reports = [path for path in reports if not path.parent.name.endswith(".failed")]
        if not reports:
            raise SystemExit(f"no executed report for study {study!r} in {EXAMPLES / study}")
        report = reports[0]
        # study pages live in docs/studies/, the reports at the site root under examples/
        up = "" if study in ROOT_PAGE_REPORTS else "../"
        href = up + report.relative_to(EXAMPLES.parent).as_posix()
        run_id = report.parent.name
        block = (
            f"An executed example: run ``{run_id}`` of ``docs/examples.yaml`` (code hidden in the\n"
            f"frame; `open the report on its own page <{href}>`_).\n\n"
            ".. raw:: html\n\n"
            f'   <iframe src="{href}" title="example report: {study} {run_id}" '
            'style="width: 100%; height: 900px; border: 1px solid #ccc;"></iframe>\n'
        )
        path = GENERATED / f"report_{study}.rst"
        path.write_text(block, encoding="utf-8")
        written.append(path.name)
    return written


def _cell(text: object) -> str:
    return str(text).replace("\n", " ").replace("|", "/")


def datasets_table() -> None:
    from csat_analysis.resources import data_file

    manifest = json.loads(data_file("manifest.json").read_text(encoding="utf-8"))["datasets"]
    lines = [
        ".. list-table:: Bundled data sets (from ``data/raw/manifest.json``)",
        "   :header-rows: 1",
        "   :widths: 12 8 30 25 25",
        "",
        "   * - name",
        "     - rows x columns",
        "     - source",
        "     - licence",
        "     - cite as",
    ]
    for name, entry in manifest.items():
        lines += [
            f"   * - ``{name}``",
            f"     - {entry['rows']} x {entry['columns']}",
            f"     - {_cell(entry['source'])}",
            f"     - {_cell(entry['licence'])}",
            f"     - {_cell(entry['citation'])}",
        ]
    lines += ["", "SHA-256 checksums, verified by :func:`csat_analysis.datasets.load` on every load:", ""]
    lines += [f"- ``{entry['file']}``: ``{entry['sha256']}``" for entry in manifest.values()]
    lines += ["", "What each data set holds:", ""]
    lines += [f"- ``{name}``: {_cell(entry['description'])}" for name, entry in manifest.items()]
    (GENERATED / "datasets_table.rst").write_text("\n".join(lines) + "\n", encoding="utf-8")


#: what each survey-description key means, by table; the forms come from the code
KEY_MEANINGS = {
    "schema": {
        "id": "the respondent id column (unique values)",
        "columns": "how to read each column (the column keys below)",
        "encoding": "the CSV text encoding; default: a byte-order mark, else UTF-8, then GB18030 "
        "(the usual export of Chinese survey tools)",
        "delimiter": "the CSV field separator; default: sniffed among comma, semicolon, tab and bar",
        "decimal": "the decimal mark of CSV numbers: with ``,``, ``3,5`` is 3.5",
        "sheet": "the Excel sheet; default: the first",
        "header_row": "the line or spreadsheet row holding the header, 1-based; lines above it are skipped",
    },
    "column": {
        "type": "how the column is read; implied by ``scale``, ``labels``, ``categories`` or ``true``/``false``",
        "scale": "the item's answer scale; each item keeps its own and is rescaled to 0-100 before items are combined",
        "labels": "text answers and the numbers they stand for (answers exported as text, in any language)",
        "missing": 'codes that mean no answer (such as 99 or "Don\'t know"), read as missing',
        "required": "the column must be in the data",
        "reverse": "a negatively worded rating, reverse-coded on reading (low + high - x)",
        "categories": "the allowed values of a category, in display order",
        "ordered": "the categories are ordered",
        "min": "the smallest allowed value of a number",
        "max": "the largest allowed value of a number",
        "true": "the answers that mean yes (type ``bool``)",
        "false": "the answers that mean no (type ``bool``)",
        "label": "the display name in reports, one text or one per language (``{en: ..., zh: ...}``)",
    },
    "description": {
        "title": "the survey's name, shown in reports",
        "scale": "the default scale of rating items that declare none",
        "roles": "what the columns mean (the role keys below)",
        "studies": "study options that are not column roles, such as ``{model: none}``",
        "derived": "columns the studies compute themselves, which need not be in the data",
    },
    "role": {
        "id": "the respondent id",
        "segments": "category columns to compare (regions, plans, providers)",
        "weight": "survey weights (positive numbers)",
        "wave": "the date or wave of each answer",
        "satisfaction": "satisfaction items (averaged, each on its own scale)",
        "overall_satisfaction": "the one overall-satisfaction item",
        "loyalty": "attitudinal loyalty items (intention to buy again, to recommend)",
        "recommend": "the 0-10 likelihood-to-recommend item (NPS)",
        "behaviour": "observed repurchase or retention (yes/no)",
        "behaviour_is_proxy": "true when ``behaviour`` is a stated intention rather than observed",
        "drivers": "items whose effect on satisfaction is measured (key drivers), or constructs of items",
        "constructs": "constructs of a PLS model and their items",
        "complaint": "the complaint columns (the complaint keys below)",
        "churn": "the churn columns (the churn keys below)",
        "dealer": "the dealer-table columns (the dealer keys below)",
        "comments": "the open-text comment columns (the comments keys below)",
    },
    "complaint": {
        "problem": "had a problem (yes/no)",
        "complained": "complained about it (yes/no)",
        "status": "one column of statuses instead: ``no_problem``, ``no_complaint``, ``unresolved``, "
        "``resolved``, ``resolved_quickly``",
        "resolved": "the complaint was resolved (yes/no)",
        "resolved_quickly": "... and quickly (yes/no)",
        "resolved_first_contact": "resolved at the first contact (yes/no)",
        "resolution_hours": "hours until resolved (empty while open)",
        "fast_hours": "resolutions at most this many hours count as quick",
        "open_hours": "hours an unresolved complaint has been open",
        "severity": "problem severity (``minor``, ``major``)",
        "escalation_level": "0 did not complain, 1 front line only, 2 middle management, 3 top management",
        "handling_satisfaction": "satisfaction with how the complaint was handled (a rating)",
        "outcome": "repurchase or retention after the complaint (yes/no)",
        "calls": "number of customer-service calls",
        "churned": "the customer left (yes/no), for churn by calls",
        "covariates": "further columns of the outcome model",
        "call_covariates": "further columns of the calls model",
    },
    "churn": {
        "churned": "the customer left (yes/no)",
        "tenure": "how long the customer has been (or was) a customer",
        "tenure_unit": "the unit of ``tenure`` (the analyses use months)",
        "revenue": "revenue per customer per month (lifetime value)",
        "segments": "segments compared in churn rates and retention curves",
        "drivers": "columns of the logistic model of churn",
        "cause": "why a churned customer left",
    },
    "dealer": {
        "sales": "satisfied with the sale (yes/no)",
        "service": "satisfied with the service (yes/no)",
        "loyal": "loyal to the dealer, to the brand (yes/no)",
    },
    "comments": {
        "text": "the open-text answer",
        "score": "the rating or label the comment explains",
        "split": "training/testing split of a labelled corpus (the sentiment model trains on it)",
        "language": "the comments' language, or ``auto`` to detect it",
        "segment": "the column topic shares are compared across",
        "low_scores": "the ``score`` values that count as low",
    },
}


def _rst_text(text: str) -> str:
    """Plain text for a table cell: reStructuredText's markup characters escaped."""
    text = str(text).replace("\\", "\\\\")
    for character in "|*`_":
        text = text.replace(character, "\\" + character)
    return text.replace("\n", " ")


def survey_keys_table() -> None:
    from csat_analysis import io, survey

    tables = [
        (
            "schema",
            io.SCHEMA_KEYS,
            "Top-level keys read by :func:`~csat_analysis.io.read_survey` (:data:`csat_analysis.io.SCHEMA_KEYS`)",
        ),
        ("column", io.COLUMN_KEYS, "Keys of each entry under ``columns`` (:data:`csat_analysis.io.COLUMN_KEYS`)"),
        (
            "description",
            survey.DESCRIPTION_KEYS,
            "Top-level keys a survey description adds (:data:`csat_analysis.survey.DESCRIPTION_KEYS`)",
        ),
        ("role", survey.ROLE_KEYS, "Keys under ``roles`` (:data:`csat_analysis.survey.ROLE_KEYS`)"),
        (
            "complaint",
            survey.COMPLAINT_ROLE_KEYS,
            "Keys under ``roles.complaint`` (:data:`csat_analysis.survey.COMPLAINT_ROLE_KEYS`)",
        ),
        ("churn", survey.CHURN_ROLE_KEYS, "Keys under ``roles.churn`` (:data:`csat_analysis.survey.CHURN_ROLE_KEYS`)"),
        (
            "dealer",
            survey.DEALER_ROLE_KEYS,
            "Keys under ``roles.dealer`` (:data:`csat_analysis.survey.DEALER_ROLE_KEYS`)",
        ),
        (
            "comments",
            survey.COMMENTS_ROLE_KEYS,
            "Keys under ``roles.comments`` (:data:`csat_analysis.survey.COMMENTS_ROLE_KEYS`)",
        ),
    ]
    lines = []
    for table, keys, caption in tables:
        unexplained = sorted(set(keys) - set(KEY_MEANINGS[table]))
        if unexplained:
            raise SystemExit(f"docs/build_examples.py: KEY_MEANINGS[{table!r}] lacks {unexplained}")
        lines += [
            f".. list-table:: {caption}",
            "   :header-rows: 1",
            "   :widths: 20 35 45",
            "",
            "   * - key",
            "     - expected form",
            "     - meaning",
        ]
        for key, (_check, form) in keys.items():
            lines += [f"   * - ``{key}``", f"     - {_rst_text(form)}", f"     - {_cell(KEY_MEANINGS[table][key])}"]
        lines.append("")
    (GENERATED / "survey_keys.rst").write_text("\n".join(lines) + "\n", encoding="utf-8")


def references_list() -> None:
    from csat_analysis.references import REFERENCES

    entries = sorted(REFERENCES.values(), key=lambda reference: reference.sort_key)
    lines = [f"- {reference.full}" for reference in entries]
    (GENERATED / "references.rst").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    # the package of this checkout, also when docs/ was copied elsewhere (tests/test_docs.py)
    sys.path.insert(0, str(DOCS.parent))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-runs", action="store_true", help="use the reports already in docs/_examples")
    args = parser.parse_args(argv)
    GENERATED.mkdir(exist_ok=True)
    if not args.skip_runs:
        run_examples()
    report_blocks()
    datasets_table()
    survey_keys_table()
    references_list()


if __name__ == "__main__":
    main()
