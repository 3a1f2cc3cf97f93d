"""The data-overview study: describing functions, findings, sections and notebook runs.

The describing functions and finding sentences are checked on hand-made frames whose
answers are counted by hand; the notebook runs on every bundled data set and on the
simulator (through papermill, results read back from the notebook's outputs).
"""

import json
import re

import nbformat
import numpy as np
import pandas as pd
import pytest

from csat_analysis import datasets, io, simulate
from csat_analysis.errors import ParameterError, StudyError, SurveyDataError
from csat_analysis.report import results_from_notebook
from csat_analysis.studies import StudyRun
from csat_analysis.studies import data_overview as overview
from csat_analysis.studies.data_overview import column_overview, missing_overview

ROOT = __import__("pathlib").Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "data_overview.ipynb"


# --- describing a data set: summaries and finding sentences, checked on hand-made frames ---


def test_column_overview_and_missing_overview():
    frame = pd.DataFrame(
        {
            "id": range(20),
            "q1": [1, 2, 3, 4, 5] * 4,
            "spend": np.linspace(0.5, 10, 20),
            "flag": [True, False] * 10,
            "store": pd.Categorical(["a", "b"] * 10),
            "note": ["x"] * 19 + [None],
        }
    )
    frame.loc[0, "q1"] = np.nan
    table = column_overview(frame).set_index("column")
    assert table["kind"].to_dict() == {
        "id": "identifier",
        "q1": "rating",
        "spend": "numeric",
        "flag": "boolean",
        "store": "category",
        "note": "text",
    }
    assert (table.loc["q1", "min"], table.loc["q1", "max"], table.loc["q1", "n_missing"]) == (1.0, 5.0, 1)
    assert table.loc["q1", "levels"] == "1, 2, 3, 4, 5"
    assert table.loc["store", "levels"] == "a, b"
    missing = missing_overview(frame).set_index("column")
    assert missing["n_missing"].to_dict() == frame.isna().sum().to_dict()
    assert missing.loc["note", "share_missing"] == pytest.approx(1 / 20)


def test_size_summary_and_finding_both_branches():
    frame = pd.DataFrame({"a": [1, None, 3, None], "b": ["x", "y", None, "z"]})
    size = overview.size_summary(frame)
    assert size == {"n_rows": 4, "n_columns": 2, "n_cells": 8, "n_missing_cells": 3, "share_missing_cells": 3 / 8}
    assert overview.size_finding(size) == "The data hold 4 rows and 2 columns; 3 of 8 cells (37.5%) are missing."
    sparse = overview.size_summary(pd.DataFrame({"a": [None] + list(range(2999))}))
    assert overview.size_finding(sparse).endswith("1 of 3,000 cells (under 0.1%) are missing.")
    full = overview.size_summary(pd.DataFrame({"a": range(1200)}))
    assert overview.size_finding(full) == "The data hold 1,200 rows and 1 columns; no cell is missing."


def test_kinds_finding_counts_each_kind_and_the_rating_range():
    frame = pd.DataFrame(
        {"q1": [0, 3, 1], "q2": [2, 7, 2], "q3": [1, 1, 2], "flag": [True, False, True], "spend": [0.5, 1.5, 2.25]}
    )
    assert overview.kinds_finding(column_overview(frame)) == (
        "Of the 5 columns, 3 are ratings, 1 numeric and 1 yes/no; rating answers run from 0 to 7."
    )
    assert overview.kinds_finding(column_overview(frame[["spend"]])) == "The one column is numeric."
    assert overview.kinds_finding(column_overview(frame[["spend", "spend"]].set_axis(["a", "b"], axis=1))) == (
        "All 2 columns are numeric."
    )
    assert overview.kinds_finding(column_overview(frame[["flag", "spend", "q1"]])).startswith(
        "Of the 3 columns, 1 is rating, "
    )


def test_columns_of_kind_rejects_unknown_kinds():
    table = column_overview(pd.DataFrame({"q1": [1, 2], "flag": [True, False]}))
    assert overview.columns_of_kind(table, "boolean") == ["flag"]
    with pytest.raises(ValueError, match="choose one of"):
        overview.columns_of_kind(table, "ratings")


def test_missing_overview_only_missing_and_finding_both_branches():
    frame = pd.DataFrame({"a": [1, None, None, None], "b": [1, 2, 3, 4], "c": [None, 1, 2, 3]})
    only = missing_overview(frame, only_missing=True)
    assert only.to_dict("records") == [
        {"column": "a", "n_missing": 3, "share_missing": 0.75},
        {"column": "c", "n_missing": 1, "share_missing": 0.25},
    ]
    assert overview.missing_finding(missing_overview(frame), "demo") == (
        "2 of 3 columns of demo have missing values; the most is `a` with 3 missing (75.0%)."
    )
    assert overview.missing_finding(missing_overview(frame[["b"]]), "demo") == "No column of demo has missing values."
    assert missing_overview(frame[["b"]], only_missing=True).empty


def test_answer_shares_counts_each_answer_per_column():
    frame = pd.DataFrame({"q2": [5, 5, 1, None], "q1": [3, 1, 1, 1]})
    table = overview.answer_shares(frame, ["q2", "q1"])
    assert table[["column", "answer", "n"]].values.tolist() == [
        ["q2", 1.0, 1],
        ["q2", 5.0, 2],
        ["q1", 1.0, 3],
        ["q1", 3.0, 1],
    ]
    assert table["percent"].tolist() == pytest.approx([100 / 3, 200 / 3, 75.0, 25.0])
    with pytest.raises(SurveyDataError, match="'q9'"):
        overview.answer_shares(frame, ["q9"])


def test_rating_category_and_numeric_findings_name_the_right_columns():
    from scipy import stats

    frame = pd.DataFrame(
        {
            "q1": [1, 2, 3, 2],
            "q2": [5, 4, 5, 4],
            "plan": pd.Categorical(["a", None, None, None]),
            "churn": [True, False, True, False],
            "spend": [1.0, 2.0, 3.0, 40.0],
            "age": [20.0, 30.0, 40.0, 55.0],
        }
    )
    assert overview.rating_finding(frame, ["q1", "q2"], "demo") == (
        "2 rating columns; mean answers range from 2.00 (`q1`) to 4.50 (`q2`)."
    )
    assert overview.rating_finding(frame, ["q2"], "demo") == "1 rating column, `q2`, with a mean answer of 4.50."
    assert overview.rating_finding(frame, [], "demo").startswith("demo has no rating-like columns")
    # missing values count as a level: `plan` is 75% missing, more lopsided than churn's 50/50
    assert overview.category_finding(frame, ["churn", "plan"], "demo") == (
        "2 categorical or yes/no columns; the most lopsided is `plan`, where `(missing)` covers 75.0% of the rows."
    )
    assert overview.category_finding(frame, [], "demo") == "demo has no categorical or yes/no columns."
    skew = stats.skew(frame["spend"], bias=False)  # the adjusted sample skewness pandas reports
    assert overview.numeric_finding(frame, ["age", "spend"], "demo") == (
        f"2 continuous columns; the most skewed is `spend` (skewness {skew:.2f})."
    )
    assert overview.numeric_finding(frame, ["age"], "demo").startswith("1 continuous column; ")
    assert overview.numeric_finding(frame, [], "demo") == "demo has no continuous numeric columns."


def test_styled_table_labels_headers_and_formats_numbers():
    table = column_overview(pd.DataFrame({"q1": [1, 10, None], "id": [1000, 2000, 3000]}))
    shown = overview.styled_table(table, "Columns", "Real data: demo")
    assert list(shown.data.columns) == [overview.DISPLAY_LABELS[c] for c in table.columns]
    html = shown.to_html()
    cells = [re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r"<td [^>]*>(.*?)</td>", html)]
    rows = {
        row[0]: dict(zip(shown.data.columns, row))
        for row in (cells[i : i + len(table.columns)] for i in range(0, len(cells), len(table.columns)))
    }
    assert (rows["q1"]["Smallest"], rows["q1"]["Largest"], rows["q1"]["Missing"]) == ("1", "10", "1")
    assert rows["id"]["Largest"] == "3,000"
    assert "Real data: demo" in html and "Columns" in html


def test_columns_of_kind_raises_parameter_error():
    table = column_overview(pd.DataFrame({"q1": [1, 2]}))
    with pytest.raises(ParameterError, match="'rating', 'numeric'"):
        overview.columns_of_kind(table, "likert")


def test_io_keeps_reading_only():
    for name in ["column_overview", "missing_overview", "size_summary", "styled_table", "kinds_finding"]:
        assert not hasattr(io, name), name


# --- sections -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_settings():
    frame = pd.DataFrame(
        {
            "q1": [1, 2, 3, 5, 5, None],
            "q2": [4, 4, 5, 5, 3, 2],
            "flag": [True, False, True, True, False, True],
            "plan": pd.Categorical(["a", "b", "a", "a", None, "a"]),
            "spend": [1.0, 2.5, 3.0, 4.0, 10.5, 0.25],
        }
    )
    return overview.OverviewSettings(
        "demo.csv", frame, "demo.csv", "User data: demo.csv, n = 6", column_overview(frame)
    )


def test_size_section_records_the_size_and_states_it(demo_settings):
    section = overview.size_section(demo_settings)
    assert section.results() == {
        "dataset": "demo.csv",
        "source": "User data: demo.csv, n = 6",
        "n_rows": 6,
        "n_columns": 5,
        "n_missing_cells": 2,
    }
    # the size leads (it is the summary's headline); a user file cites no published source
    assert section.finding() == (
        "The data hold 6 rows and 5 columns; 2 of 30 cells (6.7%) are missing.\n\n**Data:** User data: demo.csv, n = 6."
    )
    assert section.references == ()
    assert section.tables() == [] and section.plot() is None


def test_sections_pick_their_columns_and_draw(demo_settings):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ratings = overview.ratings_section(demo_settings)
    assert ratings.columns == ["q1", "q2"]
    # q1 has 5 answers (one missing): 5 twice -> 40%
    assert ratings.table.set_index(["column", "answer"]).loc[("q1", 5.0), "percent"] == pytest.approx(40.0)
    assert ratings.finding() == "2 rating columns; mean answers range from 3.20 (`q1`) to 3.83 (`q2`)."
    assert overview.categories_section(demo_settings).columns == ["flag", "plan"]
    assert overview.numeric_section(demo_settings).columns == ["spend"]
    missing = overview.missing_section(demo_settings)
    assert missing.table["column"].tolist() == ["q1", "plan"]
    assert missing.finding().startswith("2 of 5 columns of demo.csv have missing values")
    assert len(missing.tables()) == 1 and len(overview.columns_section(demo_settings).tables()) == 1
    for section in [
        ratings,
        missing,
        overview.categories_section(demo_settings),
        overview.numeric_section(demo_settings),
    ]:
        assert section.plot() is not None
    plt.close("all")


def test_sections_without_columns_say_so_and_draw_nothing():
    frame = pd.DataFrame({"note": ["a", "b"]})
    settings = overview.OverviewSettings("x", frame, "x", "User data: x", column_overview(frame))
    assert overview.ratings_section(settings).plot() is None
    assert overview.numeric_section(settings).finding() == "x has no continuous numeric columns."
    missing = overview.missing_section(settings)
    assert missing.plot() is None and missing.tables() == []
    assert missing.finding() == "No column of x has missing values."


def test_resolve_settings_from_a_run():
    run = StudyRun("corp_rep", study="data_overview", emit=False)
    settings = overview.resolve_settings(run)
    assert settings.dataset == "corp_rep" and settings.source == run.source
    assert len(settings.overview) == run.data.shape[1]


def test_segment_and_segment_value_describe_one_segment():
    run = StudyRun("corp_rep", study="data_overview", emit=False)
    settings = overview.resolve_settings(run, segment="serviceprovider", segment_value="3")
    expected = run.data[run.data["serviceprovider"] == 3]
    assert len(settings.data) == len(expected) and set(settings.data["serviceprovider"]) == {3}
    assert settings.source.endswith(f"; only serviceprovider = 3 (n = {len(expected):,})")
    assert overview.size_section(settings).results()["n_rows"] == len(expected)
    with pytest.raises(StudyError, match="segment_value='9' is not valid; choose one of: '1', '2', '3', '4'"):
        overview.resolve_settings(
            StudyRun("corp_rep", study="data_overview", emit=False), segment="serviceprovider", segment_value=9
        )
    with pytest.raises(StudyError, match="segment_value needs a segment column"):
        overview.resolve_settings(StudyRun("corp_rep", study="data_overview", emit=False), segment_value=1)


@pytest.mark.parametrize(
    "name, key, author",
    [
        ("mobi", "tenenhaus2005", "Tenenhaus"),
        ("corp_rep", "hair2017", "Hair"),
        ("telco_churn", "ibm_telco_churn", "IBM"),
        ("service_calls_churn", "mlc_churn", "MLC++"),
    ],
)
def test_size_section_cites_the_published_source_of_each_bundled_data_set(name, key, author):
    from csat_analysis.references import REFERENCES

    settings = overview.OverviewSettings(name, pd.DataFrame({"a": [1]}), name, f"Real data: {name}", pd.DataFrame())
    section = overview.size_section(settings)
    assert section.references == (key,) and key in REFERENCES
    assert f"Source: {REFERENCES[key].short}." in section.finding() and author in REFERENCES[key].full


# --- the notebook on every data set --------------------------------------------------------

papermill = pytest.importorskip("papermill")


def run_notebook(tmp_path, **parameters):
    output = tmp_path / "out.ipynb"
    workdir = tmp_path / "cwd"
    workdir.mkdir()
    papermill.execute_notebook(
        str(NOTEBOOK), str(output), parameters=parameters, kernel_name="python3", cwd=str(workdir), progress_bar=False
    )
    assert list(workdir.iterdir()) == []
    executed = json.loads(output.read_text(encoding="utf-8"))
    return results_from_notebook(executed), nbformat.reads(json.dumps(executed), as_version=4)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["mobi", "corp_rep", "telco_churn", "service_calls_churn"])
def test_runs_on_every_bundled_data_set(tmp_path, name):
    results, executed = run_notebook(tmp_path, dataset=name)
    expected = datasets.load(name)
    assert results["n_rows"] == expected.shape[0]
    assert results["n_columns"] == expected.shape[1]
    assert results["n_missing_cells"] == int(expected.isna().to_numpy().sum())
    assert results["source"].startswith(f"Real data: {name}")
    text = "\n".join(
        str(output.get("text", "")) + json.dumps(output.get("data", {}))
        for cell in executed.cells
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
    )
    assert results["source"] in text  # the source line is shown
    stderr = [
        output
        for cell in executed.cells
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
        if output.get("name") == "stderr"
    ]
    assert not stderr  # no warnings reach the report
    markdown = "\n".join(
        "".join(output.get("data", {}).get("text/markdown", ""))
        for cell in executed.cells
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
    )
    # a report: the summary box first, the data set's published source in the References at the end
    assert markdown.index("**Key findings**") < markdown.index("The data hold")
    from csat_analysis.references import REFERENCES

    key = overview.dataset_references(name)[0]
    assert REFERENCES[key].full in markdown.split("## References")[-1]


@pytest.mark.slow
def test_runs_on_simulated_data(tmp_path):
    results, _ = run_notebook(tmp_path, dataset="simulated", n=300, seed=4)
    expected = simulate.simulate_panel(300, seed=4).data
    assert results["n_rows"] == 300
    assert results["n_columns"] == len(simulate.COLUMNS)
    assert results["n_missing_cells"] == int(expected.isna().to_numpy().sum())
    assert "Simulated data" in results["source"]


@pytest.mark.slow
def test_bad_dataset_fails_early_listing_choices(tmp_path):
    with pytest.raises(papermill.PapermillExecutionError) as error:
        run_notebook(tmp_path, dataset="mobbi")
    message = str(error.value)
    assert "mobbi" in message and "choose one of" in message
    for name in ["mobi", "corp_rep", "telco_churn", "service_calls_churn", "simulated"]:
        assert repr(name) in message
    assert "StudyRun(" in error.value.source  # the set-up cell, before any analysis


def test_bad_dataset_is_a_study_error():
    with pytest.raises(StudyError, match="choose one of"):
        StudyRun("mobbi", study="data_overview", emit=False)
