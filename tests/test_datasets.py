import hashlib
import json
import shutil

import numpy as np
import pandas as pd
import pytest

from csat_analysis import datasets
from csat_analysis.errors import CsatError, ParameterError, StudyError, SurveyDataError

EXPECTED_SHAPES = {
    "mobi": (250, 24),
    "corp_rep": (344, 41),
    "telco_churn": (7043, 20),
    "service_calls_churn": (5000, 20),
}


@pytest.mark.parametrize("name, shape", EXPECTED_SHAPES.items())
def test_load_shapes(name, shape):
    assert datasets.load(name).shape == shape


def test_list_datasets_matches_loaded_shapes():
    listing = datasets.list_datasets().set_index("name")
    assert list(listing.columns[:5]) == ["rows", "columns", "description", "source", "licence"]
    for name, (rows, columns) in EXPECTED_SHAPES.items():
        assert (listing.loc[name, "rows"], listing.loc[name, "columns"]) == (rows, columns)


def test_manifest_checksums_match_files():
    manifest = json.loads((datasets.DATA_DIR / "manifest.json").read_text())["datasets"]
    for entry in manifest.values():
        digest = hashlib.sha256((datasets.DATA_DIR / entry["file"]).read_bytes()).hexdigest()
        assert digest == entry["sha256"]


def test_corp_rep_missing_code_becomes_missing():
    raw = pd.read_csv(datasets.DATA_DIR / "corp_rep.csv")
    loaded = datasets.load("corp_rep")
    assert (raw == -99).to_numpy().sum() == 11
    assert loaded.isna().to_numpy().sum() == 11
    assert not (loaded.select_dtypes("number") == -99).to_numpy().any()
    # every other value is untouched
    items = loaded.columns.drop(["servicetype", "serviceprovider"])
    kept = raw[items].where(raw[items] != -99)
    np.testing.assert_array_equal(kept.to_numpy(dtype=float), loaded[items].to_numpy())


def test_dtypes():
    corp_rep = datasets.load("corp_rep")
    assert isinstance(corp_rep["serviceprovider"].dtype, pd.CategoricalDtype)
    assert sorted(corp_rep["servicetype"].cat.categories) == ["postpaid", "prepaid"]
    telco = datasets.load("telco_churn")
    assert telco["churn"].dtype == bool
    assert telco["churn"].sum() == 1869  # IBM telco: 1869 churners of 7043
    assert telco["contract"].cat.ordered
    calls = datasets.load("service_calls_churn")
    assert calls["churn"].dtype == bool and calls["international_plan"].dtype == bool
    assert calls["churn"].sum() == 707
    assert datasets.load("mobi").dtypes.eq("int64").all()


def test_altered_file_is_an_error(tmp_path, monkeypatch):
    for path in datasets.DATA_DIR.iterdir():
        shutil.copy(path, tmp_path / path.name)
    with open(tmp_path / "mobi.csv", "a") as handle:
        handle.write("1,2,3\n")
    monkeypatch.setattr(datasets, "DATA_DIR", tmp_path)
    datasets._manifest.cache_clear()
    try:
        with pytest.raises(SurveyDataError, match="SHA-256"):
            datasets.load("mobi")
        assert datasets.load("corp_rep").shape == (344, 41)
    finally:
        datasets._manifest.cache_clear()


def test_unknown_name_lists_choices():
    with pytest.raises(ParameterError, match="'mobi', 'corp_rep'"):
        datasets.load("mobile")


def test_open_study_data_real_and_unknown():
    study = datasets.open_study_data("corp_rep")
    assert study.kind == "real" and "Real data: corp_rep" in study.source and len(study.data) == 344
    with pytest.raises(StudyError, match="'simulated'"):
        datasets.open_study_data("no_such_data")


def test_errors_are_value_errors():
    assert issubclass(SurveyDataError, CsatError) and issubclass(CsatError, ValueError)


# --- open_study_data with a survey description -----------------------------------------------


def test_open_study_data_uses_the_bundled_description_by_default():
    study = datasets.open_study_data("mobi")
    assert study.survey.roles["satisfaction"] == ["CUSA1", "CUSA2", "CUSA3"]
    assert study.survey.source.endswith("mobi.yaml")
    simulated = datasets.open_study_data("simulated", n=200)
    assert simulated.survey.roles["recommend"] == "nps_score" and simulated.survey.scale("nps_score").high == 10


def test_open_study_data_takes_a_description_for_bundled_data():
    study = datasets.open_study_data(
        "mobi", survey={"scale": [1, 10], "roles": {"satisfaction": ["CUSA1"], "loyalty": ["CUSL2"]}}
    )
    assert study.survey.roles["satisfaction"] == ["CUSA1"] and "drivers" not in study.survey.roles
    with pytest.raises(SurveyDataError, match="roles.loyalty names 'LOYAL', which is not in data set 'mobi'"):
        datasets.open_study_data("mobi", survey={"roles": {"loyalty": ["LOYAL"]}})


def test_open_study_data_reads_a_file_with_its_description(tmp_path):
    path = tmp_path / "answers.csv"
    pd.DataFrame({"id": ["a", "b"], "sat": ["high", "low"], "rec": [9, 3]}).to_csv(path, index=False)
    survey = {
        "id": "id",
        "title": "Mini",
        "columns": {"sat": {"labels": {"high": 5, "low": 1}}, "rec": {"scale": [0, 10]}},
        "roles": {"satisfaction": ["sat"], "recommend": "rec"},
    }
    study = datasets.open_study_data(str(path), survey=survey)
    assert study.kind == "user" and study.source == "User data: answers.csv (Mini), n = 2"
    assert study.data["sat"].tolist() == [5.0, 1.0] and study.survey.scale("rec").high == 10
    # a schema alone still works (a description without roles); the survey wins over it
    schema_only = datasets.open_study_data(str(path), schema={"columns": {"sat": {"labels": {"high": 5, "low": 1}}}})
    assert schema_only.data["sat"].tolist() == [5.0, 1.0] and schema_only.survey.roles == {}
    both = datasets.open_study_data(str(path), survey=survey, schema={"columns": {"sat": {"type": "text"}}})
    assert both.data["sat"].tolist() == [5.0, 1.0]
    with pytest.raises(StudyError, match="give its survey description"):
        datasets.open_study_data(str(path))
    with pytest.raises(SurveyDataError, match="roles.loyalty names 'loy', which is not in answers.csv"):
        datasets.open_study_data(str(path), survey={**survey, "roles": {"loyalty": ["loy"]}})
