"""read_survey on real-world files: encodings, delimiters, ragged rows, Excel sheets, schema forms.

Every file is written byte by byte by the test, so each test shows exactly what a
survey tool's export looks like. Bad files must raise SurveyDataError naming the file
and the line or column; good files must give exactly the values written.
"""

import warnings

import numpy as np
import pandas as pd
import pytest

from csat_analysis import io
from csat_analysis.errors import CsatWarning, ParameterError, SurveyDataError
from csat_analysis.io import read_schema, read_survey

SAT = {
    "scale": [1, 5],
    "labels": {
        "Very satisfied": 5,
        "Satisfied": 4,
        "Neutral": 3,
        "非常满意": 5,
        "满意": 4,
        "一般": 3,
        "不满意": 2,
        "非常不满意": 1,
    },
}
SCHEMA = {"id": "id", "columns": {"sat": SAT, "spend": {"type": "float"}}}


def put(tmp_path, name, content, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
    return path


def error_of(path, schema=SCHEMA, **options):
    with pytest.raises(SurveyDataError) as caught:
        read_survey(path, schema, **options)
    message = str(caught.value)
    assert path.name in message or "schema" in message
    return message


# --- ragged rows: nothing is ever read shifted --------------------------------------


def test_trailing_comma_on_every_row_is_named_not_shifted(tmp_path):
    path = put(tmp_path, "trailing.csv", "id,sat,spend\n1,4,10.5,\n2,5,3.0,\n")
    message = error_of(path)
    assert "trailing delimiter" in message and "line 2: 4 fields" in message and "has 3" in message


def test_extra_field_on_every_row(tmp_path):
    path = put(tmp_path, "extra.csv", "id,sat,spend\n1,4,10.5,x\n2,5,3.0,y\n")
    message = error_of(path)
    assert "expected 3" in message and "line 2: 4 fields" in message and "line 3: 4 fields" in message


def test_extra_field_on_one_row_with_trailing_comma_in_the_first_row(tmp_path):
    # pandas alone would drop the extra values here with no more than a warning
    path = put(tmp_path, "mixed.csv", "id,sat,spend\n1,4,10.5,\n2,5,3.0,7\n")
    message = error_of(path)
    assert "line 2: 4 fields" in message and "line 3: 4 fields" in message


def test_short_row(tmp_path):
    path = put(tmp_path, "short.csv", "id,sat,spend\n1,4,10.5\n2,5\n3,3,1.0\n")
    message = error_of(path)
    assert "line 3: 2 fields" in message and "expected 3" in message


def test_extra_and_short_rows_that_balance_out_are_both_named(tmp_path):
    path = put(tmp_path, "balanced.csv", "id,sat,spend\n1,4\n2,5,3.0,9\n")
    message = error_of(path)
    assert "line 2: 2 fields" in message and "line 3: 4 fields" in message


def test_rows_longer_than_a_regular_first_row_are_named(tmp_path):
    # a file without quotes is checked by counting delimiters: the parse must still name each bad line
    message = error_of(put(tmp_path, "late_trailing.csv", "id,sat,spend\n1,4,1\n2,5,3.0,\n3,3,1.0,\n"))
    assert "line 3: 4 fields" in message and "line 4: 4 fields" in message and "line 2" not in message
    message = error_of(put(tmp_path, "late_balance.csv", "id,sat,spend\n1,4,1\n2,5,3.0,9\n3,3\n"))
    assert "line 3: 4 fields" in message and "line 4: 2 fields" in message


@pytest.mark.parametrize("second", ["2,5,2", '2,"5",2'])
def test_a_line_of_spaces_is_skipped_like_a_blank_line_with_or_without_quotes(tmp_path, second):
    result = read_survey(put(tmp_path, "space.csv", f"id,sat,spend\n1,4,1\n   \n{second}\n"), SCHEMA)
    assert result["id"].tolist() == ["1", "2"] and result["sat"].tolist() == [4.0, 5.0]


@pytest.mark.parametrize("bad_line, found", [("2,5,3.0,9", "4 fields"), ("2,5", "2 fields")])
def test_a_bad_row_deep_inside_a_large_file_is_named(tmp_path, bad_line, found):
    # over 5 MB, so that pandas parses the file in parallel pieces
    rows = [f"{i},Satisfied,{i % 97}.5" for i in range(3, 300_003)]
    rows[200_000] = bad_line
    path = put(tmp_path, "large.csv", "id,sat,spend\n1,4,1\n" + "\n".join(rows) + "\n")
    assert path.stat().st_size > 5 << 20
    message = error_of(path)
    assert f"line 200003: {found}" in message and "expected 3" in message


def test_unterminated_quote(tmp_path):
    path = put(tmp_path, "quote.csv", 'id,sat,spend\n1,4,10.5\n2,"5,3.0\n3,3,1.0\n')
    message = error_of(path)
    assert "line 3" in message and "never closes" in message


def test_header_ending_with_a_delimiter_but_rows_not(tmp_path):
    path = put(tmp_path, "header_comma.csv", "id,sat,spend,\n1,4,10.5\n")
    message = error_of(path)
    assert "line 2: 3 fields" in message and "header itself ends with" in message


def test_delimiter_ending_the_header_and_every_row_is_an_empty_column_and_dropped(tmp_path):
    path = put(tmp_path, "both.csv", "id,sat,spend,\n1,4,10.5,\n2,5,3.0,\n")
    result = read_survey(path, SCHEMA)
    assert list(result.columns) == ["id", "sat", "spend"]
    assert result["sat"].tolist() == [4.0, 5.0] and result["spend"].tolist() == [10.5, 3.0]


def test_ragged_rows_found_across_scan_blocks(tmp_path, monkeypatch):
    monkeypatch.setattr(io, "_CHUNK", 7)  # many tiny blocks: boundaries fall inside fields and quotes
    rows = "".join(f'{i},"Satisfied","x, ""y""",{i}.5\n' for i in range(1, 40))
    path = put(tmp_path, "blocks.csv", "id,sat,note,spend\n" + rows + "40,4,z\n")
    assert "line 41: 3 fields" in error_of(path)
    good = put(tmp_path, "blocks_ok.csv", "id,sat,note,spend\n" + rows)
    result = read_survey(good, SCHEMA)
    assert result["sat"].eq(4.0).all() and result["note"].eq('x, "y"').all() and result["spend"].iloc[-1] == 39.5


@pytest.mark.parametrize("piece", [1, 2, 3, 5, 8, 1 << 20])
def test_a_quote_inside_an_unquoted_field_is_seen_at_any_piece_boundary(monkeypatch, piece):
    monkeypatch.setattr(io, "_SCAN_BLOCK", piece)
    assert io._irregular_quotes(b'1,a 5" screen,2\n', ord(","))
    assert not io._irregular_quotes(b'1,"a, ""b""",2\r\n"3","c"\n', ord(","))


# --- files that read exactly -------------------------------------------------------


def test_quoted_delimiters_newlines_and_mid_field_quotes_read_as_written(tmp_path):
    content = 'id,sat,note,spend\n1,4,"slow, then ""fine""\nsecond line",1.5\n2,5,a 5" screen,2.5\n'
    result = read_survey(put(tmp_path, "quoted.csv", content), SCHEMA)
    assert result["note"].tolist() == ['slow, then "fine"\nsecond line', 'a 5" screen']
    assert result["sat"].tolist() == [4.0, 5.0] and result["spend"].tolist() == [1.5, 2.5]


def test_gbk_file_with_chinese_labels(tmp_path):
    content = "编号,sat,spend\n1,非常满意,10.5\n2,不满意,3\n3,一般,0\n"
    path = put(tmp_path, "gbk.csv", content, encoding="gbk")
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")  # really not UTF-8
    result = read_survey(path, {"id": "编号", "columns": {"sat": SAT, "spend": {"type": "float"}}})
    assert result["编号"].tolist() == ["1", "2", "3"]
    assert result["sat"].tolist() == [5.0, 2.0, 3.0] and result["spend"].tolist() == [10.5, 3.0, 0.0]


def test_gb18030_beyond_the_first_block_is_found_by_the_scan(tmp_path, monkeypatch):
    monkeypatch.setattr(io, "_SAMPLE", 64)  # the first 64 bytes are plain ASCII
    monkeypatch.setattr(io, "_SCAN_BLOCK", 64)
    rows = "".join(f"{i},Satisfied,1\n" for i in range(1, 8)) + "8,非常满意,2\n"
    path = put(tmp_path, "late.csv", "id,sat,spend\n" + rows, encoding="gb18030")
    assert read_survey(path, SCHEMA)["sat"].tolist() == [4.0] * 7 + [5.0]


def test_undecodable_file_names_offset_and_encodings_tried(tmp_path):
    path = put(tmp_path, "binary.csv", b"id,sat\n1,\x80\xff\n")
    message = error_of(path)
    assert "byte 9" in message and "utf-8" in message and "gb18030" in message and "encoding=" in message


def test_given_encoding_overrides_detection_and_is_checked(tmp_path):
    path = put(tmp_path, "latin.csv", "id,sat,spend\n1,Neutral,1\n2,Satisfied,2\n", encoding="latin-1")
    cafe = put(tmp_path, "cafe.csv", "id,store\n1,Café\n", encoding="latin-1")
    schema = {"id": "id", "columns": {"store": {"type": "text"}}}
    assert read_survey(cafe, schema, encoding="latin-1")["store"].tolist() == ["Café"]
    assert read_survey(cafe, {**schema, "encoding": "cp1252"})["store"].tolist() == ["Café"]
    message = error_of(cafe, schema, encoding="utf-8")
    assert "byte 14" in message and "utf-8" in message
    assert read_survey(path, SCHEMA, encoding="latin-1")["sat"].tolist() == [3.0, 4.0]


def test_a_western_file_read_as_gb18030_is_named_in_a_warning(tmp_path):
    # Windows-1252 bytes also decode as GB18030 (as rare characters): say so rather than read garbage in silence
    schema = {"id": "id", "columns": {"store": {"type": "text"}}}
    western = put(tmp_path, "west.csv", "id,store\n1,Crème brûlée\n2,Müller\n3,São Paulo\n", encoding="cp1252")
    with pytest.warns(CsatWarning, match="encoding='cp1252'") as caught:
        read_survey(western, schema)
    assert "'Cr鑝e'" in str(caught[0].message) and "west.csv" in str(caught[0].message)
    assert read_survey(western, schema, encoding="cp1252")["store"].tolist() == ["Crème brûlée", "Müller", "São Paulo"]
    chinese = put(tmp_path, "zh.csv", "id,store\n1,非常满意的服务\n2,iPhone手机不满意\n", encoding="gbk")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert read_survey(chinese, schema)["store"].tolist() == ["非常满意的服务", "iPhone手机不满意"]


def test_texts_outside_a_columns_listed_labels_still_read_as_written(tmp_path):
    # the parse is given each listed column's texts; anything else must still read exactly (or fail by name)
    content = "id,sat,region\n1,Satisfied,north\n2, Satisfied ,south\n3,4.0,north\n4,,south\n5,5,north\n"
    schema = {"id": "id", "columns": {"sat": SAT, "region": {"categories": ["north", "south"]}}}
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no pandas deprecation warning reaches the user
        result = read_survey(put(tmp_path, "outside.csv", content), schema)
    assert result["sat"].tolist()[:3] == [4.0, 4.0, 4.0] and np.isnan(result["sat"].iloc[3])
    assert result["sat"].iloc[4] == 5.0 and result["region"].tolist() == ["north", "south"] * 2 + ["north"]
    message = error_of(put(tmp_path, "typo.csv", "id,sat,region\n1,Satisfied,north\n2,Satisfed,nord\n"), schema)
    assert "'Satisfed'" in message and "(row 1)" in message


def test_semicolon_file_with_decimal_comma(tmp_path):
    path = put(tmp_path, "semi.csv", "id;sat;spend;score\n1;4;10,5;3,5\n2;Neutral;0,25;4\n")
    schema = {
        "id": "id",
        "columns": {"sat": SAT, "spend": {"type": "float"}, "score": {"type": "float", "scale": [1, 5]}},
    }
    result = read_survey(path, schema, decimal=",")
    assert result["spend"].tolist() == [10.5, 0.25] and result["score"].tolist() == [3.5, 4.0]
    assert result["sat"].tolist() == [4.0, 3.0]


def test_decimal_comma_without_the_option_is_an_error_with_a_hint(tmp_path):
    path = put(tmp_path, "semi.csv", "id;sat;spend\n1;4;10,5\n2;5;3\n")
    message = error_of(path)
    assert "'spend'" in message and "'10,5' (row 0)" in message and "decimal=','" in message


def test_tab_and_pipe_delimited_files(tmp_path):
    for name, delimiter in (("tab.csv", "\t"), ("pipe.csv", "|")):
        path = put(
            tmp_path,
            name,
            delimiter.join(["id", "sat", "spend"]) + "\n" + delimiter.join(["7", "Very satisfied", "1.25"]) + "\n",
        )
        result = read_survey(path, SCHEMA)
        assert result.to_dict("list") == {"id": ["7"], "sat": [5.0], "spend": [1.25]}


def test_given_delimiter_overrides_sniffing(tmp_path):
    path = put(tmp_path, "one.csv", "id,sat\n1,4\n")
    # read with ";" the file has one column named "id,sat": the schema's columns are not there
    message = error_of(path, {"id": "id", "columns": {}}, delimiter=";")
    assert "id column 'id' missing" in message and "id,sat" in message


def test_bom_and_crlf(tmp_path):
    path = put(tmp_path, "bom.csv", b"\xef\xbb\xbfid,sat,spend\r\n1,\xe6\xbb\xa1\xe6\x84\x8f,2.5\r\n")
    result = read_survey(path, SCHEMA)
    assert list(result.columns) == ["id", "sat", "spend"]  # no BOM glued to the first name
    assert result.to_dict("list") == {"id": ["1"], "sat": [4.0], "spend": [2.5]}


def test_utf16_with_bom(tmp_path):
    path = put(tmp_path, "utf16.csv", "id\tsat\tspend\r\n1\t非常不满意\t2\r\n", encoding="utf-16")
    assert read_survey(path, SCHEMA).to_dict("list") == {"id": ["1"], "sat": [1.0], "spend": [2.0]}


def test_header_row_skips_title_lines(tmp_path):
    path = put(tmp_path, "titled.csv", "Survey export 2025, wave 3\n\nid,sat,spend\n1,4,1\n2,5,2\n")
    result = read_survey(path, SCHEMA, header_row=3)
    assert result["sat"].tolist() == [4.0, 5.0]
    assert read_survey(path, {**SCHEMA, "header_row": 3})["spend"].tolist() == [1.0, 2.0]


def test_blank_lines(tmp_path):
    path = put(tmp_path, "blank.csv", "id,sat,spend\n1,4,1\n\n2,5,2\n\n")
    assert read_survey(path, SCHEMA)["sat"].tolist() == [4.0, 5.0]
    # in a one-column file an empty line is an unanswered question, not nothing
    single = put(tmp_path, "single.csv", "sat\n4\n\n5\n")
    assert read_survey(single, {"columns": {"sat": SAT}})["sat"].tolist()[::2] == [4.0, 5.0]
    assert np.isnan(read_survey(single, {"columns": {"sat": SAT}})["sat"][1])


def test_old_mac_line_ends(tmp_path):
    path = put(tmp_path, "cr.csv", "id,sat,spend\r1,4,1\r2,5,2\r")
    assert read_survey(path, SCHEMA)["sat"].tolist() == [4.0, 5.0]
    assert "line 3: 2 fields" in error_of(put(tmp_path, "cr_bad.csv", "id,sat,spend\r1,4,1\r2,5\r"))


# --- header and emptiness ----------------------------------------------------------


def test_duplicate_headers(tmp_path):
    message = error_of(put(tmp_path, "dup.csv", "id,sat,sat\n1,4,5\n"))
    assert "duplicate column names" in message and "'sat' (columns 2, 3)" in message


def test_empty_file_and_header_only_file(tmp_path):
    assert "empty" in error_of(put(tmp_path, "empty.csv", b""))
    assert "no data rows" in error_of(put(tmp_path, "header.csv", "id,sat,spend\n"))
    assert "no data rows" in error_of(put(tmp_path, "header_blank.csv", "id,sat,spend\n\n\n"))
    assert "no header" in error_of(put(tmp_path, "blank.csv", "\n\n"))
    assert "give header_row=" in error_of(put(tmp_path, "blank_first.csv", "\nid,sat,spend\n1,4,1\n"))


# --- values ----------------------------------------------------------------------------


def test_ids_are_text_with_leading_zeros_and_white_space_kept_and_reported(tmp_path):
    path = put(tmp_path, "ids.csv", "id,sat\n00123,4\n001,5\n1,3\n 7,2\n")
    with pytest.warns(CsatWarning) as caught:
        result = read_survey(path, {"id": "id", "columns": {"sat": SAT}})
    assert result["id"].tolist() == ["00123", "001", "1", " 7"]
    notes = " ".join(str(w.message) for w in caught)
    assert (
        "leading zeros" in notes and "'00123' (row 0)" in notes and "white space" in notes and "' 7' (row 3)" in notes
    )


def test_plain_ids_read_without_warning(tmp_path):
    path = put(tmp_path, "ids.csv", "id,sat\n10,4\n11,5\n")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert read_survey(path, {"id": "id", "columns": {"sat": SAT}})["id"].tolist() == ["10", "11"]


def test_fraction_on_a_whole_number_scale_is_an_error_unless_type_float(tmp_path):
    path = put(tmp_path, "half.csv", "sat\n4\n4.5\n")
    message = error_of(path, {"columns": {"sat": {"scale": [1, 5]}}})
    assert "'sat'" in message and "4.5 (row 1)" in message and "fractions" in message and "type: float" in message
    assert read_survey(path, {"columns": {"sat": {"type": "float", "scale": [1, 5]}}})["sat"].tolist() == [4.0, 4.5]
    assert "outside" in error_of(path, {"columns": {"sat": {"type": "float", "scale": [1, 4]}}})


def test_true_false_are_never_ratings(tmp_path):
    path = put(tmp_path, "bool.csv", "sat\nTRUE\nFALSE\n")
    message = error_of(path, {"columns": {"sat": {"scale": [0, 1]}}})
    assert "'sat'" in message and "true/false" in message and "(row 0)" in message
    parquet = tmp_path / "bool.parquet"
    pd.DataFrame({"sat": [True, False]}).to_parquet(parquet)
    assert "true/false" in error_of(parquet, {"columns": {"sat": {"scale": [0, 1]}}})


def test_category_codes_keep_their_text(tmp_path):
    path = put(tmp_path, "codes.csv", "store,region\n007,1\n01,2\n")
    result = read_survey(path, {"columns": {"store": {"type": "category"}, "region": {"categories": [1, 2]}}})
    assert result["store"].tolist() == ["007", "01"]
    assert result["region"].tolist() == [1, 2] and list(result["region"].cat.categories) == [1, 2]


def test_missing_codes_on_category_text_and_numbers(tmp_path):
    path = put(tmp_path, "codes.csv", "sat,spend,flag\n-99,n/a,yes\n4,2.5,n/a\n-99.0,-1,no\n")
    schema = {
        "columns": {
            "sat": {"scale": [1, 5], "missing": [-99]},
            "spend": {"type": "float", "missing": ["n/a", -1]},
            "flag": {"type": "bool", "true": "yes", "false": "no", "missing": "n/a"},
        }
    }
    result = read_survey(path, schema)
    assert result["sat"].isna().tolist() == [True, False, True] and result["sat"][1] == 4.0
    assert result["spend"].isna().tolist() == [True, False, True] and result["spend"][1] == 2.5
    assert result["flag"].tolist()[::2] == [True, False] and pd.isna(result["flag"][1])


# --- the schema, key by key --------------------------------------------------------


@pytest.mark.parametrize(
    "column, expected",
    [
        ({"scale": ["a", "b"]}, "column 'q', key 'scale': expected [low, high]: a list of two numbers; got ['a', 'b']"),
        ({"scale": [1, 5], "labels": {"good": "high"}}, "key 'labels': expected a mapping of text labels to numbers"),
        ({"categories": "north"}, "column 'q', key 'categories': expected a list of values"),
        ({"scale": [1, 5], "required": "no"}, "column 'q', key 'required': expected true or false; got 'no'"),
        ({"scale": [1, 5], "reverse": "yes"}, "key 'reverse': expected true or false"),
        ({"scale": [1, 5], "label": 5}, "key 'label': expected text, or a mapping of language codes to text"),
        ({"scale": [1, 5], "label": {"en": ["x"]}}, "key 'label'"),
        ({"type": "float", "min": "0"}, "key 'min': expected a number"),
        ({"scale": [1, 5], "missing": [[1]]}, "key 'missing'"),
        ({"scale": [1, 5], "labels": {"ok": 2.5}}, "whole numbers"),
        ({"type": "int", "categories": ["a"]}, "categories and ordered apply to type category"),
        ({"type": "float", "min": 5, "max": 1}, "above max"),
        ({"type": "text", "scale": [1, 5]}, "scale and labels apply to ratings"),
    ],
)
def test_schema_forms_are_checked_key_by_key(column, expected):
    with pytest.raises(SurveyDataError) as caught:
        read_schema({"columns": {"q": column}})
    assert expected in str(caught.value)


def test_labels_error_names_the_label_and_value():
    with pytest.raises(SurveyDataError, match="label 'good' maps to 'high', not a number"):
        read_schema({"columns": {"q": {"scale": [1, 5], "labels": {"good": "high"}}}})


def test_display_labels_and_file_options_are_accepted():
    schema = read_schema(
        {
            "encoding": "gbk",
            "delimiter": ";",
            "decimal": ",",
            "sheet": 0,
            "header_row": 2,
            "columns": {
                "q": {"scale": [1, 5], "label": {"en": "Satisfaction", "zh": "满意度"}, "reverse": False},
                "c": {"type": "text", "label": "Comment"},
            },
        }
    )
    assert schema["encoding"] == "gbk" and schema["header_row"] == 2 and schema["columns"]["c"]["label"] == "Comment"


@pytest.mark.parametrize(
    "schema, expected",
    [
        ({"encoding": "no-such-codec"}, "key 'encoding'"),
        ({"delimiter": ";;"}, "key 'delimiter'"),
        ({"decimal": ";"}, "key 'decimal'"),
        ({"header_row": 0}, "key 'header_row'"),
        ({"sheet": -1}, "key 'sheet'"),
        ({"id": ["a"]}, "key 'id'"),
        ({"columns": {"q": "rating"}}, "column 'q': expected a mapping"),
        ({"columns": {1: {"scale": [1, 5]}}}, "column names are text"),
    ],
)
def test_top_level_schema_forms(schema, expected):
    with pytest.raises(SurveyDataError, match="schema") as caught:
        read_schema(schema)
    assert expected in str(caught.value)


def test_bad_arguments_are_parameter_errors(tmp_path):
    path = put(tmp_path, "ok.csv", "sat\n4\n")
    with pytest.raises(ParameterError, match="decimal"):
        read_survey(path, {"columns": {"sat": SAT}}, decimal=";")
    with pytest.raises(SurveyDataError, match="also the delimiter"):
        read_survey(path, {"columns": {"sat": SAT}}, decimal=",", delimiter=",")


def test_yaml_schema_with_an_alias_bomb_is_refused(tmp_path):
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for level in "bcdefgh":
        previous = chr(ord(level) - 1)
        lines.append(
            f"{level}: &{level} [*{previous}, *{previous}, *{previous}, *{previous}, *{previous}, "
            f"*{previous}, *{previous}, *{previous}, *{previous}, *{previous}]"
        )
    lines.append("columns: {q: {scale: [1, 5], missing: *h}}")
    path = put(tmp_path, "bomb.yaml", "\n".join(lines) + "\n")
    with pytest.raises(SurveyDataError, match="aliases expand"):
        read_schema(path)
    small = put(tmp_path, "small.yaml", "base: &base {scale: [1, 5]}\ncolumns: {q: *base}\n")
    with pytest.raises(SurveyDataError, match="schema key='base'"):  # aliases themselves are fine
        read_schema(small)


def test_recursive_yaml_alias_is_refused(tmp_path):
    path = put(tmp_path, "loop.yaml", "columns: &c {q: *c}\n")
    with pytest.raises(SurveyDataError, match="refers to itself|not valid YAML"):
        read_schema(path)


# --- Excel and Parquet -------------------------------------------------------------


def test_excel_sheet_and_header_row(tmp_path):
    path = tmp_path / "book.xlsx"
    with pd.ExcelWriter(path) as writer:
        pd.DataFrame({"x": [1]}).to_excel(writer, sheet_name="Notes", index=False)
        pd.DataFrame([["Survey export", None], [None, None], ["id", "sat"], ["00123", "满意"], ["9", 5]]).to_excel(
            writer, sheet_name="Answers", index=False, header=False
        )
    schema = {"id": "id", "columns": {"sat": SAT}}
    with pytest.warns(CsatWarning, match="leading zeros"):
        by_name = read_survey(path, schema, sheet="Answers", header_row=3)
    assert by_name.to_dict("list") == {"id": ["00123", "9"], "sat": [4.0, 5.0]}
    with pytest.warns(CsatWarning):
        by_position = read_survey(path, {**schema, "sheet": 1, "header_row": 3})
    pd.testing.assert_frame_equal(by_name, by_position)
    assert "no sheet named 'Answer'" in error_of(path, schema, sheet="Answer")
    assert "['Notes', 'Answers']" in error_of(path, schema, sheet=5)


def test_excel_header_row_below_empty_rows_and_columns(tmp_path):
    import openpyxl

    path = tmp_path / "sparse.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    for cell, value in {"B3": "id", "C3": "sat", "B4": "a1", "C4": 4, "B5": "a2", "C5": "满意"}.items():
        sheet[cell] = value
    book.save(path)
    result = read_survey(path, {"id": "id", "columns": {"sat": SAT}}, header_row=3)
    assert result.to_dict("list") == {"id": ["a1", "a2"], "sat": [4.0, 4.0]}


def test_excel_duplicate_headers_are_named(tmp_path):
    path = tmp_path / "dup.xlsx"
    pd.DataFrame([["sat", "sat"], [4, 5]]).to_excel(path, index=False, header=False)
    assert "'sat' (columns 1, 2)" in error_of(path, {"columns": {"sat": SAT}})


@pytest.mark.parametrize(
    "name, content, expected",
    [
        ("fake.xlsx", b"id,sat\n1,4\n", "not an Excel workbook: it is a text file"),
        ("old.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "Excel 97-2003"),
        ("broken.xlsx", b"PK\x03\x04" + b"\x00" * 100, "not a readable Excel workbook"),
        ("fake.parquet", b"id,sat\n1,4\n", "not a Parquet file"),
        ("broken.parquet", b"PAR1" + b"\x00" * 100, "cannot be read as Parquet"),
        ("book.csv", b"PK\x03\x04" + b"\x00" * 100, "not a CSV file: it is a ZIP archive"),
    ],
)
def test_files_that_are_not_what_their_suffix_says(tmp_path, name, content, expected):
    message = error_of(put(tmp_path, name, content), {"columns": {"sat": SAT}})
    assert expected in message and "\n" not in message


# --- round trips -------------------------------------------------------------------


def round_trip_frame():
    return pd.DataFrame(
        {
            "id": ["0001", "0002", "A-3", "4"],
            "sat": ["非常满意", "Satisfied", "2", None],
            "spend": [10.5, 0.0, None, 3.25],
            "region": ["north", "south", "south", "north"],
            "flag": ["yes", "no", "no", "yes"],
            "note": ["好", "ok", None, "x, y"],
        }
    )


ROUND_TRIP_SCHEMA = {
    "id": "id",
    "columns": {
        "sat": SAT,
        "spend": {"type": "float"},
        "region": {"categories": ["north", "south"]},
        "flag": {"type": "bool", "true": "yes", "false": "no"},
        "note": {"type": "text"},
    },
}


def written(frame, tmp_path, how):
    if how in ("utf-8", "gb18030"):
        path = tmp_path / f"rt_{how}.csv"
        frame.to_csv(path, index=False, encoding=how)
    elif how == "excel":
        path = tmp_path / "rt.xlsx"
        frame.to_excel(path, index=False)
    else:
        path = tmp_path / "rt.parquet"
        frame.to_parquet(path, index=False)
    return path


@pytest.mark.parametrize("how", ["utf-8", "gb18030", "excel", "parquet"])
def test_round_trip_reads_back_equal(tmp_path, how):
    frame = round_trip_frame()
    with pytest.warns(CsatWarning, match="leading zeros"):
        result = read_survey(written(frame, tmp_path, how), ROUND_TRIP_SCHEMA)
    assert result["id"].tolist() == frame["id"].tolist()
    assert result["sat"].tolist()[:3] == [5.0, 4.0, 2.0] and np.isnan(result["sat"][3])
    np.testing.assert_array_equal(result["spend"].to_numpy(), frame["spend"].to_numpy(dtype=float))
    assert result["region"].tolist() == frame["region"].tolist() and list(result["region"].cat.categories) == [
        "north",
        "south",
    ]
    assert result["flag"].tolist() == [True, False, False, True]
    assert result["note"].tolist()[:2] == ["好", "ok"] and pd.isna(result["note"][2]) and result["note"][3] == "x, y"
    assert list(result.columns) == list(frame.columns)


def test_round_trips_agree_with_each_other(tmp_path):
    results = []
    for how in ["utf-8", "gb18030", "excel", "parquet"]:
        with pytest.warns(CsatWarning):
            results.append(read_survey(written(round_trip_frame(), tmp_path, how), ROUND_TRIP_SCHEMA))
    for other in results[1:]:
        pd.testing.assert_frame_equal(
            results[0].astype({"note": object}), other.astype({"note": object}), check_dtype=False
        )


def test_short_last_line_without_line_end(tmp_path):
    message = error_of(put(tmp_path, "end.csv", "id,sat,spend\n1,4,1\n2"))
    assert "line 3: 1 field" in message
    assert read_survey(put(tmp_path, "end_ok.csv", "id,sat,spend\n1,4,1\n2,5,2"), SCHEMA)["sat"].tolist() == [4.0, 5.0]


def test_many_similar_ids_are_not_taken_for_duplicates_and_a_real_one_is(tmp_path):
    ids = [f"{prefix}{i}" for prefix in ("", "0", "a", "ab", "ba") for i in range(2000)] + ["x" * 80, "y" * 80]
    frame = pd.DataFrame({"id": ids, "sat": 4})
    frame.to_csv(tmp_path / "many.csv", index=False)
    with pytest.warns(CsatWarning, match="leading zeros"):
        assert read_survey(tmp_path / "many.csv", {"id": "id", "columns": {"sat": SAT}})["id"].tolist() == ids
    frame.loc[len(frame)] = ["ab17", 3]
    frame.to_csv(tmp_path / "dup.csv", index=False)
    assert "'ab17' (row 6017), 'ab17' (row 10002)" in error_of(
        tmp_path / "dup.csv", {"id": "id", "columns": {"sat": SAT}}
    )


def test_missing_codes_in_a_column_of_many_distinct_values(tmp_path):
    spend = [f"{i}.25" for i in range(3000)] + ["n/a", " -1 ", "-1.0", "7"]
    pd.DataFrame({"spend": spend, "visits": [str(i) for i in range(3000)] + ["n/a", "-1", "2", "3"]}).to_csv(
        tmp_path / "many.csv", index=False
    )
    schema = {
        "columns": {
            "spend": {"type": "float", "missing": ["n/a", -1]},
            "visits": {"type": "int", "missing": ["n/a", -1]},
        }
    }
    result = read_survey(tmp_path / "many.csv", schema)
    assert result["spend"].isna().tolist()[-4:] == [True, True, True, False] and result["spend"].iloc[-1] == 7.0
    assert result["spend"].iloc[1] == 1.25 and result["spend"].notna().sum() == 3001
    assert str(result["visits"].dtype) == "Int64" and result["visits"].isna().sum() == 2
