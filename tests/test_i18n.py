"""Reports in Chinese: the message catalog, the current language, and zh reports.

The catalog checks read the ``.po`` source with Babel; the report checks run each
study notebook in English and in Chinese through the batch runner (slow) and compare
what they record and what a reader sees.
"""

from __future__ import annotations

import html
import importlib.util
import io
import json
import os
import re
import shutil
import string
import warnings
from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt
import pytest
from babel.messages.pofile import read_po
from matplotlib import font_manager

from csat_analysis import formatting, i18n, plots
from csat_analysis.errors import ParameterError
from csat_analysis.i18n import LANGUAGES, translate_notebook, translator, use_language

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
PO_PATH = ROOT / "csat_analysis" / "locale" / "zh" / "LC_MESSAGES" / "csat_analysis.po"
#: small settings under which each study notebook runs in a few seconds
QUICK_PARAMETERS = {
    "data_overview": {"dataset": "mobi"},
    "satisfaction_vs_loyalty": {"dataset": "mobi", "bootstrap": 30},
    "complaint_resolution": {"dataset": "simulated", "n": 3000, "bootstrap": 0},
    "churn_and_retention": {"dataset": "service_calls_churn"},
    "customer_comments": {"dataset": "fine_food_reviews", "sample": 600, "n_topics": 4},
}
HAN = re.compile(r"[\u4e00-\u9fff]")


def _catalog():
    with open(PO_PATH, "rb") as source:
        return read_po(source)


def _messages():
    return [message for message in _catalog() if message.id]


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def _extractor():
    spec = importlib.util.spec_from_file_location("extract_messages", ROOT / "scripts" / "extract_messages.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --------------------------------------------------------------------------- the catalog


def test_every_message_has_a_chinese_translation_and_none_is_fuzzy():
    messages = _messages()
    assert len(messages) > 50

    def translated(message):
        return all(message.string) if isinstance(message.string, tuple) else bool(message.string)

    untranslated = [message.id for message in messages if not translated(message)]
    fuzzy = [message.id for message in messages if message.fuzzy]
    assert untranslated == [] and fuzzy == []


#: messages that read the same in Chinese: citations, statistics' symbols and abbreviations
SAME_IN_CHINESE = {"TARP (1986)", "RMSE", "MAE", "f²", "VIF", "HTMT", "R²", "rhoA", "{where} (V {v}, {p})"}


def test_translations_are_chinese_and_keep_every_named_field():
    for message in _messages():
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for translated in strings:
            assert _fields(translated) == _fields(ids[0]), message.id
            # "; " or "{role} `{column}` ({note})" has no words outside its fields to translate
            if any(ch.isalpha() for ch in re.sub(r"\{[^{}]*\}", "", ids[0])) and ids[0] not in SAME_IN_CHINESE:
                assert HAN.search(translated), f"not translated into Chinese: {message.id!r} -> {translated!r}"


def test_the_catalog_uses_the_standard_statistical_terms():
    text = " ".join(message.string for message in _messages() if isinstance(message.string, str))
    for term in (
        "置信区间",
        "净推荐值",
        "流失率",
        "忠诚度",
        "满意度指数",
        "投诉",
        "中位",
        "优势比",
        "显著",
        "样本量",
        "效应量",
        "卡方检验",
        "区分效度",
    ):
        assert term in text, term


def test_the_template_holds_every_message_of_the_code_and_notebooks():
    # the .pot and the .po are current: `make messages` was run after the last text change
    extractor = _extractor()
    expected = {message.id for message in extractor.build_template() if message.id}
    with open(ROOT / "csat_analysis" / "locale" / "csat_analysis.pot", "rb") as source:
        template = {message.id for message in read_po(source) if message.id}
    assert template == expected
    assert {message.id for message in _messages()} == expected


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[path.stem for path in NOTEBOOKS])
def test_every_markdown_cell_of_every_study_notebook_is_translated(path):
    import nbformat

    node = nbformat.read(path, as_version=4)
    english = [cell.source for cell in node.cells if cell.cell_type == "markdown"]
    assert translate_notebook(node, "zh") == []
    chinese = [cell.source for cell in node.cells if cell.cell_type == "markdown"]
    assert len(chinese) == len(english) and all(HAN.search(text) for text in chinese)

    # headings keep their level, so the report's table of contents keeps its shape
    def levels(texts):
        return [re.match(r"#*", text).group() for text in texts]

    assert levels(chinese) == levels(english)


def test_a_markdown_cell_the_catalog_lacks_stays_and_is_reported():
    import nbformat

    node = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("## A heading nobody translated"),
            nbformat.v4.new_markdown_cell("## Source and size"),
        ]
    )
    assert translate_notebook(node, "zh") == ["## A heading nobody translated"]
    assert [cell.source for cell in node.cells] == ["## A heading nobody translated", "## 来源与规模"]
    assert node.metadata["csat_analysis"]["language"] == "zh"


# --------------------------------------------------------------------------- the machinery


def test_languages_and_the_error_for_any_other():
    assert LANGUAGES == ("en", "zh")
    for wrong in ("fr", "zh_CN", "", None, "ZH"):
        with pytest.raises(ParameterError, match="language must be one of 'en', 'zh'"):
            translator(wrong)


def test_english_is_the_source_language():
    english = translator("en")
    assert english.gettext("Key findings") == "Key findings"
    assert english.ngettext("{n} note", "{n} notes", 1) == "{n} note"
    assert english.ngettext("{n} note", "{n} notes", 2) == "{n} notes"
    assert english.pgettext("any context", "References") == "References"


def test_chinese_has_one_plural_form():
    chinese = translator("zh")
    one, seven = chinese.ngettext("{n} note", "{n} notes", 1), chinese.ngettext("{n} note", "{n} notes", 7)
    assert one == seven == "{n} 条说明"


def test_use_language_scopes_the_helpers_and_restores_the_language():
    assert i18n.current_language() == "en"
    with use_language("zh"):
        assert i18n._("Key findings") == "主要发现"
        with use_language("en"):
            assert i18n._("Key findings") == "Key findings"
        assert i18n.ngettext("{n} note", "{n} notes", 2).format(n=2) == "2 条说明"
    assert i18n._("Key findings") == "Key findings"


def test_a_message_records_english_and_shows_the_current_language():
    reason = i18n.Message(i18n.N_("`{data}` has no {what}"), data="mobi", what=i18n.Message(i18n.N_("loyalty items")))
    assert reason == "`mobi` has no loyalty items" and str(reason) == f"{reason}" == reason
    with use_language("zh"):
        assert str(reason) == f"{reason}" == "`mobi` 中没有忠诚度题项"
        assert reason == "`mobi` has no loyalty items"  # the value compared and recorded stays English
        assert i18n.Message(reason.message, **reason.fields) == reason  # made in a Chinese run: still English


def test_a_plural_message_picks_its_form_in_the_language_shown():
    one, seven = (i18n.Message(i18n.N_plural("{n} note", "{n} notes"), n=count) for count in (1, 7))
    assert (one, seven) == ("1 note", "7 notes")
    with use_language("zh"):
        assert (str(one), f"{seven}") == ("1 条说明", "7 条说明")
    with pytest.raises(ParameterError, match="needs its count n="):
        i18n.Message(i18n.N_plural("{n} note", "{n} notes"), count=2)


def test_a_callable_field_is_written_when_the_message_is_shown():
    calls = []

    def name() -> str:
        calls.append(i18n.current_language())
        return i18n._("References")

    note = i18n.Message(i18n.N_("{title}: not run because {reason}."), title=name, reason="no data")
    assert note == "References: not run because no data." and calls == ["en"]
    with use_language("zh"):
        assert str(note) == "参考文献：未运行，原因是no data。"
    assert calls == ["en", "zh"]


def test_a_message_pickles_and_copies_with_its_fields():
    import copy
    import pickle

    notes = i18n.Message(i18n.N_plural("{n} note", "{n} notes"), n=3)
    for again in (pickle.loads(pickle.dumps(notes)), copy.deepcopy(notes)):
        assert type(again) is i18n.Message and again == "3 notes"
        with use_language("zh"):
            assert str(again) == "3 条说明"


def test_the_extractor_reads_n_plural_as_one_plural_entry(tmp_path):
    from babel.messages.extract import extract_from_file

    source = tmp_path / "module.py"
    source.write_text('Message(N_plural("{n} note", "{n} notes"), n=count)\nMessage(N_("References"))\n')
    found = [
        message
        for _line, message, _comments, _context in extract_from_file(
            "python", str(source), keywords=_extractor().KEYWORDS
        )
    ]
    assert found == [("{n} note", "{n} notes"), "References"]


def _copy_catalog(tmp_path, monkeypatch):
    locale = tmp_path / "locale"
    folder = locale / "zh" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    shutil.copy(PO_PATH, folder / PO_PATH.name)
    monkeypatch.setattr(i18n, "LOCALE_DIR", locale)
    i18n._load.cache_clear()
    return folder


def test_without_a_compiled_catalog_the_po_compiles_in_memory(tmp_path, monkeypatch):
    folder = _copy_catalog(tmp_path, monkeypatch)
    assert not (folder / "csat_analysis.mo").exists()
    assert translator("zh").gettext("References") == "参考文献"
    assert list(folder.iterdir()) == [folder / "csat_analysis.po"]  # nothing written into the package
    i18n._load.cache_clear()


def test_a_compiled_catalog_older_than_its_source_is_not_used(tmp_path, monkeypatch):
    folder = _copy_catalog(tmp_path, monkeypatch)
    po, mo = folder / "csat_analysis.po", folder / "csat_analysis.mo"
    mo.write_bytes(i18n.compile_catalog(po))
    assert translator("zh").gettext("References") == "参考文献"  # read from the .mo
    edited = po.read_text(encoding="utf-8").replace('msgstr "参考文献"', 'msgstr "引用文献"')
    po.write_text(edited, encoding="utf-8")
    os.utime(mo, ns=(po.stat().st_mtime_ns - 10**9,) * 2)
    assert translator("zh").gettext("References") == "引用文献"  # the newer .po wins
    i18n._load.cache_clear()


def test_fuzzy_translations_are_not_used(tmp_path, monkeypatch):
    folder = _copy_catalog(tmp_path, monkeypatch)
    po = folder / "csat_analysis.po"
    po.write_text(
        po.read_text(encoding="utf-8").replace('msgid "Contents"', '#, fuzzy\nmsgid "Contents"'), encoding="utf-8"
    )
    assert translator("zh").gettext("Contents") == "Contents"
    assert translator("zh").gettext("References") == "参考文献"
    i18n._load.cache_clear()


# --------------------------------------------------------------------------- numbers


@pytest.mark.parametrize("value", [0.72, 0.0004, 1234.5678, -0.004, 0.305, 1e6 + 0.5])
def test_numbers_show_the_same_digits_in_both_languages(value):
    # zh_Hans_CN writes numbers as en_US does (Babel/CLDR: "." decimal, "," group, "#,##0%")
    for formatter in (formatting.number, formatting.signed, formatting.percent):
        assert formatter(value, language="zh") == formatter(value, language="en") == formatter(value)
    assert formatting.estimate(0.662, 0.621, 0.703, language="zh") == "66.2% [62.1%, 70.3%]"


def test_the_babel_conventions_are_read_from_the_locale_data():
    from babel import Locale, numbers

    rules = formatting._conventions("zh")
    assert rules["decimal"] == numbers.get_decimal_symbol("zh_Hans_CN")
    assert rules["group"] == numbers.get_group_symbol("zh_Hans_CN")
    pattern = Locale.parse("zh_Hans_CN").percent_formats[None].pattern
    assert rules["percent"].format("72.0") == numbers.format_decimal(72, "#,##0.0", locale="zh_Hans_CN") + "%"
    assert pattern.endswith("%")


def test_words_among_the_numbers_are_translated():
    assert formatting.percentage_points(0.052, language="zh") == "+5.2 个百分点"
    assert formatting.percentage_points(0.052) == "+5.2 pp"
    assert formatting.number(None, language="zh") == "无数据"
    assert formatting.number(None, language="zh", missing="-") == "-"
    assert formatting.format_result("converged", True, language="zh") == "是"
    assert formatting.format_result("short_stave", [], language="zh") == "无"
    with use_language("zh"):
        shown = formatting.estimate(0.031, -0.02, 0.082, kind="points")
        assert shown == "+3.1 个百分点 [-2.0 个百分点, +8.2 个百分点]"
        assert formatting.p_value(0.0004, label=True) == "p < 0.001"


# --------------------------------------------------------------------------- the study run


def test_study_run_in_chinese_writes_the_shared_text_in_chinese():
    from csat_analysis.studies import Skipped, StudyRun

    try:
        run = StudyRun("mobi", study="example", emit=False, language="zh")
        assert run.language == "zh" and i18n.current_language() == "zh"
        run.cite("wilson1927")
        run.skip(Skipped("Dealer table", "the data have no dealer columns", fix="use the simulator"))
        summary = run.summary_markdown()
        assert summary.startswith("**主要发现**")
        expected = "在这些数据上未运行：Dealer table，原因是the data have no dealer columns（use the simulator）。"
        assert expected in summary
        assert run.references_markdown().startswith("## 参考文献")
        # the recorded note does not depend on the language
        assert run.recorder.results["notes"] == [
            "Dealer table: not run because the data have no dealer columns (use the simulator)."
        ]
        assert run.label("CUSA1") == run.survey.label("CUSA1", language="zh")
    finally:
        english = StudyRun("mobi", study="example", emit=False)
    assert english.language == "en" and i18n.current_language() == "en"
    with pytest.raises(ParameterError, match="language"):
        StudyRun("mobi", study="example", emit=False, language="fr")


def test_every_study_declares_the_language_parameter():
    import importlib

    for path in NOTEBOOKS:
        module = importlib.import_module(f"csat_analysis.studies.{path.stem}")
        assert module.PARAMETERS["language"] == "en"


# --------------------------------------------------------------------------- figures


def test_every_chinese_message_renders_in_the_theme_font():
    # the font's character map holds every character the catalog can put on a figure
    family = plots.cjk_font()
    assert family is not None
    path = font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
    charmap = font_manager.get_font(path).get_charmap()
    text = "".join(message.string for message in _messages() if isinstance(message.string, str))
    assert sorted({ch for ch in text if ord(ch) > 0x2E7F and ord(ch) not in charmap}) == []


def test_a_figure_with_chinese_labels_has_no_missing_glyphs():
    with mpl.rc_context():
        plots.set_theme()
        chinese = translator("zh")
        fig, ax = plt.subplots()
        ax.bar([chinese.gettext("Study"), chinese.gettext("Status")], [1, 2])
        ax.set_title(chinese.gettext("Key findings"))
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fig.savefig(io.BytesIO(), format="png")
        plt.close(fig)
    assert [str(w.message) for w in caught if "missing from font" in str(w.message)] == []


# --------------------------------------------------------------------------- the index page


def test_the_index_page_in_chinese(tmp_path):
    from csat_analysis.runner import write_index

    page = write_index(tmp_path, [], language="zh").read_text(encoding="utf-8")
    assert '<html lang="zh-Hans">' in page and "<h1>csat-analysis 报告</h1>" in page
    assert "<th>运行</th>" in page and "本批次：共 0 次运行" in page
    english = write_index(tmp_path, [], language="en").read_text(encoding="utf-8")
    assert "<th>Run</th>" in english and "This batch: 0 runs" in english


def test_a_spec_may_set_the_language_of_a_study(tmp_path):
    from csat_analysis.errors import StudyError
    from csat_analysis.runner import load_studies, with_language

    notebook = ROOT / "notebooks" / "data_overview.ipynb"
    spec = tmp_path / "spec.yaml"
    spec.write_text(f"notebook: {notebook}\nlanguage: zh\nruns: [{{dataset: mobi}}]\n")
    [study] = load_studies(spec)
    assert study.runs[0].parameters == {"language": "zh", "dataset": "mobi"}
    assert with_language(study.runs, "en")[0].parameters["language"] == "en"
    spec.write_text(f"notebook: {notebook}\nlanguage: fr\nruns: [{{dataset: mobi}}]\n")
    with pytest.raises(StudyError, match="key 'language'.*'fr'"):
        load_studies(spec)


# --------------------------------------------------------------------------- whole reports


def _visible_text(page: str) -> str:
    page = re.sub(r"<(style|script)\b.*?</\1>", " ", page, flags=re.S | re.I)
    page = re.sub(r"<pre\b.*?</pre>", " ", page, flags=re.S | re.I)  # code, if shown
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def _plain(markdown: str) -> str:
    # a message as the reader sees it rendered: no Markdown marks, one space between words
    text = re.sub(r"[*`#]", "", markdown)
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def both_languages(tmp_path_factory):
    """Every study notebook run on its small setting in English and in Chinese."""
    from csat_analysis.runner import load_studies, run_batch

    root = tmp_path_factory.mktemp("i18n")
    entries = []
    for path in NOTEBOOKS:
        run = json.dumps(QUICK_PARAMETERS[path.stem])
        entries.append(f"  - {{name: {path.stem}, notebook: {path}, runs: [{run}]}}")
    spec = root / "spec.yaml"
    spec.write_text("studies:\n" + "\n".join(entries) + "\n")
    studies = load_studies(spec)
    reports = {}
    for language in LANGUAGES:
        result = run_batch(studies, root / language, workers=2, progress=False, language=language)
        assert not result.failed, [(o.run.key, o.error) for o in result.failed]
        reports[language] = root / language
    return reports


@pytest.mark.slow
@pytest.mark.parametrize("study", [path.stem for path in NOTEBOOKS])
def test_the_same_run_records_the_same_results_in_both_languages(both_languages, study):
    [english] = (both_languages["en"] / study).glob("*/results.json")
    [chinese] = (both_languages["zh"] / study).glob("*/results.json")
    assert json.loads(english.read_text(encoding="utf-8")) == json.loads(chinese.read_text(encoding="utf-8"))


@pytest.mark.slow
@pytest.mark.parametrize("study", [path.stem for path in NOTEBOOKS])
def test_a_chinese_report_shows_no_catalog_message_in_english(both_languages, study):
    [report] = (both_languages["zh"] / study).glob("*/report.html")
    text = _visible_text(report.read_text(encoding="utf-8"))
    assert HAN.search(text)
    # the References section (last) lists published works under their own titles
    text = text.rsplit("参考文献", 1)[0]
    # the reader-facing messages (several words; short words such as "no" occur inside names and data)
    leftovers = []
    for message in _messages():
        english = message.id[0] if isinstance(message.id, tuple) else message.id
        plain = _plain(re.sub(r"\{\w+\}", "", english))
        if plain.count(" ") >= 1 and len(plain) >= 12 and plain in text:
            leftovers.append(plain)
    assert leftovers == []
    # and the English report does show them: the check above can fail
    [english_report] = (both_languages["en"] / study).glob("*/report.html")
    english_text = _visible_text(english_report.read_text(encoding="utf-8"))
    assert "Key findings" in english_text or "Contents" in english_text


@pytest.mark.slow
@pytest.mark.parametrize("study", [path.stem for path in NOTEBOOKS])
def test_a_chinese_report_draws_its_figures_without_missing_glyphs(both_languages, study):
    [notebook] = (both_languages["zh"] / study).glob("*/notebook.ipynb")
    node = json.loads(notebook.read_text(encoding="utf-8"))
    outputs = [output for cell in node["cells"] for output in cell.get("outputs", [])]
    assert any("image/png" in output.get("data", {}) for output in outputs), "the report drew no figure"
    streams = "".join("".join(output.get("text", "")) for output in outputs if output.get("output_type") == "stream")
    assert "missing from font" not in streams and "missing from current font" not in streams


@pytest.mark.slow
def test_the_chinese_index_lists_every_study(both_languages):
    page = (both_languages["zh"] / "index.html").read_text(encoding="utf-8")
    assert "csat-analysis 报告" in page
    for path in NOTEBOOKS:
        assert f"<code>{path.stem}</code>" in page
    assert "This batch" not in _visible_text(page)


def test_the_chinese_index_counts_notes_without_listing_their_english_text():
    from csat_analysis.runner import _notes_cell

    notes = {"notes": ["Dealer table: not run because the data have no dealer columns."]}
    chinese = _notes_cell(notes, "zh")
    assert HAN.search(chinese) and "Dealer" not in chinese
    assert "Dealer table" in _notes_cell(notes, "en")
