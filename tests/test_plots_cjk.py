"""Chinese, Japanese and Korean labels render through the theme's CJK font fallback."""

import io
import logging
import warnings

import matplotlib as mpl
import matplotlib.pyplot as plt
import pytest
from matplotlib import font_manager

from csat_analysis import plots
from csat_analysis.errors import CsatWarning

CHINESE_LABELS = ["华北", "华东", "非常满意"]
CJK_FAMILY = "Noto Sans CJK JP"


@pytest.fixture(autouse=True)
def default_rc():
    """Each test starts from matplotlib's defaults and leaves rcParams as it found them."""
    with mpl.rc_context():
        mpl.rcdefaults()
        yield


def _save_png(labels, title, *, title_size=None):
    """Draw a bar chart with ``labels`` on the x axis and save it; return the warning messages."""
    fig, ax = plt.subplots(figsize=(5, 3))
    ax.bar(labels, range(1, len(labels) + 1))
    ax.set_title(title, fontsize=title_size)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.savefig(io.BytesIO(), format="png")
    plt.close(fig)
    return [str(warning.message) for warning in caught]


def _missing_glyphs(messages):
    # older matplotlib releases (3.8) say "missing from current font", newer ones "missing from font(s) ..."
    return [message for message in messages if "missing from" in message]


def test_chinese_tick_labels_and_title_render_without_missing_glyph_warnings():
    plots.set_theme()
    messages = _save_png(CHINESE_LABELS, "各区域客户满意度 (customer satisfaction)")
    assert _missing_glyphs(messages) == []


def test_the_same_figure_without_the_fallback_does_warn():
    # the control: the check above can fail, on matplotlib's own default font
    messages = _save_png(CHINESE_LABELS, "各区域客户满意度")
    assert _missing_glyphs(messages), "DejaVu Sans has no Chinese glyphs: a missing-glyph warning was expected"


def test_japanese_and_korean_labels_render_too():
    plots.set_theme()
    assert (
        _missing_glyphs(_save_png(["日本語", "ひらがな", "カタカナ", "한국어", "고객 만족"], "満足度 / 만족도")) == []
    )


def test_the_font_file_covers_the_labels():
    # independent of the warning machinery: the registered file's character map holds every glyph
    family = plots.cjk_font()
    path = font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
    charmap = font_manager.get_font(path).get_charmap()
    text = "".join(CHINESE_LABELS) + "华南西北东北满意不满意一般日本語한국어"
    assert [char for char in text if ord(char) not in charmap] == []


def test_default_theme_appends_the_cjk_font_after_the_generic_family():
    plots.set_theme()
    assert list(mpl.rcParams["font.family"]) == ["sans-serif", CJK_FAMILY]


def test_a_font_the_user_configured_stays_first():
    mpl.rcParams["font.family"] = ["DejaVu Serif"]
    plots.set_theme()
    assert list(mpl.rcParams["font.family"]) == ["DejaVu Serif", CJK_FAMILY]


def test_a_users_sans_serif_list_is_kept():
    mpl.rcParams["font.sans-serif"] = ["Liberation Sans", "DejaVu Sans"]
    plots.set_theme()
    assert list(mpl.rcParams["font.sans-serif"]) == ["Liberation Sans", "DejaVu Sans"]
    assert list(mpl.rcParams["font.family"]) == ["sans-serif", CJK_FAMILY]


def test_a_user_cjk_font_already_in_the_list_is_not_repeated():
    mpl.rcParams["font.family"] = [CJK_FAMILY, "DejaVu Sans"]
    plots.set_theme()
    plots.set_theme()
    assert list(mpl.rcParams["font.family"]) == [CJK_FAMILY, "DejaVu Sans"]


def test_set_theme_twice_registers_the_font_once():
    plots.set_theme()
    plots.set_theme()
    assert list(mpl.rcParams["font.family"]).count(CJK_FAMILY) == 1
    registered = [entry for entry in font_manager.fontManager.ttflist if entry.name == CJK_FAMILY]
    assert len(registered) == 1


def test_theme_still_applies_the_seaborn_style():
    plots.set_theme()
    assert mpl.rcParams["axes.titleweight"] == "bold"
    assert mpl.rcParams["figure.dpi"] == 110


def test_bold_cjk_title_prints_no_font_weight_note(caplog):
    plots.set_theme()
    with caplog.at_level(logging.WARNING, logger="matplotlib.font_manager"):
        # an unusual size misses matplotlib's font cache, so the font lookup really runs
        _save_png(CHINESE_LABELS, "华北 bold title", title_size=17.31)
    notes = [record.getMessage() for record in caplog.records if "Failed to find font weight" in record.getMessage()]
    assert notes == []


def test_the_weight_note_filter_drops_only_the_cjk_weight_note():
    family = plots.cjk_font()
    note = next(f for f in logging.getLogger("matplotlib.font_manager").filters if getattr(f, "family", None) == family)
    cjk_record = logging.LogRecord(
        "matplotlib.font_manager",
        logging.WARNING,
        __file__,
        1,
        "findfont: Failed to find font weight %s for %s, now using %s.",
        ("bold", family, 400),
        None,
    )
    other_record = logging.LogRecord(
        "matplotlib.font_manager",
        logging.WARNING,
        __file__,
        1,
        "findfont: Failed to find font weight %s for %s, now using %s.",
        ("bold", "Some Other Font", 400),
        None,
    )
    assert note.filter(cjk_record) is False
    assert note.filter(other_record) is True


def test_missing_font_package_warns_and_keeps_the_users_fonts(monkeypatch):
    import importlib.util

    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *args: None if name == plots.CJK_FONT_PACKAGE else real_find_spec(name, *args),
    )
    mpl.rcParams["font.family"] = ["DejaVu Serif"]
    with pytest.warns(CsatWarning, match="notojp-matplotlib"):
        plots.set_theme()
    assert list(mpl.rcParams["font.family"]) == ["DejaVu Serif"]
