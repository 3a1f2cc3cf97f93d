"""report.styled_table: every table number goes through csat_analysis.formatting.

Expected strings are worked by hand from the formatter's rules (p-values "< 0.001" or
three decimals, shares as percentages with fixed decimals, no "-0.00", thousands
separators), not copied from the function's output.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from csat_analysis.report import Recorder, styled_table


def cells(styler) -> list[list[str]]:
    """The table's body cells as text, row by row (entities left as the page has them)."""
    html_text = styler.to_html()
    body = html_text.split("<tbody>", 1)[1]
    return [re.findall(r"<td[^>]*>(.*?)</td>", row, re.S) for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


def test_p_values_read_less_than_one_thousandth_or_three_decimals():
    table = pd.DataFrame({"p_value": [0.0002, 0.0421, 0.001, 1.0, np.nan]})
    assert [row[0] for row in cells(styled_table(table))] == ["&lt; 0.001", "0.042", "0.001", "1.000", "–"]


def test_shares_print_as_percentages_with_the_same_decimals_everywhere():
    table = pd.DataFrame({"rate": [0.72, 0.0004, 1.0], "share": [0.12345, 0.5, 0.999]})
    shown = cells(styled_table(table, percent=["rate", "share"]))
    assert shown == [["72.0%", "12.3%"], ["0.0%", "50.0%"], ["100.0%", "99.9%"]]
    wide = cells(styled_table(table, percent=["rate"], percent_decimals=2))
    assert [row[0] for row in wide] == ["72.00%", "0.04%", "100.00%"]


def test_no_negative_zero_and_fixed_decimals_with_thousands():
    table = pd.DataFrame({"effect": [-0.0004, 0.3055, -1234.5], "n": [1200, 35, 7]})
    shown = cells(styled_table(table, digits=2))
    # -0.0004 rounds to zero: no sign; 0.3055 rounds half up to 0.31; whole numbers have no decimals
    assert shown == [["0.00", "1,200"], ["0.31", "35"], ["-1,234.50", "7"]]
    assert "-0.00" not in styled_table(table, digits=2).to_html()


def test_missing_values_booleans_and_labels_are_shown_as_words():
    table = pd.DataFrame({"median": [12.0, np.nan], "reached": [True, False], "group": ["<b>a</b>", None]})
    shown = cells(styled_table(table, missing_labels={"median": "not reached"}, na_rep="n/a"))
    assert shown == [["12", "yes", "&lt;b&gt;a&lt;/b&gt;"], ["not reached", "no", "n/a"]]


def test_caption_source_and_headers_are_escaped_and_readable():
    table = pd.DataFrame({"mean_loyalty": [5.5]})
    page = styled_table(table, "Loyalty <by> group", "Real data: mobi & co", labels={}).to_html()
    assert "Loyalty &lt;by&gt; group" in page and "Real data: mobi &amp; co" in page
    assert "mean loyalty" in page  # "_" reads as a space
    assert "<th" in page and 'class="row_heading' not in page  # no index column


def test_numbers_in_text_columns_use_the_same_formatter():
    table = pd.DataFrame({"value": ["north", -0.0001, 2.5]}, dtype=object)
    assert [row[0] for row in cells(styled_table(table, digits=2))] == ["north", "0.00", "2.50"]


def test_a_percent_column_holding_a_label_shows_the_label():
    table = pd.DataFrame({"rate": [0.25, "n/a"]}, dtype=object)
    assert [row[0] for row in cells(styled_table(table, percent=["rate"]))] == ["25.0%", "n/a"]


def test_recorder_contract_is_unchanged():
    recorder = Recorder(emit=False)
    recorder.record("share", np.float64(0.25))
    recorder.record("missing", float("nan"))
    assert recorder.results == {"share": 0.25, "missing": None}


@pytest.mark.parametrize("p", [1.5, -0.2])
def test_a_p_value_column_with_an_impossible_value_shows_it_unchanged(p):
    # not a p-value after all: shown as it is rather than failing the whole report
    assert cells(styled_table(pd.DataFrame({"p_value": [p]})))[0][0] == str(p)
