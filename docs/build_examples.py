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
        # pages live in docs/studies/, the reports at the site root under examples/
        href = "../" + report.relative_to(EXAMPLES.parent).as_posix()
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
    references_list()


if __name__ == "__main__":
    main()
