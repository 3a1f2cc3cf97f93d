"""The data-overview study in Chinese: every message translated, the same results, no English left.

The module checks build sections directly in both languages (fast); the report checks
run the notebook through the batch runner in English and in Chinese on small settings
(slow) and compare what each records and what a reader of the Chinese report sees.
"""

from __future__ import annotations

import html
import io
import json
import re
import warnings
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import pandas as pd
import pytest
from i18n_checks import HAN, english_pieces, recorded_runs, run_in_both_languages, untranslated, visible_text

from csat_analysis import plots
from csat_analysis.i18n import LANGUAGES, set_language, use_language
from csat_analysis.studies import StudyRun
from csat_analysis.studies import data_overview as study

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parents[1]
MODULE = ROOT / "csat_analysis" / "studies" / "data_overview.py"
NOTEBOOK = ROOT / "notebooks" / "data_overview.ipynb"
#: small runs that between them reach every section: missing values, ratings, categories, a filter on a segment
RUNS = [{"dataset": "telco_churn"}, {"dataset": "corp_rep", "segment": "serviceprovider", "segment_value": 2}]


# --------------------------------------------------------------------------- the catalog


def test_every_message_of_the_module_and_notebook_has_a_chinese_translation():
    n_messages, missing, n_cells, cells_missing = untranslated(MODULE, NOTEBOOK)
    assert n_messages > 50 and missing == []
    assert n_cells >= 7 and cells_missing == []


# --------------------------------------------------------------------------- sections in both languages


def _sections(dataset, **filters):
    """Every section of the overview of ``dataset``, built in English and in Chinese."""
    built = {}
    try:
        for language in LANGUAGES:
            run = StudyRun(dataset, study="data_overview", emit=False, language=language)
            chosen = study.resolve_settings(run, **filters)
            built[language] = {
                "size": study.size_section(chosen),
                "columns": study.columns_section(chosen),
                "missing": study.missing_section(chosen),
                "ratings": study.ratings_section(chosen),
                "categories": study.categories_section(chosen),
                "numeric": study.numeric_section(chosen),
            }
    finally:
        StudyRun("mobi", study="example", emit=False)  # back to English for the other tests
    return built


@pytest.fixture(scope="module")
def sections():
    return {
        "telco_churn": _sections("telco_churn"),
        "corp_rep": _sections("corp_rep", segment="serviceprovider", segment_value=2),
    }


def test_sections_record_the_same_results_in_both_languages(sections):
    for dataset, built in sections.items():
        for name in built["en"]:
            assert built["en"][name].results() == built["zh"][name].results(), (dataset, name)
    # the filtered source line is recorded in English, shown in Chinese
    size = sections["corp_rep"]
    data = StudyRun("corp_rep", study="data_overview", emit=False).data
    kept = int((data["serviceprovider"] == 2).sum())
    assert 0 < kept < len(data)
    assert size["en"]["size"].results()["source"].endswith(f"; only serviceprovider = 2 (n = {kept})")
    with use_language("zh"):
        assert f"仅 serviceprovider = 2（n = {kept}）" in size["zh"]["size"].finding()


def test_chinese_findings_tables_and_figures_hold_no_english_message(sections):
    pieces = english_pieces(MODULE, NOTEBOOK)
    texts = {}
    with use_language("zh"), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        plots.set_theme()
        for dataset, built in sections.items():
            for name, section in built["zh"].items():
                shown = [section.finding(), section.headline()]
                shown += [table.to_html() for table in section.tables()]
                drawn = section.plot()
                if drawn is not None:
                    figure = (drawn[0] if hasattr(drawn, "__len__") else drawn).figure
                    shown += [text.get_text() for text in figure.findobj(matplotlib.text.Text)]
                    figure.savefig(io.BytesIO(), format="png")
                    plt.close(figure)
                texts[dataset, name] = html.unescape(" ".join(shown))
    plt.close("all")
    assert [str(w.message) for w in caught if "missing from" in str(w.message)] == []
    assert [key for key, text in texts.items() if not HAN.search(text)] == []
    leftovers = {key: [piece for piece in pieces if piece in re.sub(r"[*`]", "", text)] for key, text in texts.items()}
    assert {key: found for key, found in leftovers.items() if found} == {}
    # the figures' own words are in Chinese too: axis labels and pooled levels
    labels = " ".join(texts.values())
    assert "% of rows" not in labels and "% missing" not in labels and "(missing)" not in labels
    # the same check finds the English messages in the English sections: it can fail
    with use_language("en"):
        english_text = " ".join(section.finding() for built in sections.values() for section in built["en"].values())
    assert sum(piece in re.sub(r"[*`]", "", english_text) for piece in pieces) > 3


def test_a_translated_source_line_is_recorded_in_english():
    # the data sets write their source line in the report's language; results keep it in English
    english = study.resolve_settings(StudyRun("mobi", study="data_overview", emit=False, language="en"))
    chinese_run = StudyRun("mobi", study="data_overview", emit=False, language="zh")
    try:
        whole = study.resolve_settings(chinese_run)
        filtered = study.resolve_settings(chinese_run, segment="CUSCO", segment_value=10)
        assert chinese_run.source != english.source and re.search(r"[\u4e00-\u9fff]", chinese_run.source)
        assert study.size_section(whole).results()["source"] == "Real data: mobi (Tenenhaus et al. 2005), n = 250"
        assert (
            study.size_section(filtered)
            .results()["source"]
            .startswith("Real data: mobi (Tenenhaus et al. 2005); only CUSCO = 10 (n = ")
        )
    finally:
        set_language("en")


def test_counts_of_column_kinds_read_as_one_chinese_list():
    frame = pd.DataFrame({"q1": [1, 5], "q2": [2, 4], "flag": [True, False], "x": [0.5, 1.5]})
    with use_language("zh"):
        sentence = study.kinds_finding(study.column_overview(frame))
    assert sentence == "在 4 列中，2 列为评分列、1 列为数值列，以及 1 列为是/否列；评分答案的取值范围为 1 到 5。"
    assert study.kinds_finding(study.column_overview(frame)) == (
        "Of the 4 columns, 2 are ratings, 1 numeric and 1 yes/no; rating answers run from 1 to 5."
    )


# --------------------------------------------------------------------------- whole reports


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """The notebook on small settings, through the batch runner, in English and in Chinese."""
    return run_in_both_languages("data_overview", NOTEBOOK, RUNS, tmp_path_factory.mktemp("overview_i18n"))


@pytest.mark.slow
def test_the_same_runs_record_the_same_results_in_both_languages(reports):
    english, chinese = recorded_runs(reports["en"]), recorded_runs(reports["zh"])
    assert len(english) == len(RUNS) and english.keys() == chinese.keys()
    for key in english:
        left = json.loads((english[key] / "results.json").read_text(encoding="utf-8"))
        right = json.loads((chinese[key] / "results.json").read_text(encoding="utf-8"))
        assert left == right, key
    filtered = [key for key in english if key.startswith("corp_rep")]
    recorded = json.loads((english[filtered[0]] / "results.json").read_text(encoding="utf-8"))
    assert "only serviceprovider = 2" in recorded["source"]


@pytest.mark.slow
def test_the_chinese_report_shows_no_english_message_of_the_study(reports):
    pieces = english_pieces(MODULE, NOTEBOOK)
    for key, folder in recorded_runs(reports["zh"]).items():
        text = re.sub(r"[*`]", "", visible_text((folder / "report.html").read_text(encoding="utf-8")))
        assert HAN.search(text) and "主要发现" in text
        assert sorted(piece for piece in pieces if piece in text) == [], key
    # the English reports do show them: the check above can fail
    for key, folder in recorded_runs(reports["en"]).items():
        text = re.sub(r"[*`]", "", visible_text((folder / "report.html").read_text(encoding="utf-8")))
        assert sum(piece in text for piece in pieces) > 5, key


@pytest.mark.slow
def test_the_chinese_report_draws_its_figures_without_missing_glyphs(reports):
    for key, folder in recorded_runs(reports["zh"]).items():
        node = json.loads((folder / "notebook.ipynb").read_text(encoding="utf-8"))
        outputs = [output for cell in node["cells"] for output in cell.get("outputs", [])]
        assert sum("image/png" in output.get("data", {}) for output in outputs) >= 2, key
        streams = "".join(
            "".join(output.get("text", "")) for output in outputs if output.get("output_type") == "stream"
        )
        assert "missing from" not in streams, key
