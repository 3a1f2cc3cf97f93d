"""The complaint resolution study in Chinese: same results as in English, no English left, every glyph drawn."""

import io
import json
import math
import re
import warnings
from pathlib import Path

import matplotlib
import pytest

from csat_analysis import plots
from csat_analysis.i18n import translate_notebook, translator, use_language
from csat_analysis.report import results_from_notebook
from csat_analysis.studies import StudyRun
from csat_analysis.studies import complaint_resolution as study

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "complaint_resolution.ipynb"
MODULE = ROOT / "csat_analysis" / "studies" / "complaint_resolution.py"
FIXTURES = ROOT / "tests" / "fixtures" / "study_results" / "complaint_resolution"
SECTIONS = (
    "data_section",
    "funnel_section",
    "tarp_section",
    "chi_square_section",
    "odds_section",
    "paradox_section",
    "resolution_section",
    "calls_section",
    "handling_section",
    "word_of_mouth_section",
)


def module_messages() -> list[tuple[str | None, str]]:
    """Every ``(context, English message)`` the study module puts in the catalog (singular and plural)."""
    return [
        (context, text)
        for context, message in catalog_entries()
        for text in (message if isinstance(message, tuple) else (message,))
    ]


def catalog_entries() -> list[tuple[str | None, str | tuple[str, str]]]:
    """The module's catalog entries as the extractor finds them: ``(context, message or (singular, plural))``."""
    from babel.messages.extract import extract_from_file

    keywords = {"_": None, "N_": None, "N_plural": (1, 2), "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}
    return [
        (context, message)
        for _line, message, _comments, context in extract_from_file("python", str(MODULE), keywords=keywords)
    ]


def in_chinese(context: str | None, message) -> str:
    zh = translator("zh")
    if isinstance(message, tuple):
        return zh.ngettext(*message, 2)
    return zh.pgettext(context, message) if context else zh.gettext(message)


def english_phrases(message: str) -> list[str]:
    """The fixed English wording of a message: its pieces between fields and code, of three words or more."""
    prose = re.sub(r"`[^`]*`", "\x00", message)
    pieces = re.split(r"\{\w*\}|\x00|[():;,.\[\]*]", prose)
    return [piece.strip() for piece in pieces if len(re.findall(r"[A-Za-z]{2,}", piece)) >= 3]


def same(expected, actual) -> bool:
    """``expected`` (recorded before) is kept in ``actual``: same names, same values (floats to rounding)."""
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(k in actual and same(v, actual[k]) for k, v in expected.items())
    if isinstance(expected, list):
        return isinstance(actual, list) and len(expected) == len(actual) and all(map(same, expected, actual))
    if isinstance(expected, float) and isinstance(actual, (int, float)):
        return math.isclose(expected, actual, rel_tol=1e-9, abs_tol=1e-12)
    return expected == actual


def run_notebook(tmp_path, language, **parameters):
    papermill = pytest.importorskip("papermill")
    import nbformat

    source = nbformat.read(str(NOTEBOOK), as_version=4)
    assert translate_notebook(source, language) == []  # as the batch runner does for a zh run
    folder = tmp_path / language
    folder.mkdir()
    translated = folder / "in.ipynb"
    nbformat.write(source, str(translated))
    output = folder / "out.ipynb"
    papermill.execute_notebook(
        str(translated),
        str(output),
        parameters={**parameters, "language": language},
        kernel_name="python3",
        cwd=str(folder),
        progress_bar=False,
    )
    notebook = json.loads(output.read_text(encoding="utf-8"))
    return results_from_notebook(notebook), notebook


def report_text(notebook) -> str:
    """What a reader sees: Markdown cells, Markdown and HTML outputs (tables), printed text."""
    parts = []
    for cell in notebook["cells"]:
        if cell["cell_type"] == "markdown":
            parts.append("".join(cell["source"]))
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            for kind in ("text/markdown", "text/html"):
                if kind in data:
                    parts.append("".join(data[kind]))
            if output.get("name") == "stdout":
                parts.append("".join(output["text"]))
    return "\n".join(parts)


# --- the catalog ---------------------------------------------------------------------------


def test_every_message_of_the_module_and_notebook_has_a_chinese_translation():
    import nbformat

    entries = catalog_entries()
    assert len(entries) > 150  # the extraction finds the module's messages (a broken keyword list finds none)
    untranslated = [
        (context, message)
        for context, message in entries
        if in_chinese(context, message) == (message[1] if isinstance(message, tuple) else message)
    ]
    # short words the same in both languages: a name (TARP), a symbol pair, a field-only template
    assert [entry for entry in untranslated if english_phrases(str(entry[1]))] == []
    assert len(untranslated) <= 5, untranslated
    assert translate_notebook(nbformat.read(str(NOTEBOOK), as_version=4), "zh") == []


def test_translations_keep_every_named_field():
    for context, message in catalog_entries():
        english = message[1] if isinstance(message, tuple) else message
        fields = set(re.findall(r"\{(\w*)\}", english))
        assert set(re.findall(r"\{(\w*)\}", in_chinese(context, message))) == fields, english


def test_the_phrase_check_sees_english_wording():
    # the control of the report check below: it finds the English pieces of a template, not its fields or code
    assert english_phrases("Churn jumps at {threshold} ({calls}): {rate} against {below} below") == ["Churn jumps at"]
    assert english_phrases("name the `complaint.calls` and `complaint.churned` roles") == []


def test_a_skipped_section_records_its_note_in_english_and_shows_it_in_chinese():
    run = StudyRun("mobi", study="complaint_resolution", emit=False, language="zh")
    try:
        section = study.tarp_section(study.settings(run, bootstrap=0))
        run.show(section)
        assert run.notes == [
            "TARP table: not run because `mobi` has no complaint statuses (name the "
            "`complaint.status` role, or `problem`, `complained` and `resolved`)."
        ]
        assert section.note() == (
            "TARP 表：未运行，原因是`mobi` 中没有投诉状态（请指定 `complaint.status` 角色，或 "
            "`problem`、`complained` 和 `resolved`）。"
        )
    finally:
        StudyRun("mobi", study="complaint_resolution", emit=False)  # back to English for the tests that follow


def _log(times: list, statuses=("resolved", "resolved_quickly", "unresolved", "no_problem")):
    """A complaint log of 12 customers with these resolution ``times`` (hours; None: no time)."""
    import pandas as pd
    from test_studies_complaint_resolution import fake_run

    log = pd.DataFrame(
        {
            "complaint_status": list(statuses) * (12 // len(statuses)),
            "severity": ["minor"] * 12,
            "repurchase": [1, 0] * 6,
            "resolution_hours": times,
        }
    )
    return study.settings(fake_run(log), bootstrap=0)


def test_a_count_in_a_note_takes_the_plural_form_of_the_language_shown():
    one, three = (
        study.resolution_section(_log([5.0] + [None] * 11)),
        study.resolution_section(_log([5.0] * 3 + [None] * 9)),
    )
    assert one.reason.startswith("only 1 resolved complaint has a resolution time")
    assert three.reason.startswith("only 3 resolved complaints have a resolution time")
    with use_language("zh"):
        assert one.note() == (
            "解决时长：未运行，原因是只有 1 条已解决的投诉同时具有解决时长和已知结果（至少需要 12 条）"
            "（请使用更多受访者或更大的细分群体）。"
        )
        assert str(three.reason).startswith("只有 3 条已解决的投诉")
    assert three.note().startswith("Resolution time: not run because only 3 resolved complaints have")


def test_a_note_names_its_groups_in_the_language_shown():
    section = study.paradox_section(_log([30.0, None] * 6, statuses=("resolved", "unresolved")))
    assert section.reason == "no customer with a known outcome is in the group resolved quickly or no problem"
    with use_language("zh"):
        assert str(section.reason) == "“快速解决或未遇到问题”组中没有结果已知的顾客"
        made_in_chinese = study.paradox_section(_log([30.0, None] * 6, statuses=("resolved", "unresolved")))
    assert made_in_chinese.reason == section.reason and made_in_chinese.note() == section.note()


def test_findings_are_chinese_and_numbers_unchanged():
    result = study.complaints.RecoveryParadox(0.8, 0.6, 70, 80, 0.2, 0.05, 0.33, 0.01, "supported")
    with use_language("zh"):
        sentence = study.paradox_finding(result, "再购买")
    assert sentence.startswith("服务补救悖论：**得到支持**：")
    assert "+20.0 个百分点 [+5.0 个百分点, +33.0 个百分点]" in sentence and "p = 0.010" in sentence
    assert study.paradox_record(result)["verdict"] == "supported"


# --- figures -------------------------------------------------------------------------------


def test_chinese_figures_render_without_missing_glyphs():
    import matplotlib.pyplot as plt

    with matplotlib.rc_context():
        plots.set_theme()
        run = StudyRun("simulated", study="complaint_resolution", n=3000, seed=4, emit=False, language="zh")
        try:
            settings = study.settings(run, bootstrap=0)
            drawn, messages = 0, []
            for name in SECTIONS:
                section = getattr(study, name)(settings)
                figure = section.plot()
                if figure is None:
                    continue
                figure = getattr(figure, "figure", figure)
                texts = " ".join(t.get_text() for t in figure.findobj(matplotlib.text.Text))
                assert re.search(r"[\u4e00-\u9fff]", texts), name  # the figure does carry Chinese words
                with warnings.catch_warnings(record=True) as caught:
                    warnings.simplefilter("always")
                    figure.savefig(io.BytesIO(), format="png")
                messages += [str(w.message) for w in caught if "missing from" in str(w.message)]
                drawn += 1
                plt.close("all")
        finally:
            StudyRun("mobi", study="complaint_resolution", emit=False)
    assert drawn >= 5 and messages == []


# --- the notebook through papermill ----------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(
    "parameters",
    [
        {"dataset": "service_calls_churn"},
        {"dataset": "simulated", "n": 2000, "bootstrap": 20},
    ],
    ids=["service_calls_churn", "simulated"],
)
def test_zh_run_records_what_the_en_run_records_and_reads_chinese(tmp_path, parameters):
    english, _ = run_notebook(tmp_path, "en", **parameters)
    chinese, notebook = run_notebook(tmp_path, "zh", **parameters)
    assert json.dumps(chinese, sort_keys=True) == json.dumps(english, sort_keys=True)
    fixture = FIXTURES / f"{parameters['dataset']}.json"
    if "n" not in parameters:  # the default settings of the fixture run
        assert same(json.loads(fixture.read_text(encoding="utf-8")), chinese)
    text = report_text(notebook)
    assert "主要发现" in text and "参考文献" in text
    left = sorted(
        {phrase for _context, message in module_messages() for phrase in english_phrases(message) if phrase in text}
    )
    assert left == []
