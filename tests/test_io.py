"""read_survey: formats, schemas, and a clear error for every kind of bad input."""

import sys

import numpy as np
import pandas as pd
import pytest
import yaml

from csat_analysis import io
from csat_analysis.errors import SurveyDataError
from csat_analysis.io import read_schema, read_survey

LABELS_EN = {"Very dissatisfied": 1, "Dissatisfied": 2, "Neutral": 3, "Satisfied": 4, "Very satisfied": 5}
LABELS_ZH = {"非常不满意": 1, "不满意": 2, "一般": 3, "满意": 4, "非常满意": 5}

SCHEMA = {
    "id": "respondent_id",
    "columns": {
        "satisfaction": {"scale": [1, 5], "labels": {**LABELS_EN, **LABELS_ZH}, "missing": [-99, 99], "required": True},
        "effort": {"scale": [1, 7], "reverse": True},
        "store": {"type": "category"},
        "region": {"categories": ["north", "south"]},
        "spend": {"type": "float", "min": 0},
        "visits": {"type": "int", "min": 0},
        "churned": {"type": "bool", "true": ["yes", 1], "false": ["no", 0]},
    },
}


def good_frame():
    return pd.DataFrame(
        {
            "respondent_id": [101, 102, 103, 104],
            "satisfaction": ["Very satisfied", "不满意", "-99", "3"],
            "effort": [1, 7, 4, 2],
            "store": ["s1", "s2", "s1", "s3"],
            "region": ["north", "south", "south", "north"],
            "spend": [10.5, 0.0, 3.25, 100.0],
            "visits": [1, 0, 12, 3],
            "churned": ["yes", "no", "no", "yes"],
            "comment": ["fine", "slow", None, "ok"],
        }
    )


def write(frame, tmp_path, suffix):
    path = tmp_path / f"survey{suffix}"
    if suffix == ".csv":
        frame.to_csv(path, index=False)
    elif suffix == ".parquet":
        frame.to_parquet(path, index=False)
    else:
        frame.to_excel(path, index=False)
    return path


def check_good_result(result):
    assert result["satisfaction"].tolist()[:2] == [5.0, 2.0]
    assert np.isnan(result["satisfaction"][2]) and result["satisfaction"][3] == 3.0
    assert result["satisfaction"].dtype == float
    assert result["effort"].tolist() == [7.0, 1.0, 4.0, 6.0]  # 1 + 7 - x
    assert isinstance(result["store"].dtype, pd.CategoricalDtype)
    assert list(result["region"].cat.categories) == ["north", "south"]
    assert result["spend"].dtype == float
    assert result["visits"].dtype == "int64"
    assert result["churned"].dtype == bool and result["churned"].tolist() == [True, False, False, True]
    assert result["comment"].tolist()[:2] == ["fine", "slow"]  # not in the schema: unchanged
    assert list(result.columns) == list(good_frame().columns)


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".xlsx"])
def test_round_trip_every_format(tmp_path, suffix):
    check_good_result(read_survey(write(good_frame(), tmp_path, suffix), SCHEMA))


def test_yaml_schema_file_equals_dict_schema(tmp_path):
    schema_path = tmp_path / "schema.yaml"
    schema_path.write_text(yaml.safe_dump(SCHEMA, allow_unicode=True), encoding="utf-8")
    path = write(good_frame(), tmp_path, ".csv")
    pd.testing.assert_frame_equal(read_survey(path, schema_path), read_survey(path, SCHEMA))
    pd.testing.assert_frame_equal(read_survey(path, str(schema_path)), read_survey(path, SCHEMA))


def test_english_and_chinese_labels_map_to_the_same_numbers(tmp_path):
    frame = pd.DataFrame({"sat": list(LABELS_EN) + list(LABELS_ZH)})
    result = read_survey(
        write(frame, tmp_path, ".xlsx"), {"columns": {"sat": {"scale": [1, 5], "labels": {**LABELS_EN, **LABELS_ZH}}}}
    )
    assert result["sat"].tolist() == [1.0, 2.0, 3.0, 4.0, 5.0] * 2


def test_yaml_schema_with_chinese_labels(tmp_path):
    schema_path = tmp_path / "schema.yaml"
    schema_path.write_text(
        "columns:\n  sat:\n    scale: [1, 5]\n    labels: {非常满意: 5, 满意: 4, 不满意: 2}\n", encoding="utf-8"
    )
    path = write(pd.DataFrame({"sat": ["满意", "非常满意", "不满意"]}), tmp_path, ".csv")
    assert read_survey(path, schema_path)["sat"].tolist() == [4.0, 5.0, 2.0]


def error_for(tmp_path, frame, schema, suffix=".csv"):
    with pytest.raises(SurveyDataError) as error:
        read_survey(write(frame, tmp_path, suffix), schema)
    return str(error.value)


def test_out_of_range_rating(tmp_path):
    frame = good_frame()
    frame.loc[3, "satisfaction"] = "6"
    message = error_for(tmp_path, frame, SCHEMA)
    assert "'satisfaction'" in message and "row 3" in message and "1..5" in message and "0-based" in message


def test_unknown_label(tmp_path):
    frame = good_frame()
    frame.loc[1, "satisfaction"] = "很好"
    message = error_for(tmp_path, frame, SCHEMA)
    assert "'satisfaction'" in message and "很好" in message and "row 1" in message


def test_text_in_numeric_column(tmp_path):
    frame = good_frame()
    frame["spend"] = frame["spend"].astype(object)
    frame.loc[2, "spend"] = "lots"
    message = error_for(tmp_path, frame, SCHEMA)
    assert "'spend'" in message and "'lots' (row 2)" in message and "non-numeric" in message


def test_text_in_rating_column_without_labels(tmp_path):
    frame = good_frame()
    frame["effort"] = frame["effort"].astype(object)
    frame.loc[0, "effort"] = "easy"
    message = error_for(tmp_path, frame, SCHEMA)
    assert "'effort'" in message and "'easy'" in message and "row 0" in message


def test_below_min(tmp_path):
    frame = good_frame()
    frame.loc[1, "spend"] = -5.0
    message = error_for(tmp_path, frame, SCHEMA)
    assert "'spend'" in message and "-5.0 (row 1)" in message and "min=0" in message


def test_non_integer_in_int_column(tmp_path):
    frame = good_frame()
    frame["visits"] = [1.0, 2.5, 3.0, 4.0]
    message = error_for(tmp_path, frame, SCHEMA)
    assert "'visits'" in message and "2.5 (row 1)" in message


def test_unknown_category(tmp_path):
    frame = good_frame()
    frame.loc[2, "region"] = "east"
    message = error_for(tmp_path, frame, SCHEMA)
    assert "'region'" in message and "'east' (row 2)" in message and "north" in message


def test_undeclared_boolean_spelling(tmp_path):
    frame = good_frame()
    frame.loc[0, "churned"] = "Y"
    message = error_for(tmp_path, frame, SCHEMA)
    assert "'churned'" in message and "'Y' (row 0)" in message and "'yes'" in message


def test_booleans_by_default_accept_only_true_false(tmp_path):
    schema = {"columns": {"flag": {"type": "bool"}}}
    ok = read_survey(write(pd.DataFrame({"flag": [True, False]}), tmp_path, ".csv"), schema)
    assert ok["flag"].tolist() == [True, False] and ok["flag"].dtype == bool
    message = error_for(tmp_path, pd.DataFrame({"flag": [1, 0]}), schema)
    assert "'flag'" in message and "1 (row 0)" in message


def test_missing_booleans_give_nullable_dtype(tmp_path):
    schema = {"columns": {"flag": {"type": "bool", "true": ["yes"], "false": ["no"], "missing": ["n/a"]}}}
    result = read_survey(write(pd.DataFrame({"flag": ["yes", "n/a", "no"]}), tmp_path, ".csv"), schema)
    assert str(result["flag"].dtype) == "boolean" and result["flag"].isna().tolist() == [False, True, False]


def test_missing_required_column(tmp_path):
    message = error_for(tmp_path, good_frame().drop(columns="satisfaction"), SCHEMA)
    assert "required" in message and "'satisfaction'" in message


def test_absent_optional_column_is_fine(tmp_path):
    result = read_survey(write(good_frame().drop(columns="store"), tmp_path, ".csv"), SCHEMA)
    assert "store" not in result.columns


def test_duplicate_respondent_ids(tmp_path):
    frame = good_frame()
    frame.loc[3, "respondent_id"] = 102
    message = error_for(tmp_path, frame, SCHEMA)
    # ids are read as text, so the message shows them as text
    assert (
        "'respondent_id'" in message
        and "duplicate" in message
        and "'102' (row 1)" in message
        and "'102' (row 3)" in message
    )


def test_missing_id_column_and_missing_ids(tmp_path):
    message = error_for(tmp_path, good_frame().drop(columns="respondent_id"), SCHEMA)
    assert "'respondent_id'" in message and "missing" in message
    frame = good_frame()
    frame["respondent_id"] = [1.0, None, 3.0, 4.0]
    assert "row 1" in error_for(tmp_path, frame, SCHEMA)


def test_missing_codes_become_missing_before_validation(tmp_path):
    frame = pd.DataFrame({"q": [99, 3, -99, 5]})
    result = read_survey(write(frame, tmp_path, ".csv"), {"columns": {"q": {"scale": [1, 5], "missing": [-99, 99]}}})
    assert result["q"].isna().tolist() == [True, False, True, False]
    # without the missing codes, 99 is out of range and named with its row
    message = error_for(tmp_path, frame, {"columns": {"q": {"scale": [1, 5]}}})
    assert "99 (row 0)" in message and "-99 (row 2)" in message


def test_rows_are_data_rows_in_excel_too(tmp_path):
    frame = good_frame()
    frame.loc[2, "region"] = "east"
    assert "'east' (row 2)" in error_for(tmp_path, frame, SCHEMA, suffix=".xlsx")


@pytest.mark.parametrize(
    "schema, message",
    [
        ({"colums": {}}, "schema key"),
        ({"columns": {"q": {"scael": [1, 5]}}}, "scale"),
        ({"columns": {"q": {"type": "number"}}}, "rating"),
        ({"columns": {"q": {}}}, "give a type"),
        ({"columns": {"q": {"type": "float", "reverse": True}}}, "reverse"),
        ({"columns": {"q": {"scale": [5, 1]}}}, "low"),
        ({"columns": {"q": {"scale": [1, 5], "labels": {"great": 9}}}}, "outside"),
    ],
)
def test_invalid_schema(tmp_path, schema, message):
    with pytest.raises(SurveyDataError, match=message):
        read_survey(write(good_frame(), tmp_path, ".csv"), schema)


def test_schema_file_problems(tmp_path):
    with pytest.raises(SurveyDataError, match="does not exist"):
        read_schema(tmp_path / "nope.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("columns: [unclosed", encoding="utf-8")
    with pytest.raises(SurveyDataError, match="not valid YAML"):
        read_schema(bad)


def test_unsupported_suffix_and_missing_file(tmp_path):
    path = tmp_path / "survey.sav"
    path.write_text("x")
    with pytest.raises(SurveyDataError, match=r"\.csv"):
        read_survey(path, SCHEMA)
    with pytest.raises(SurveyDataError, match="does not exist"):
        read_survey(tmp_path / "none.csv", SCHEMA)


@pytest.mark.parametrize("suffix, module", [(".parquet", "pyarrow"), (".xlsx", "openpyxl")])
def test_missing_optional_package_says_how_to_install(tmp_path, monkeypatch, suffix, module):
    path = write(good_frame(), tmp_path, suffix)
    monkeypatch.setitem(sys.modules, module, None)  # makes `import module` fail
    with pytest.raises(SurveyDataError, match=r"pip install csat-analysis\[formats\]"):
        read_survey(path, SCHEMA)


def test_numbers_written_as_text_are_read_but_nan_text_is_not(tmp_path):
    schema = {"columns": {"q": {"scale": [1, 5], "labels": {"good": 4}}}}
    assert read_survey(write(pd.DataFrame({"q": ["good", "2", " 5 "]}), tmp_path, ".csv"), schema)["q"].tolist() == [
        4.0,
        2.0,
        5.0,
    ]
    frame = pd.DataFrame({"q": ["good", "nan"]})
    path = tmp_path / "nan.xlsx"
    frame.to_excel(path, index=False)
    # Excel keeps "nan" as text: it is not a label, so it is an error rather than a silent missing value
    with pytest.raises(SurveyDataError, match="nan"):
        read_survey(path, schema)


def test_rows_note_constant_is_in_messages():
    assert "0-based" in io.ROWS_NOTE


def test_na_text_is_an_answer_unless_declared_missing(tmp_path):
    path = write(pd.DataFrame({"q": ["4", "NA", "2"]}), tmp_path, ".csv")
    with pytest.raises(SurveyDataError, match="'NA' \\(row 1\\)"):
        read_survey(path, {"columns": {"q": {"scale": [1, 5]}}})
    result = read_survey(path, {"columns": {"q": {"scale": [1, 5], "missing": ["NA"]}}})
    assert result["q"].isna().tolist() == [False, True, False]


def test_yaml_boolean_declaration_from_the_docstring(tmp_path):
    schema_path = tmp_path / "schema.yaml"
    schema_path.write_text(
        'columns:\n  churned: {type: bool, "true": ["yes", 1], "false": ["no", 0]}\n', encoding="utf-8"
    )
    path = write(pd.DataFrame({"churned": ["yes", "no", "1", "0"]}), tmp_path, ".csv")
    assert read_survey(path, schema_path)["churned"].tolist() == [True, False, True, False]
    # an unquoted key is read by YAML as a boolean; it still means the same
    schema_path.write_text(
        'columns:\n  churned: {type: bool, true: ["yes", "1"], false: ["no", "0"]}\n', encoding="utf-8"
    )
    assert read_survey(path, schema_path)["churned"].tolist() == [True, False, True, False]


def test_numbers_in_numeric_columns_use_the_shared_reader_and_keep_the_rows_note(tmp_path):
    frame = good_frame()
    frame["visits"] = frame["visits"].astype(object)
    frame.loc[1, "visits"] = "often"
    message = error_for(tmp_path, frame, SCHEMA)
    assert message.startswith("column 'visits': non-numeric values 'often' (row 1)") and io.ROWS_NOTE in message


def test_read_numbers_parses_text_numbers_and_rejects_other_text():
    from csat_analysis._validation import read_numbers

    assert read_numbers(pd.Series([" 4 ", None, "2.5"], dtype=object), "x").tolist()[::2] == [4.0, 2.5]
    assert read_numbers(pd.Series(pd.Categorical([1, 2])), "x").tolist() == [1.0, 2.0]
    with pytest.raises(SurveyDataError, match=r"^x: non-numeric values 'nope' \(row 2\)$"):
        read_numbers(pd.Series([1, 2, "nope"], dtype=object), "x")
