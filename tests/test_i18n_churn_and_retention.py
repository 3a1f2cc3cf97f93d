"""The churn and retention study in Chinese: every message translated, the same results, no English left.

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
from csat_analysis.i18n import LANGUAGES, use_language
from csat_analysis.studies import StudyRun
from csat_analysis.studies import churn_and_retention as study

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parents[1]
MODULE = ROOT / "csat_analysis" / "studies" / "churn_and_retention.py"
NOTEBOOK = ROOT / "notebooks" / "churn_and_retention.ipynb"
#: small runs that between them reach every section: real data without causes, weighted simulated data with them
RUNS = [{"dataset": "service_calls_churn"}, {"dataset": "simulated", "n": 2000}]


# --------------------------------------------------------------------------- the catalog


def test_every_message_of_the_module_and_notebook_has_a_chinese_translation():
    n_messages, missing, n_cells, cells_missing = untranslated(MODULE, NOTEBOOK)
    assert n_messages > 150 and missing == []
    assert n_cells >= 10 and cells_missing == []


# --------------------------------------------------------------------------- sections in both languages


@pytest.fixture(scope="module")
def sections():
    """Every section of the study on 2,000 simulated customers, built in English and in Chinese."""
    built = {}
    try:
        for language in LANGUAGES:
            run = StudyRun("simulated", study="churn_and_retention", n=2000, emit=False, language=language)
            chosen = study.settings(run)
            built[language] = (
                run,
                chosen,
                {
                    "examples": study.examples_section(),
                    "tiers": study.tiers_section(),
                    "overall": study.overall_section(chosen),
                    "segments": study.segment_section(chosen),
                    "retention": study.retention_section(chosen),
                    "check": study.simulation_section(chosen),
                    "drivers": study.drivers_section(chosen),
                    "cox": study.cox_section(chosen),
                    "value": study.value_section(chosen),
                    "causes": study.causes_section(chosen),
                },
            )
    finally:
        StudyRun("mobi", study="example", emit=False)  # back to English for the other tests
    return built


def _in(language, function):
    with use_language(language):
        return function()


def test_sections_record_the_same_results_in_both_languages(sections):
    english, chinese = sections["en"][2], sections["zh"][2]
    for name in english:
        left, right = english[name].results(), chinese[name].results()
        assert left.keys() == right.keys(), name
        for key in left:
            if isinstance(left[key], pd.DataFrame):
                pd.testing.assert_frame_equal(left[key], right[key], obj=f"{name}.{key}")
            else:
                assert left[key] == right[key], (name, key)


def test_chinese_findings_tables_and_figures_hold_no_english_message(sections):
    pieces = english_pieces(MODULE, NOTEBOOK)
    run, chosen, built = sections["zh"]
    texts = {}
    with use_language("zh"), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        plots.set_theme()
        texts["settings"] = chosen.describe()
        for name, section in built.items():
            shown = [section.finding(), section.headline()]
            shown += [table.to_html() for table in section.tables()]
            drawn = section.plot()
            if drawn is not None:
                figure = (drawn[0] if hasattr(drawn, "__len__") else drawn).figure
                shown += [text.get_text() for text in figure.findobj(matplotlib.text.Text)]
                figure.savefig(io.BytesIO(), format="png")
                plt.close(figure)
            texts[name] = html.unescape(" ".join(shown))
    plt.close("all")
    assert [str(w.message) for w in caught if "missing from" in str(w.message)] == []
    assert [name for name, text in texts.items() if not HAN.search(text)] == []
    leftovers = {
        name: [piece for piece in pieces if piece in re.sub(r"[*`]", "", text)] for name, text in texts.items()
    }
    assert {name: found for name, found in leftovers.items() if found} == {}
    # the same check finds the English messages in the English sections: it can fail
    english = sections["en"][2]
    with use_language("en"):
        english_text = " ".join(section.finding() for section in english.values())
    assert sum(piece in re.sub(r"[*`]", "", english_text) for piece in pieces) > 10


def test_a_skipped_section_is_recorded_in_english_and_shown_in_chinese():
    try:
        run = StudyRun("service_calls_churn", study="churn_and_retention", emit=False, language="zh")
        chosen = study.settings(run)
        run.show(study.simulation_section(chosen))
        run.show(study.causes_section(chosen))
        summary = run.summary_markdown()
    finally:
        StudyRun("mobi", study="example", emit=False)
    assert run.recorder.results["notes"] == [
        "Check against the known truth: not run because service_calls_churn is real data with no known truth (run it "
        'with dataset="simulated").',
        "Why customers leave: not run because this data set (service_calls_churn) records no churn causes (the "
        'simulator does: dataset="simulated").',
    ]
    assert "与已知真实值的对照检验" in summary and "该数据集（service_calls_churn）没有记录流失原因" in summary
    assert "not run because" not in summary and "records no churn causes" not in summary


def test_the_headline_of_unreached_medians_reads_as_one_chinese_sentence():
    frame = pd.DataFrame({"months": [1, 2, 3, 4, 5, 6], "left": [1, 1, 0, 0, 0, 0], "plan": list("aaabbb")})
    chosen = study.ChurnSettings(
        frame.assign(tenure_months=frame.months),
        "x",
        "user",
        "Hand data",
        "months",
        "left",
        "months",
        ["plan"],
        [],
        None,
        None,
        None,
    )
    with use_language("zh"):
        headline = study.retention_section(chosen).headline()
    assert headline == (
        "在观察到的在网时长内流失的客户不到一半，因此整体生命周期中位数未达到；"
        "最短的生命周期中位数为 2.0 个月（plan = a）。"
    )


# --------------------------------------------------------------------------- whole reports


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """The notebook on small settings, through the batch runner, in English and in Chinese."""
    return run_in_both_languages("churn_and_retention", NOTEBOOK, RUNS, tmp_path_factory.mktemp("churn_i18n"))


@pytest.mark.slow
def test_the_same_runs_record_the_same_results_in_both_languages(reports):
    english, chinese = recorded_runs(reports["en"]), recorded_runs(reports["zh"])
    assert len(english) == len(RUNS) and english.keys() == chinese.keys()
    for key in english:
        left = json.loads((english[key] / "results.json").read_text(encoding="utf-8"))
        right = json.loads((chinese[key] / "results.json").read_text(encoding="utf-8"))
        assert left == right, key
    simulated = [key for key in english if key.startswith("simulated")]
    assert simulated and "churn_causes" in json.loads((english[simulated[0]] / "results.json").read_text())


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
        assert sum(piece in text for piece in pieces) > 20, key


@pytest.mark.slow
def test_the_chinese_report_draws_its_figures_without_missing_glyphs(reports):
    for key, folder in recorded_runs(reports["zh"]).items():
        node = json.loads((folder / "notebook.ipynb").read_text(encoding="utf-8"))
        outputs = [output for cell in node["cells"] for output in cell.get("outputs", [])]
        assert sum("image/png" in output.get("data", {}) for output in outputs) >= 5, key
        streams = "".join(
            "".join(output.get("text", "")) for output in outputs if output.get("output_type") == "stream"
        )
        assert "missing from" not in streams, key
