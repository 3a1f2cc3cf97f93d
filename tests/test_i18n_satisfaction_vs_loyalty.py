"""The satisfaction-versus-loyalty study in Chinese: its messages, its sections and its report.

Every reader-facing message of :mod:`csat_analysis.studies.satisfaction_vs_loyalty`
(collected from the module's source with Babel's extractor, as ``make messages``
does) has a Chinese translation with the same named fields; a ``zh`` run records
exactly what an ``en`` run records; the Chinese report shows none of the module's
English messages; its figures draw without missing glyphs.
"""

from __future__ import annotations

import html
import io
import json
import math
import re
import string
import warnings
from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt
import pytest
from babel.messages.extract import extract_from_file

from csat_analysis import plots
from csat_analysis.i18n import translator, use_language
from csat_analysis.studies import Skipped, StudyRun
from csat_analysis.studies import satisfaction_vs_loyalty as svl

ROOT = Path(__file__).resolve().parents[1]
MODULE = ROOT / "csat_analysis" / "studies" / "satisfaction_vs_loyalty.py"
NOTEBOOK = ROOT / "notebooks" / "satisfaction_vs_loyalty.ipynb"
KEYWORDS = {"_": None, "N_": None, "N_plural": (1, 2), "gettext": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}
HAN = re.compile(r"[\u4e00-\u9fff]")
#: small runs: the real ECSI survey (PLS model), and the simulator (dealer table, NPS, segments, multi-group)
RUNS = {
    "mobi": {"dataset": "mobi", "bootstrap": 30},
    "simulated": {"dataset": "simulated", "n": 1500, "bootstrap": 30, "permutations": 30},
}


def _module_messages() -> list[tuple[str | None, tuple[str, ...]]]:
    """``(context, (msgid, [plural]))`` of every message the study module marks."""
    messages = []
    for _lineno, message, _comments, context in extract_from_file("python", str(MODULE), keywords=KEYWORDS):
        ids = (message,) if isinstance(message, str) else tuple(m for m in message if m)
        messages.append((context, ids))
    return messages


def _fields(text: str) -> set[str]:
    return {name for _text, name, _spec, _conversion in string.Formatter().parse(text) if name is not None}


def test_the_module_marks_its_reader_facing_text():
    messages = _module_messages()
    ids = {ids[0] for _context, ids in messages}
    assert len(messages) > 200
    # findings, section titles, skip reasons and fixes, headers and figure labels are all among them
    assert {
        "Key drivers of satisfaction",
        "the survey description names no drivers",
        "effective n",
        "share of R² (Shapley)",
        "performance (0-100)",  # a figure label; the words the plots draw (e.g. "fitted curve") are marked in plots.py
    } <= ids
    assert any(i.startswith("The Net Promoter Score is {score}") for i in ids)


def test_every_message_of_the_module_has_a_chinese_translation_with_the_same_fields():
    chinese = translator("zh")
    untranslated, wrong_fields = [], []
    for context, ids in _module_messages():
        if len(ids) == 2:
            translated = chinese.ngettext(ids[0], ids[1], 1)
        elif context:
            translated = chinese.pgettext(context, ids[0])
        else:
            translated = chinese.gettext(ids[0])
        # a message that is a name or a symbol ("VIF", "f²") may read the same in Chinese
        if translated == ids[0] and re.search(r"[a-z]{3,} [a-z]{3,}", ids[0]):
            untranslated.append(ids[0])
        if any(_fields(translated) != _fields(i) for i in ids):
            wrong_fields.append(ids[0])
    assert untranslated == [] and wrong_fields == []


def test_the_translations_use_the_standard_statistical_terms():
    chinese = translator("zh")
    assert "置信区间" in chinese.gettext(
        "Rebuilt from {n} respondents: {inside} of {total} rates of the Toyota Motor "
        "Sales U.S.A. dealer study lie inside the 95% intervals."
    )
    assert "显著" in chinese.gettext(
        "Loyalty index from {low} ({segment} {lowest}) to {high} ({segment} "
        "{highest}); the loyal share differs between segments (chi-square "
        "{p_value}, Cramér's V = {effect})."
    )
    assert "卡方检验" in chinese.gettext("chi-square test")
    assert "净推荐值" in chinese.gettext(
        "The Net Promoter Score is {score}: {promoters} promoters (9-10), "
        "{passives} passives (7-8) and {detractors} detractors (0-6)."
    )
    assert "效应量" in chinese.gettext("effect size")
    assert chinese.pgettext("construct", "Satisfaction") == "满意度"


# --------------------------------------------------------------------------- sections, in process


def _sections(language: str):
    """Every section of a corporate-reputation run (one provider, so segments are skipped) in ``language``."""
    run = StudyRun("corp_rep", study="satisfaction_vs_loyalty", emit=False, language=language)
    try:
        settings = svl.resolve_settings(run, segment_value=2)
        model = svl.index_model(settings, bootstrap=30, seed=0)
        sections = [
            svl.setup_section(settings),
            svl.measures_section(settings),
            *svl.curve_sections(settings),
            svl.loyalty_types_section(settings),
            svl.dealer_section(settings),
            svl.recommend_section(settings),
            svl.drivers_section(settings),
            svl.paths_section(model),
            svl.indices_section(model),
            svl.ipma_section(model),
            svl.assessment_section(model),
            svl.prediction_section(model, folds=5, repeats=1),
            svl.segments_section(settings),
            svl.multigroup_section(settings, model, permutations=30),
        ]
        for section in sections:  # what StudyRun.show does, without drawing the figures
            if isinstance(section, Skipped):
                run.skip(section)
            else:
                run.record_all(section.results())
                run.state(section.finding(), section.headline())
        return run, sections
    finally:
        StudyRun("mobi", study="example", emit=False)  # the process language back to English


def test_a_chinese_run_records_what_an_english_run_records_and_writes_chinese():
    english, english_sections = _sections("en")
    chinese, chinese_sections = _sections("zh")
    assert chinese.recorder.results == english.recorder.results
    # the recorded notes of skipped sections are English in both; the reader sees them in Chinese
    assert chinese.notes == english.notes and len(chinese.notes) >= 2
    with use_language("zh"):
        assert all(HAN.search(skipped.note()) for skipped in chinese.skipped)
        assert all(HAN.search(str(section.title)) for section in chinese_sections)  # a title shows translated
        summary = chinese.summary_markdown()
    assert all(HAN.search(finding) for finding in chinese.findings)
    assert all(HAN.search(headline) for headline in chinese.headlines)
    assert not HAN.search(english.summary_markdown())
    # construct names are recorded in English, shown in Chinese
    assert "感知质量" in summary and "Quality->Satisfaction" in chinese.recorder.results["ecsi_paths"]


FIXTURE = ROOT / "tests" / "fixtures" / "study_results" / "satisfaction_vs_loyalty"


def _same(expected, actual) -> bool:
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(k in actual and _same(v, actual[k]) for k, v in expected.items())
    if isinstance(expected, float) and isinstance(actual, float):
        return math.isclose(expected, actual, rel_tol=1e-9, abs_tol=1e-12)
    return expected == actual


@pytest.mark.parametrize("language", ["en", "zh"])
def test_a_chinese_run_records_the_fixture_of_the_default_study_set(language):
    # corp_rep, provider 2, the default settings of `csat run studies/default.yaml`
    run = StudyRun("corp_rep", study="satisfaction_vs_loyalty", emit=False, language=language)
    try:
        settings = svl.resolve_settings(run, model="simple", segment="serviceprovider", segment_value=2)
        model = svl.index_model(settings, bootstrap=1000, seed=0)
        sections = [
            svl.setup_section(settings),
            *svl.curve_sections(settings),
            svl.loyalty_types_section(settings),
            svl.drivers_section(settings),
            svl.paths_section(model),
            svl.indices_section(model),
        ]
        recorded = {}
        for section in sections:
            recorded.update(section.results())
            assert section.finding() and section.tables() is not None
    finally:
        StudyRun("mobi", study="example", emit=False)
    expected = json.loads((FIXTURE / "corp_rep-simple-serviceprovider-segment_value-2.json").read_text())
    assert [name for name, value in expected.items() if not _same(value, recorded.get(name))] == []


def test_chinese_table_headers_and_values():
    _run, sections = _sections("zh")
    drivers = next(s for s in sections if isinstance(s, svl.DriversSection))
    with use_language("zh"):
        page = drivers.tables()[0].to_html()
        assert "驱动因素" in page and "感知质量" in page and "重要性" in page
        assert ">driver<" not in page and ">Quality<" not in page
    assert list(drivers.table["driver"])[0] == "Quality"  # the recorded table keeps its names


def _missing_glyphs(figure) -> list[str]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        figure.savefig(io.BytesIO(), format="png")
    return [str(w.message) for w in caught if "missing from" in str(w.message)]


def test_chinese_figures_draw_without_missing_glyphs():
    _run, sections = _sections("zh")
    simulated = StudyRun("simulated", study="satisfaction_vs_loyalty", n=1500, emit=False, language="zh")
    try:
        settings = svl.resolve_settings(simulated)
        sections += [
            svl.dealer_section(settings),
            svl.recommend_section(settings),
            svl.segments_section(settings),
            svl.loyalty_types_section(settings),
        ]
        with mpl.rc_context():
            plots.set_theme()
            drawn, missing, texts = 0, [], []
            for section in sections:
                axes = section.plot()
                if axes is None:
                    continue
                drawn += 1
                figure = (axes[0] if hasattr(axes, "__len__") else axes).figure
                texts += [text.get_text() for ax in figure.axes for text in [ax.title, ax.xaxis.label, ax.yaxis.label]]
                missing += _missing_glyphs(figure)
                plt.close(figure)
    finally:
        StudyRun("mobi", study="example", emit=False)
    assert drawn >= 9 and missing == []
    assert all(HAN.search(text) for text in texts if re.search(r"[a-z]{3,} [a-z]{3,}", text))


# --------------------------------------------------------------------------- the notebook, through the batch runner


def _visible_text(page: str) -> str:
    page = re.sub(r"<(style|script)\b.*?</\1>", " ", page, flags=re.S | re.I)
    page = re.sub(r"<pre\b.*?</pre>", " ", page, flags=re.S | re.I)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def _plain(markdown: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[*`#]", "", markdown)).strip()


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """The study run on its small settings in English and in Chinese: ``{(language, run): folder}``."""
    from csat_analysis.runner import load_studies, run_batch

    root = tmp_path_factory.mktemp("svl_i18n")
    runs = json.dumps(list(RUNS.values()))
    spec = root / "spec.yaml"
    spec.write_text(f"studies:\n  - {{name: satisfaction_vs_loyalty, notebook: {NOTEBOOK}, runs: {runs}}}\n")
    studies = load_studies(spec)
    folders = {}
    for language in ("en", "zh"):
        result = run_batch(studies, root / language, workers=2, progress=False, language=language)
        assert not result.failed, [(o.run.key, o.error) for o in result.failed]
        for name in RUNS:
            [folder] = [
                p
                for p in (root / language / "satisfaction_vs_loyalty").iterdir()
                if p.is_dir() and p.name.startswith(name)
            ]
            folders[language, name] = folder
    return folders


@pytest.mark.slow
@pytest.mark.parametrize("name", list(RUNS))
def test_the_notebook_records_the_same_results_in_both_languages(reports, name):
    english = json.loads((reports["en", name] / "results.json").read_text(encoding="utf-8"))
    chinese = json.loads((reports["zh", name] / "results.json").read_text(encoding="utf-8"))
    assert chinese == english and "n_respondents" in english


@pytest.mark.slow
@pytest.mark.parametrize("name", list(RUNS))
def test_the_chinese_report_shows_no_english_message_of_the_module(reports, name):
    text = _visible_text((reports["zh", name] / "report.html").read_text(encoding="utf-8"))
    assert "参考文献" in text
    text = text[: text.rindex("参考文献")]  # the references (titles of published sources) stay as published
    english_text = _visible_text((reports["en", name] / "report.html").read_text(encoding="utf-8"))
    leftovers, shown_in_english = [], 0
    for _context, ids in _module_messages():
        # the literal parts of each message between its fields, of two words or more
        for part in re.split(r"\{\w+\}", ids[0]):
            plain = _plain(part).strip(" ;:,.()")
            if not re.search(r"[A-Za-z]{2,}\W+[A-Za-z]{2,}", plain) or len(plain) < 8:
                continue
            shown_in_english += plain in english_text
            if plain in text:
                leftovers.append(plain)
    assert sorted(set(leftovers)) == []
    assert shown_in_english > 50  # the check can fail: the English report shows these messages
    assert "主要发现" in text and "满意度" in text


@pytest.mark.slow
@pytest.mark.parametrize("name", list(RUNS))
def test_the_chinese_report_draws_its_figures_without_missing_glyphs(reports, name):
    node = json.loads((reports["zh", name] / "notebook.ipynb").read_text(encoding="utf-8"))
    outputs = [output for cell in node["cells"] for output in cell.get("outputs", [])]
    assert sum("image/png" in output.get("data", {}) for output in outputs) >= 5
    streams = "".join("".join(output.get("text", "")) for output in outputs if output.get("output_type") == "stream")
    assert "missing from" not in streams
