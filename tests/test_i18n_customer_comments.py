"""The customer-comments study in Chinese: same results as in English, no English catalog text, CJK figures."""

from __future__ import annotations

import io
import json
import re
import string
import warnings
from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt
import nbformat
import pytest
from babel.messages.extract import extract_from_file

from csat_analysis import plots
from csat_analysis.i18n import set_language, translate_notebook, translator, use_language
from csat_analysis.studies import StudyRun
from csat_analysis.studies import customer_comments as study

ROOT = Path(__file__).resolve().parents[1]
MODULE = ROOT / "csat_analysis" / "studies" / "customer_comments.py"
NOTEBOOK = ROOT / "notebooks" / "customer_comments.ipynb"
KEYWORDS = {"_": None, "gettext": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}
#: messages a Chinese report may legitimately show as they are (fields only, or symbols)
LANGUAGE_NEUTRAL = {"{segment} = {value}", ", "}


@pytest.fixture(autouse=True)
def english_afterwards():
    """A zh StudyRun makes Chinese the process language: every test leaves English behind."""
    yield
    set_language("en")


def catalog_entries() -> list[tuple[str | None, str | tuple[str, str]]]:
    """(context, message) of every catalog message the module marks (a plural message: its two forms)."""
    return [
        (context, message)
        for _line, message, _comments, context in extract_from_file("python", str(MODULE), keywords=KEYWORDS)
    ]


def module_messages() -> list[tuple[str | None, str]]:
    """(context, English text) of every message the module marks, both forms of a plural."""
    return [
        (context, text)
        for context, message in catalog_entries()
        for text in (message if isinstance(message, tuple) else (message,))
    ]


def _translated(zh, context, message) -> str:
    if isinstance(message, tuple):
        return zh.ngettext(message[0], message[1], 2)
    return zh.pgettext(context, message) if context else zh.gettext(message)


def english_fragments(message: str) -> list[str]:
    """The literal runs of an English template (between its fields) that are words a reader would notice."""
    runs = [literal for literal, *_ in string.Formatter().parse(message)]
    return [run.strip(" .,;:()*-`'") for run in runs if len(re.findall(r"[A-Za-z]{2,}", run)) >= 2]


def test_every_message_of_the_module_and_notebook_has_a_chinese_translation():
    zh = translator("zh")
    entries = catalog_entries()
    assert len(entries) > 90  # the extraction found the module's messages
    untranslated = [
        m
        for c, m in entries
        if m not in LANGUAGE_NEUTRAL and _translated(zh, c, m) in (m if isinstance(m, tuple) else (m,))
    ]
    assert untranslated == []
    assert translate_notebook(nbformat.read(NOTEBOOK, as_version=4), "zh") == []
    for context, message in entries:  # the translation keeps the template's fields
        english = message[-1] if isinstance(message, tuple) else message
        fields = sorted(name for _, name, _, _ in string.Formatter().parse(english) if name)
        translated = _translated(zh, context, message)
        assert sorted(name for _, name, _, _ in string.Formatter().parse(translated) if name) == fields, message


def test_recorded_notes_stay_english_and_the_report_shows_them_in_chinese(tmp_path, capsys):
    import pandas as pd

    path = tmp_path / "comments.csv"
    pd.DataFrame({"comment": ["too expensive", "rude staff", "late delivery", "great taste"] * 10}).to_csv(
        path, index=False
    )
    run = StudyRun(
        str(path),
        study="customer_comments",
        schema={"columns": {"comment": {"type": "text"}}},
        emit=False,
        language="zh",
    )
    chosen = study.settings(run, text="comment", n_topics=2)
    drivers = study.drivers_section(chosen, study.topics_section(chosen), study.categories_section(chosen))
    run.show(drivers)
    assert run.recorder.results["notes"] == [
        "What drives low scores: not run because the data have no score column (name one with score= or the "
        "`comments` role)."
    ]
    shown = capsys.readouterr().out + run.summary_markdown()
    assert "低分的驱动因素" in shown and "数据中没有评分列" in shown
    assert "score column" not in shown and "What drives" not in shown
    with use_language("en"):
        assert drivers.note().startswith("What drives low scores: not run because the data have no score column")


def _sections(language: str):
    run = StudyRun("fine_food_reviews", study="customer_comments", emit=False, language=language)
    chosen = study.settings(run, sample=300, n_topics=3)
    topics, categories = study.topics_section(chosen), study.categories_section(chosen)
    sections = [
        study.corpus_section(chosen),
        topics,
        categories,
        study.sentiment_section(chosen),
        study.drivers_section(chosen, topics, categories),
    ]
    return run, chosen, sections


def _figure_texts(fig) -> list[str]:
    return [text.get_text() for text in fig.findobj(mpl.text.Text) if text.get_text()]


def test_chinese_figures_have_chinese_words_and_every_glyph():
    plots.set_theme()
    _run, _chosen, sections = _sections("zh")
    fragments = {f for _, m in module_messages() for f in english_fragments(m)}
    drawn = 0
    for section in sections:
        ax = section.plot()
        if ax is None:
            continue
        drawn += 1
        fig = ax.figure
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fig.savefig(io.BytesIO(), format="png")
        texts = _figure_texts(fig)
        plt.close(fig)
        assert [str(w.message) for w in caught if "missing from" in str(w.message)] == []
        assert any(re.search("[\u4e00-\u9fff]", text) for text in texts)  # the title and labels are Chinese
        assert [f for f in fragments for text in texts if f and f in text] == []
    assert drawn == 3


def test_chinese_tables_findings_and_description_carry_no_english_catalog_text():
    run, chosen, sections = _sections("zh")
    shown = [chosen.describe()]
    for section in sections:
        shown.append(section.finding())
        shown.append(section.headline())
        for table in section.tables():
            shown.append(table.to_html())
    shown.append(
        study.key_findings(
            corpus=sections[0], topics=sections[1], categories=sections[2], sentiment=sections[3], drivers=sections[4]
        ).finding()
    )
    text = "\n".join(shown)
    fragments = {f for _, m in module_messages() for f in english_fragments(m)}
    assert [f for f in fragments if f in text] == []
    # single-word headers, kinds and directions: none of them is left as a table cell
    words = {m for _, m in module_messages() if re.fullmatch(r"[A-Za-z%0-9 ()-]+", m) and len(m) > 2}
    assert [w for w in words if f">{w}<" in text] == []
    # the English report of the same comments does show them (the check can fail)
    set_language("en")
    english = sections[2].finding() + sections[2].tables()[0].to_html()
    assert "The coding frame codes" in english and ">share<" in english


@pytest.mark.slow
def test_the_chinese_notebook_records_what_the_english_one_records(tmp_path):
    papermill = pytest.importorskip("papermill")
    from csat_analysis.report import results_from_notebook

    parameters = {"dataset": "chinese_product_reviews", "sample": 300, "n_topics": 3}
    outputs = {}
    for language in ("en", "zh"):
        node = nbformat.read(NOTEBOOK, as_version=4)
        assert translate_notebook(node, language) == []
        output = tmp_path / f"{language}.ipynb"
        papermill.execute_notebook(
            node,
            str(output),
            kernel_name="python3",
            progress_bar=False,
            parameters={**parameters, "language": language},
            cwd=str(tmp_path),
        )
        outputs[language] = json.loads(output.read_text(encoding="utf-8"))
    english, chinese = (results_from_notebook(outputs[lang]) for lang in ("en", "zh"))
    assert json.dumps(english, sort_keys=True) == json.dumps(chinese, sort_keys=True)
    assert english["n_comments"] == 300 and "sentiment_auc" in english

    def report_text(notebook):
        parts = []
        for cell in notebook["cells"]:
            if cell["cell_type"] == "markdown":
                parts.append("".join(cell["source"]))
            for output in cell.get("outputs", []):
                data = output.get("data", {})
                parts += ["".join(data.get(kind, "")) for kind in ("text/markdown", "text/html")]
                if output.get("output_type") == "stream":
                    parts.append("".join(output["text"]))
        return "\n".join(parts)

    chinese_text, english_text = report_text(outputs["zh"]), report_text(outputs["en"])
    fragments = {f for _, m in module_messages() for f in english_fragments(m)}
    assert [f for f in fragments if f in chinese_text] == []
    assert [f for f in fragments if f in english_text], "the check can fail: the English report has them"
    assert "missing from" not in chinese_text  # no missing-glyph warning reached the report
    assert "主要发现" in chinese_text and "情感分析" in chinese_text
