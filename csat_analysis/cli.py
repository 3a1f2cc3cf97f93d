"""The ``csat`` command (also ``python -m csat_analysis``).

Examples
--------
>>> args = build_parser().parse_args(["run", "studies/default.yaml", "--workers", "2", "--only", "mobi*"])
>>> args.command, args.workers, args.only, args.force
('run', 2, ['mobi*'], False)
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from . import __version__
from .errors import CsatError

__all__ = ["build_parser", "main"]

DESCRIPTION = """\
Run parameterised study notebooks in batches and share their reports.

A study file (YAML) names a notebook, fixed `parameters`, and either a `grid`
(every combination) or a `runs` list; a file may hold several studies under
`studies:`. Each run executes with papermill in its own folder
reports/<study>/<run-id>/ (notebook.ipynb, report.html, results.json); then
reports/index.html lists every run and reports/results.csv holds every recorded
result in long form. Paths in a study file are relative to the file. A run is
up to date when its notebook, parameters, input files, the csat_analysis source
and the installed dependencies are all unchanged; `csat list` says why not."""

STUDY_EXAMPLE = """\
example study file:
  notebook: ../notebooks/data_overview.ipynb   # relative to this file
  parameters: {seed: 0}
  grid:
    dataset: [mobi, simulated]

exit status: 0 all runs ok, 1 a run failed (or the index could not be written),
2 invalid input, 3 the reports folder is in use by another csat run, 130 interrupted."""


def build_parser() -> argparse.ArgumentParser:
    """The ``csat`` argument parser: ``run``, ``list``, ``describe``, ``datasets`` and ``export``.

    Returns
    -------
    argparse.ArgumentParser
        The parser, one sub-command per command.
    """
    parser = argparse.ArgumentParser(
        prog="csat",
        description=DESCRIPTION,
        epilog=STUDY_EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"csat {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    run = commands.add_parser(
        "run",
        help="execute the runs of one or more study files and write the reports",
        description="Execute the runs of the study files (validated first: nothing runs if any "
        "is invalid). Runs already done with the same notebook content and parameters are "
        "skipped unless --force. A failing run does not stop the others; the exit status is 1 "
        "if any failed.",
        epilog=STUDY_EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    run.add_argument("studies", nargs="+", metavar="STUDY.yaml", help="study specification file(s)")
    run.add_argument(
        "--workers",
        type=int,
        metavar="N",
        default=None,
        help=f"runs executed at once on this machine (default: the number of cores, {os.cpu_count()})",
    )
    run.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        default=None,
        help="send the runs to an existing Dask distributed scheduler, e.g. tcp://scheduler-host:8786 "
        "(needs the 'dask' extra; workers must see the notebooks and reports folder at the "
        "same paths)",
    )
    run.add_argument("--force", action="store_true", help="execute runs that are already up to date too")
    run.add_argument(
        "--only",
        action="append",
        metavar="PATTERN",
        default=None,
        help="only runs whose 'study/run-id' or 'run-id' matches this glob pattern, or whose "
        "study is PATTERN (repeatable), e.g. --only 'data_overview/*'",
    )
    _add_code_options(
        run,
        "show the code in report.html (an analyst's page); by default it is a reader's "
        "report without code, linking the executed notebook that keeps it",
    )
    run.add_argument(
        "--timeout",
        type=float,
        metavar="SECONDS",
        default=None,
        help="fail a run when one of its cells runs longer than this (default: no limit)",
    )
    _add_reports_option(run)
    run.add_argument("--quiet", action="store_true", help="no progress bar")
    run.add_argument(
        "--language",
        choices=("en", "zh"),
        default=None,
        help="write every report and the index in this language: en (English) or zh (simplified "
        "Chinese); default: each study's own `language` (English unless its spec says otherwise). "
        "Runs keep their ids: use another --reports folder to keep both languages",
    )

    listing = commands.add_parser(
        "list",
        help="list the runs study files expand to, and which are done",
        description="List the runs each study file expands to (study, run id, state, parameters). "
        "State: done (up to date), changed (notebook or parameters changed since the last good "
        "run), failed (latest attempt failed), new.",
    )
    listing.add_argument("studies", nargs="+", metavar="STUDY.yaml", help="study specification file(s)")
    _add_code_options(
        listing, "states as for 'csat run --show-code' (the export option is part of what makes a report up to date)"
    )
    _add_reports_option(listing)

    describe = commands.add_parser(
        "describe",
        help="show what each study will use of a survey, and what it will skip and why",
        description="Check a survey description (YAML) and, given the data, list its roles with each "
        "item's scale and, per study, the columns its settings use and the sections the data cannot "
        "support (with the reason and the fix).",
    )
    describe.add_argument("survey", metavar="SURVEY.yaml", help="survey description (see csat_analysis.survey)")
    describe.add_argument(
        "data",
        metavar="DATA",
        nargs="?",
        default=None,
        help="a survey file (CSV, Parquet, Excel), a bundled data set or 'simulated'",
    )
    describe.add_argument(
        "--n", type=int, default=1000, metavar="N", help="respondents of a simulated panel (default: 1000)"
    )

    commands.add_parser(
        "datasets",
        help="list the bundled data sets",
        description="List the bundled real data sets (name, rows, columns, description).",
    )

    export = commands.add_parser(
        "export",
        help="export a notebook to a self-contained HTML report",
        description="Export an executed notebook to HTML (lab template, images embedded, table of "
        "contents), next to the notebook unless --output is given.",
    )
    export.add_argument("notebook", metavar="NOTEBOOK.ipynb")
    _add_code_options(export, "show the code cells (default: a reader's report without code)")
    export.add_argument(
        "-o", "--output", metavar="FILE.html", default=None, help="where to write the HTML (default: NOTEBOOK.html)"
    )
    return parser


def _add_code_options(parser: argparse.ArgumentParser, help_text: str) -> None:
    parser.add_argument("--show-code", action="store_true", help=help_text)
    # Hiding code used to be an option; it is the default now. Accepted so scripts keep working.
    parser.add_argument(
        "--no-input", action="store_true", help="deprecated: reports hide code by default (see --show-code)"
    )


def _show_code(args: argparse.Namespace) -> bool:
    """The export option of ``args``; ``--no-input`` (deprecated) is accepted with a note."""
    if args.no_input:
        if args.show_code:
            raise CsatError("--no-input and --show-code contradict each other; give only --show-code or neither")
        print(
            "csat: note: --no-input is deprecated: reports hide code by default (--show-code shows it)", file=sys.stderr
        )
    return bool(args.show_code)


def _add_reports_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--reports", metavar="DIR", default="reports", help="reports folder (default: ./reports)")


def _load(paths: Sequence[str]):
    from .runner import load_studies

    return [study for path in paths for study in load_studies(path)]


def _command_run(args: argparse.Namespace) -> int:
    from .runner import run_batch, summary_line

    studies = _load(args.studies)
    result = run_batch(
        studies,
        args.reports,
        workers=args.workers,
        scheduler=args.scheduler,
        force=args.force,
        only=args.only,
        show_code=_show_code(args),
        timeout=args.timeout,
        progress=not args.quiet,
        language=args.language,
    )
    for outcome in result.failed:
        print(f"csat: run {outcome.run.key} failed: {outcome.error}", file=sys.stderr)
    if result.index_error:
        print(f"csat: error: {result.index_error}", file=sys.stderr)
        print(f"{summary_line(result.outcomes)} in {result.seconds:.1f} s; the index was not updated")
        return 1
    print(f"{summary_line(result.outcomes)} in {result.seconds:.1f} s; see {result.index}")
    return 1 if result.failed else 0


def _command_list(args: argparse.Namespace) -> int:
    from .runner import explain_state

    rows = []
    show_code = _show_code(args)
    for study in _load(args.studies):
        for run in study.runs:
            state = explain_state(run, args.reports, show_code=show_code)
            parameters = ", ".join(f"{k}={v!r}" for k, v in run.parameters.items())
            rows.append((run.study, run.run_id, state.state, parameters, state.reasons))
    widths = [max(len(header), *(len(row[i]) for row in rows)) for i, header in enumerate(("study", "run", "state"))]
    print(f"{'study':<{widths[0]}}  {'run':<{widths[1]}}  {'state':<{widths[2]}}  parameters")
    for row in rows:
        print(f"{row[0]:<{widths[0]}}  {row[1]:<{widths[1]}}  {row[2]:<{widths[2]}}  {row[3]}")
        for reason in row[4]:
            print(f"    why: {reason}")
    return 0


def _command_datasets(_args: argparse.Namespace) -> int:
    from .datasets import list_datasets

    table = list_datasets()
    for row in table.itertuples():
        print(f"{row.name:<22} {row.rows:>6} rows {row.columns:>4} columns  {row.description}")
    return 0


def _command_export(args: argparse.Namespace) -> int:
    from .runner import export_html

    print(export_html(args.notebook, args.output, show_code=_show_code(args)))
    return 0


def _command_describe(args: argparse.Namespace) -> int:
    from .survey import describe

    print(describe(args.survey, args.data, n=args.n))
    return 0


COMMANDS = {
    "run": _command_run,
    "list": _command_list,
    "datasets": _command_datasets,
    "export": _command_export,
    "describe": _command_describe,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``csat`` command; returns the exit status.

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        The exit status: 0 on success, 1 when a run failed or a file could not be
        written, 2 for invalid input (a :class:`~csat_analysis.errors.CsatError`), 3 when
        another ``csat run`` holds the reports folder.
    """
    from .runner import ReportsBusyError

    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except ReportsBusyError as exc:
        print(f"csat: error: {exc}", file=sys.stderr)
        return 3
    except CsatError as exc:
        print(f"csat: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # the reader (head, less) stopped reading: not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as exc:  # the reports folder cannot be created or written, say
        where = f" ({exc.filename})" if exc.filename else ""
        print(f"csat: error: {exc.strerror or exc}{where}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("csat: interrupted; finished runs and earlier reports are kept", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
