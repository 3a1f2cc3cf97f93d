"""Survey descriptions: loading, checking, per-item scales, labels, the bundled descriptions and csat describe."""

from __future__ import annotations

import pandas as pd
import pytest

from csat_analysis import datasets
from csat_analysis.cli import main
from csat_analysis.errors import SurveyDataError
from csat_analysis.scaling import Scale
from csat_analysis.studies import DATASET_ROLES, dataset_roles
from csat_analysis.survey import (
    SURVEYS_DIR,
    SurveyDescription,
    bundled_surveys,
    describe,
)

BUNDLED = ["mobi", "corp_rep", "telco_churn", "service_calls_churn"]

OWN = {
    "title": "Test survey",
    "id": "rid",
    "scale": [1, 5],
    "columns": {
        "q1": {"labels": {"Good": 5, "Bad": 1}, "scale": [1, 5], "missing": ["DK"], "label": "staff"},
        "q2": {"scale": [1, 7], "reverse": True, "label": {"en": "price", "zh": "价格"}},
        "nps": {"scale": [0, 10]},
        "region": {"type": "category", "label": "region"},
        "left": {"type": "bool", "true": ["yes"], "false": ["no"]},
        "note": {"label": "free text"},
    },
    "roles": {
        "segments": "region",
        "satisfaction": ["q1", "q2"],
        "loyalty": "q3",
        "recommend": "nps",
        "drivers": {"Service": ["q1"], "Price": "q2"},
        "complaint": {"problem": "p", "complained": "c", "resolution_hours": "h", "fast_hours": 48},
        "churn": {"churned": "left", "tenure": "months", "tenure_unit": "months"},
    },
    "studies": {"model": "none"},
}


# --- loading and the shape of roles --------------------------------------------------------


def test_roles_are_normalised_to_the_shape_studies_read():
    description = SurveyDescription.load(OWN)
    roles = description.roles
    assert roles["segments"] == ["region"] and roles["loyalty"] == ["q3"]
    assert roles["drivers"] == {"Service": ["q1"], "Price": ["q2"]}
    assert roles["id"] == "rid" and roles["scale"] == (1, 5) and roles["studies"] == {"model": "none"}
    assert roles["complaint"]["fast_hours"] == 48
    assert description.title == "Test survey"
    assert description.items("drivers") == ["q1", "q2"]
    # the read_survey schema keeps the typed columns only; a label-only column passes through
    assert set(description.schema["columns"]) == {"q1", "q2", "nps", "region", "left"}
    assert description.schema["id"] == "rid"


def test_yaml_file_and_dict_give_the_same_description(tmp_path):
    import yaml

    path = tmp_path / "survey.yaml"
    path.write_text(yaml.safe_dump(OWN, allow_unicode=True), encoding="utf-8")
    from_file = SurveyDescription.load(path)
    from_dict = SurveyDescription.load(OWN)
    assert from_file.roles == from_dict.roles
    assert from_file.source == str(path)
    assert SurveyDescription.load(from_file) is not from_file  # a description is copied


@pytest.mark.parametrize("name", [*BUNDLED, "simulated"])
def test_bundled_descriptions_fit_their_data(name):
    description = SurveyDescription.for_dataset(name)
    assert description.title and description.source.endswith(f"{name}.yaml")
    data = datasets.open_study_data(name, n=200).data
    description.check_data(data)  # every role names a column of the data (or a derived one)
    assert dataset_roles(name) == DATASET_ROLES[name] == description.roles


def test_bundled_roles_keep_their_known_columns():
    assert set(bundled_surveys()) == {*BUNDLED, "fine_food_reviews", "chinese_product_reviews", "simulated"}
    assert dataset_roles("fine_food_reviews")["comments"]["low_scores"] == ["other"]
    assert dataset_roles("mobi")["satisfaction"] == ["CUSA1", "CUSA2", "CUSA3"]
    assert dataset_roles("mobi")["behaviour_is_proxy"] is True
    assert dataset_roles("corp_rep")["segments"] == ["serviceprovider"]
    assert dataset_roles("simulated")["complaint"]["status"] == "complaint_status"
    assert dataset_roles("service_calls_churn")["churn"]["tenure_unit"] == "days"
    assert dataset_roles("my_file.csv") == {} and dataset_roles("../etc/passwd") == {}
    # a copy each time: changing it changes nothing for the next caller
    roles = dataset_roles("mobi")
    roles["satisfaction"].append("x")
    assert dataset_roles("mobi")["satisfaction"] == ["CUSA1", "CUSA2", "CUSA3"]


# --- errors naming the key ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "change, message",
    [
        ({"colour": "red"}, "key='colour' is not valid; choose one of: 'id', 'columns'"),
        ({"roles": {"loyalti": ["q3"]}}, "roles key='loyalti' is not valid"),
        ({"roles": {"loyalty": 3}}, "roles, key 'loyalty': expected a column name or a list of column names; got 3"),
        ({"roles": {"satisfaction": ["q1", ""]}}, "roles, key 'satisfaction'"),
        ({"roles": {"drivers": {"Service": []}}}, "construct 'Service'"),
        ({"roles": {"complaint": {"state": "s"}}}, "roles.complaint key='state' is not valid"),
        ({"roles": {"complaint": {"fast_hours": -1, "resolution_hours": "h"}}}, "roles.complaint, key 'fast_hours'"),
        (
            {"roles": {"complaint": {"fast_hours": 24}}},
            "roles.complaint.fast_hours needs roles.complaint.resolution_hours",
        ),
        (
            {"roles": {"complaint": {"resolved_quickly": "q"}}},
            "roles.complaint.resolved_quickly needs roles.complaint.resolved",
        ),
        ({"roles": {"churn": {"tenure_unit": "fortnights"}}}, "roles.churn, key 'tenure_unit'"),
        ({"roles": {"satisfaction": ["region"]}}, "roles.satisfaction names 'region', declared as type 'category'"),
        ({"roles": {"id": "other"}}, "id 'rid' and roles.id 'other' differ"),
        ({"roles": ["q1"]}, "key 'roles': expected a mapping"),
        ({"scale": [5, 1]}, "key 'scale'"),
        ({"title": 3}, "key 'title': expected text"),
        (
            {"columns": {"q1": {"scale": [1, 5], "required": "no"}}},
            "column 'q1', key 'required': expected true or false",
        ),
        ({"columns": {"q9": {"missing": [9]}}}, "column 'q9': give a type"),
    ],
)
def test_mistakes_are_named(change, message):
    raw = {**{k: v for k, v in OWN.items() if k != "roles"}, "roles": dict(OWN["roles"])}
    for key, value in change.items():
        if key == "roles" and isinstance(value, dict):
            raw["roles"] = {**raw["roles"], **value}
        else:
            raw[key] = value
    with pytest.raises(SurveyDataError, match=_escaped(message)):
        SurveyDescription.load(raw)


def _escaped(text: str) -> str:
    import re

    return re.escape(text)


def test_file_mistakes_are_named(tmp_path):
    with pytest.raises(SurveyDataError, match="does not exist"):
        SurveyDescription.load(tmp_path / "missing.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("roles: [unclosed\n", encoding="utf-8")
    with pytest.raises(SurveyDataError, match="bad.yaml"):
        SurveyDescription.load(bad)
    bomb = tmp_path / "bomb.yaml"
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 8)]
    bomb.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(SurveyDataError, match="bomb.yaml"):
        SurveyDescription.load(bomb)
    listed = tmp_path / "list.yaml"
    listed.write_text("- a\n- b\n", encoding="utf-8")
    with pytest.raises(SurveyDataError, match="expected a mapping"):
        SurveyDescription.load(listed)
    empty = tmp_path / "empty.yaml"
    empty.write_text("", encoding="utf-8")
    assert SurveyDescription.load(empty).roles == {}


# --- scales and labels ----------------------------------------------------------------------------


def test_each_item_has_its_own_scale():
    description = SurveyDescription.load(OWN)
    assert description.scale("q1") == Scale(1, 5) and description.scale("q1").labels == {"Good": 5, "Bad": 1}
    assert description.scale("q2") == Scale(1, 7)
    assert description.scale("nps") == Scale(0, 10)
    assert description.scale("q3") == Scale(1, 5)  # no scale of its own: the survey's default
    assert description.scale("region") is None  # declared a category
    assert description.scale("left") is None  # a yes/no column
    assert description.scale("h") is None  # complaint resolution hours: not a rating
    assert description.scale("months") is None  # churn tenure
    assert description.scale("note") == Scale(1, 5)  # described but untyped: the default applies


def test_the_recommend_item_defaults_to_0_10_not_the_survey_scale():
    description = SurveyDescription.load({"scale": [1, 5], "roles": {"loyalty": ["rec"], "recommend": "rec"}})
    assert description.scale("rec") == Scale(0, 10)
    assert SurveyDescription.load({"roles": {"satisfaction": ["q1"]}}).scale("q1") is None


def test_labels_by_language():
    description = SurveyDescription.load(OWN)
    assert description.label("q1") == "staff"
    assert description.label("q2") == "price" and description.label("q2", language="zh") == "价格"
    assert description.label("q2", language="fr") == "price"  # falls back to English
    assert description.label("unknown") == "unknown"
    assert description.labels(["q1", "note"]) == {"q1": "staff", "note": "free text"}


# --- checking against the data and reading a file ------------------------------------------------------


def test_check_data_names_each_missing_role_column():
    description = SurveyDescription.load(
        {
            "roles": {"satisfaction": ["q1", "q9"], "complaint": {"status": "st"}},
            "derived": ["tenure_band"],
            "columns": {"must": {"label": "m", "required": True}},
        }
    )
    with pytest.raises(SurveyDataError) as error:
        description.check_data(pd.DataFrame({"q1": [1], "must": [1]}))
    text = str(error.value)
    assert "roles.satisfaction names 'q9'" in text and "roles.complaint.status names 'st'" in text
    assert "columns in the data: q1, must" in text
    with pytest.raises(SurveyDataError, match=r"columns.must \(required: true\)"):
        description.check_data(pd.DataFrame({"q1": [1], "q9": [1], "st": ["x"]}))
    derived = SurveyDescription.load({"roles": {"segments": ["tenure_band"]}, "derived": ["tenure_band"]})
    derived.check_data(pd.DataFrame({"tenure": [1]}))  # derived by the studies: not required in the data


def test_read_applies_labels_missing_codes_reverse_and_checks_roles(tmp_path):
    path = tmp_path / "answers.csv"
    pd.DataFrame(
        {
            "rid": ["a", "b", "c"],
            "q1": ["Good", "DK", "2"],
            "q2": [1, 7, 4],
            "nps": [10, 0, 7],
            "region": ["n", "s", "n"],
            "left": ["yes", "no", "no"],
            "note": [5, 6, 7],
            "q3": [1, 2, 3],
            "p": [1, 0, 0],
            "c": [1, 0, 0],
            "h": [3, None, None],
            "months": [1, 2, 3],
        }
    ).to_csv(path, index=False)
    frame = SurveyDescription.load(OWN).read(path)
    assert frame["q1"].tolist()[0] == 5 and pd.isna(frame["q1"][1]) and frame["q1"][2] == 2
    assert frame["q2"].tolist() == [7, 1, 4]  # reverse-coded on 1-7
    assert frame["left"].tolist() == [True, False, False]
    assert frame["note"].tolist() == [5, 6, 7]  # label-only: read as the file has it
    pd.read_csv(path).drop(columns="q3").to_csv(path, index=False)
    with pytest.raises(SurveyDataError, match="roles.loyalty names 'q3', which is not in answers.csv"):
        SurveyDescription.load(OWN).read(path)


# --- csat describe --------------------------------------------------------------------------------


def test_describe_bundled_data_lists_what_is_skipped():
    text = describe(SURVEYS_DIR / "mobi.yaml", "mobi", studies=("satisfaction_vs_loyalty", "complaint_resolution"))
    assert "CUSA1 [1-10]" in text
    assert "skips Net Promoter Score: no 0-10 recommend item" in text
    assert "skips Complaint funnel and voice rate" in text


def test_describe_without_data_lists_the_roles():
    text = describe(SURVEYS_DIR / "telco_churn.yaml")
    assert "churn.tenure" in text and "tenure_band (derived by the studies)" in text
    assert "\nsatisfaction_vs_loyalty" not in text


def test_describe_command_reports_mistakes(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("roles:\n  loyalti: [a]\n", encoding="utf-8")
    assert main(["describe", str(bad)]) == 2
    assert "roles key='loyalti' is not valid" in capsys.readouterr().err
    missing = tmp_path / "missing.yaml"
    missing.write_text("roles:\n  satisfaction: [nope]\n", encoding="utf-8")
    assert main(["describe", str(missing), "mobi"]) == 2
    assert "roles.satisfaction names 'nope'" in capsys.readouterr().err
