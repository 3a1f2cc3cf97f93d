"""The simulator keeps its contract and a large draw recovers the truth it reports.

Recovery checks compare observed shares with the generating rates using the Wilson
interval at a strict level (99.9%), so each check fails when a rate is wrong by more
than sampling error, and passes by chance failure only rarely; seeds are fixed, so the
outcome is deterministic.
"""

import numpy as np
import pandas as pd
import pytest

from csat_analysis import simulate
from csat_analysis.errors import SurveyDataError
from csat_analysis.metrics import proportion, wilson_interval
from csat_analysis.simulate import simulate_panel

LARGE = 400_000
CI = 0.999

CONTRACT_COLUMNS = [
    "respondent_id",
    "segment",
    "weight",
    *[item for items in simulate.ITEMS.values() for item in items],
    "nps_score",
    "ces_score",
    "sales_satisfied",
    "service_satisfied",
    "loyal_to_dealer",
    "loyal_to_brand",
    "problem",
    "severity",
    "complained",
    "complaint_status",
    "resolved_first_contact",
    "escalation_level",
    "resolution_hours",
    "hours_open",
    "repurchase",
    "churned",
    "churn_cause",
    "tenure_months",
    "annual_revenue",
]
MOBI_ITEMS = [
    "CUEX1",
    "CUEX2",
    "CUEX3",
    "CUSA1",
    "CUSA2",
    "CUSA3",
    "CUSCO",
    "CUSL1",
    "CUSL2",
    "CUSL3",
    "IMAG1",
    "IMAG2",
    "IMAG3",
    "IMAG4",
    "IMAG5",
    "PERQ1",
    "PERQ2",
    "PERQ3",
    "PERQ4",
    "PERQ5",
    "PERQ6",
    "PERQ7",
    "PERV1",
    "PERV2",
]


@pytest.fixture(scope="module")
def large():
    return simulate_panel(LARGE, seed=11)


@pytest.fixture(scope="module")
def everyone_complains():
    # voice_rate = 1 gives enough complainants to check every step of the funnel
    return simulate_panel(LARGE, seed=12, voice_rate=1.0)


def assert_rate(flags, rate, what):
    flags = np.asarray(flags, dtype=bool)
    assert flags.size > 100, f"{what}: too few rows ({flags.size}) to check"
    low, high = wilson_interval(flags.mean(), flags.size, CI)
    assert low <= rate <= high, f"{what}: observed {flags.mean():.4f} (n={flags.size}), truth {rate}"


def test_same_seed_same_data_different_seed_different_data():
    first, again, other = simulate_panel(3000, seed=5), simulate_panel(3000, seed=5), simulate_panel(3000, seed=6)
    pd.testing.assert_frame_equal(first.data, again.data)
    assert first.truth == again.truth
    assert not first.data.drop(columns="respondent_id").equals(other.data.drop(columns="respondent_id"))
    assert (first.data["CUSA1"] != other.data["CUSA1"]).mean() > 0.5


def test_contract_columns_and_dtypes():
    data = simulate_panel(5000, seed=1).data
    assert list(data.columns) == CONTRACT_COLUMNS
    assert (
        sorted(simulate.ITEMS["Image"] + [i for k, v in simulate.ITEMS.items() if k != "Image" for i in v])
        == MOBI_ITEMS
    )
    assert pd.api.types.is_integer_dtype(data["respondent_id"]) and data["respondent_id"].is_unique
    assert list(data["segment"].cat.categories) == ["A", "B", "C", "D"]
    assert (data["weight"] > 0).all()
    for item in MOBI_ITEMS:
        assert data[item].dtype == np.int8
        assert data[item].between(1, 10).all()
    assert set(np.unique(data["CUSA1"])) == set(range(1, 11))
    assert data["nps_score"].between(0, 10).all() and data["nps_score"].nunique() == 11
    assert data["ces_score"].between(1, 7).all() and data["ces_score"].nunique() == 7
    for flag in [
        "sales_satisfied",
        "service_satisfied",
        "loyal_to_dealer",
        "loyal_to_brand",
        "problem",
        "complained",
        "repurchase",
        "churned",
    ]:
        assert data[flag].dtype == bool, flag
    assert list(data["complaint_status"].cat.categories) == simulate.COMPLAINT_STATUSES
    assert list(data["severity"].cat.categories) == ["major", "minor"]
    assert list(data["churn_cause"].cat.categories) == [
        "death",
        "moved",
        "habits",
        "competitor",
        "quality",
        "indifference",
    ]
    assert (data["tenure_months"] >= 1).all() and pd.api.types.is_integer_dtype(data["tenure_months"])
    assert (data["annual_revenue"] > 0).all()


def test_missingness_and_consistency_rules(large):
    data = large.data
    problem, complained = data["problem"], data["complained"]
    assert data["severity"].isna().eq(~problem).all()
    assert (~complained | problem).all()
    assert data["resolved_first_contact"].isna().eq(~complained).all()
    status = data["complaint_status"].astype(str)
    assert status[~problem].eq("no_problem").all()
    assert status[problem & ~complained].eq("no_complaint").all()
    assert status[complained].isin(["unresolved", "resolved", "resolved_quickly"]).all()
    resolved = status.isin(["resolved", "resolved_quickly"])
    assert data["resolution_hours"].notna().eq(resolved).all()
    assert data["hours_open"].notna().eq(status.eq("unresolved")).all()
    fast = data["resolution_hours"] <= large.truth["fast_hours"]
    assert status[resolved & fast].eq("resolved_quickly").all()
    assert status[resolved & ~fast].eq("resolved").all()
    assert data["escalation_level"].eq(0).eq(~complained).all()
    assert data["escalation_level"].between(0, 3).all()
    assert not data["resolved_first_contact"][status.eq("unresolved")].any()
    assert data["churn_cause"].isna().eq(~data["churned"]).all()
    assert (data["tenure_months"] <= large.truth["max_tenure_months"]).all()


def test_truth_keys():
    truth = simulate_panel(100).truth
    for key in [
        "paths",
        "repurchase_rates",
        "voice_rate",
        "problem_rate",
        "fast_hours",
        "escalation",
        "churn_cause_shares",
        "dealer_loyalty",
        "segment_population_shares",
    ]:
        assert key in truth
    assert truth["voice_rate"] == 0.04 and truth["problem_rate"] == 0.25 and truth["fast_hours"] == 24
    assert truth["repurchase_rates"]["resolved_quickly"] == {"major": 0.82, "minor": 0.95}
    assert set(truth["repurchase_rates"]) == {
        "no_complaint",
        "unresolved",
        "resolved",
        "resolved_quickly",
        "no_problem",
    }
    constructs = set(simulate.CONSTRUCTS)
    assert len(truth["paths"]) == 12
    for edge in truth["paths"]:
        source, target = edge.split("->")
        assert source in constructs and target in constructs
    assert truth["escalation"]["front_line_unresolved"] == 50 / 200
    assert truth["churn_cause_shares"]["indifference"] == 0.68
    assert truth["dealer_loyalty"]["X/O"] == {"loyal_to_dealer": 0.35, "loyal_to_brand": 0.72}


def test_tarp_repurchase_rates_recovered(everyone_complains):
    # voice_rate=1 leaves no "no_complaint" cell, so that cell comes from a second draw
    default = simulate_panel(LARGE, seed=13)
    for panel in (everyone_complains, default):
        data, rates = panel.data, panel.truth["repurchase_rates"]
        for status in ["no_complaint", "unresolved", "resolved", "resolved_quickly"]:
            for severity in ["major", "minor"]:
                cell = data["complaint_status"].eq(status) & data["severity"].eq(severity)
                if cell.sum() > 100:
                    assert_rate(data.loc[cell, "repurchase"], rates[status][severity], f"{status}/{severity}")
    no_problem = default.data["complaint_status"].eq("no_problem")
    assert_rate(default.data.loc[no_problem, "repurchase"], 0.90, "no_problem")
    checked = {(s, v) for s in ["unresolved", "resolved", "resolved_quickly"] for v in ["major", "minor"]}
    counts = everyone_complains.data.groupby(["complaint_status", "severity"], observed=True).size()
    assert all(counts.get(cell, 0) > 100 for cell in checked)
    assert default.data["complaint_status"].eq("no_complaint").sum() > 100


def test_problem_and_voice_rates(large):
    data = large.data
    assert abs(data["problem"].mean() - 0.25) <= 1 / LARGE
    assert_rate(data.loc[data["problem"], "complained"], 0.04, "voice rate")
    assert_rate(data.loc[data["problem"], "severity"].eq("major"), large.truth["major_share"], "major share")
    # problems concentrate among the least satisfied
    low = data["CUSA1"] <= 5
    assert data.loc[low, "problem"].mean() > data.loc[~low, "problem"].mean() + 0.1


def test_escalation_funnel_shares(everyone_complains):
    data, funnel = everyone_complains.data, everyone_complains.truth["escalation"]
    complained = data[data["complained"]]
    level, status = complained["escalation_level"], complained["complaint_status"].astype(str)
    # the front line leaves a complaint unresolved if it escalates or stays unresolved there
    front_unresolved = (level >= 2) | (status.eq("unresolved") & level.eq(1))
    assert_rate(front_unresolved, funnel["front_line_unresolved"], "front line unresolved (50/200)")
    assert_rate(level[front_unresolved] >= 2, funnel["middle_escalate"], "to middle management (10/50)")
    middle = complained[level >= 2]
    middle_unresolved = (middle["escalation_level"] == 3) | middle["complaint_status"].eq("unresolved")
    assert_rate(middle_unresolved, funnel["middle_unresolved"], "middle management unresolved (2/10)")
    reached_top = middle.loc[middle_unresolved, "escalation_level"] == 3
    assert_rate(reached_top, funnel["top_escalate"], "to top management (1/2)")
    assert not complained.loc[level == 3, "complaint_status"].eq("unresolved").any()  # top_unresolved = 0
    resolved = status.isin(["resolved", "resolved_quickly"])
    assert_rate(status[resolved].eq("resolved_quickly"), everyone_complains.truth["quick_share"], "quick share")


def test_dealer_table_recovered(large):
    data, table = large.data, large.truth["dealer_loyalty"]
    for cell, rates in table.items():
        sales, service = cell.split("/")
        mask = data["sales_satisfied"].eq(sales == "O") & data["service_satisfied"].eq(service == "O")
        for outcome, rate in rates.items():
            assert_rate(data.loc[mask, outcome], rate, f"{outcome} in cell {cell}")
    assert table == {
        "O/O": {"loyal_to_dealer": 0.85, "loyal_to_brand": 0.83},
        "X/O": {"loyal_to_dealer": 0.35, "loyal_to_brand": 0.72},
        "O/X": {"loyal_to_dealer": 0.12, "loyal_to_brand": 0.42},
        "X/X": {"loyal_to_dealer": 0.01, "loyal_to_brand": 0.38},
    }
    assert_rate(data["sales_satisfied"], large.truth["sales_satisfied_rate"], "sales satisfied rate")


def test_churn_cause_shares_recovered(large):
    data = large.data
    causes = data.loc[data["churned"], "churn_cause"]
    for cause, share in {
        "death": 0.01,
        "moved": 0.03,
        "habits": 0.05,
        "competitor": 0.09,
        "quality": 0.14,
        "indifference": 0.68,
    }.items():
        assert_rate(causes.eq(cause), share, f"churn cause {cause}")


def test_churn_follows_geometric_hazard(large):
    data, hazard = large.data, large.truth["monthly_churn_hazard"]
    # among customers observed for at least one month, P(churn in month 1) = hazard
    for repurchase, key in [(True, "repurchase"), (False, "no_repurchase")]:
        group = data[data["repurchase"].eq(repurchase)]
        churned_month_one = group["churned"] & group["tenure_months"].eq(1)
        assert_rate(churned_month_one, hazard[key], f"month-1 hazard, {key}")


def test_weighted_segment_shares_equal_population():
    panel = simulate_panel(20_000, seed=3)
    data = panel.data
    weighted = data.groupby("segment", observed=True)["weight"].sum() / data["weight"].sum()
    for segment, share in panel.truth["segment_population_shares"].items():
        assert weighted[segment] == pytest.approx(share, abs=1e-12)
    unweighted = data["segment"].value_counts(normalize=True)
    assert abs(unweighted["A"] - 0.25) < 0.02  # sampled equally, so A is under-represented
    est = proportion(data["segment"].eq("D"), weights=data["weight"])
    assert est.value == pytest.approx(0.10)


def test_items_load_on_their_construct(large):
    # Continuous items of one construct correlate loading² = 0.64; cutting them into
    # ten categories attenuates that a little. Items of different constructs
    # correlate loading² x (latent correlation), much less.
    data = large.data
    within = data[["CUSA1", "CUSA2"]].corr().iloc[0, 1]
    across = data[["CUSA1", "CUEX1"]].corr().iloc[0, 1]
    assert 0.55 < within <= 0.64
    assert across < within - 0.2
    assert set(large.truth["loadings"]) == set(MOBI_ITEMS)


def test_error_variances_give_unit_variance_latents():
    # Independent oracle: implied covariance (I - B)^-1 Psi (I - B)^-T must have a unit diagonal.
    paths = simulate.DEFAULT_PATHS
    psi = simulate._error_variances(paths)
    b = simulate._path_matrix(paths)
    inverse = np.linalg.inv(np.eye(len(b)) - b)
    implied = inverse @ np.diag([psi[c] for c in simulate.CONSTRUCTS]) @ inverse.T
    np.testing.assert_allclose(np.diag(implied), 1.0, atol=1e-12)


def test_regression_of_satisfaction_items_recovers_paths():
    # With many items per construct, item means are close to the latents; the OLS
    # regression of mean Satisfaction items on mean Quality / Value / Expectation / Image
    # items reproduces the sign and order of the true paths into Satisfaction.
    panel = simulate_panel(200_000, seed=21)
    data = panel.data
    means = pd.DataFrame({c: data[items].mean(axis=1) for c, items in simulate.ITEMS.items()})
    means = (means - means.mean()) / means.std()
    x = means[["Image", "Expectation", "Quality", "Value"]].to_numpy()
    coefficients, *_ = np.linalg.lstsq(
        np.column_stack([np.ones(len(x)), x]), means["Satisfaction"].to_numpy(), rcond=None
    )
    estimated = dict(zip(["Image", "Expectation", "Quality", "Value"], coefficients[1:]))
    assert max(estimated, key=estimated.get) == "Quality"
    assert estimated["Quality"] == pytest.approx(panel.truth["paths"]["Quality->Satisfaction"], abs=0.12)


def test_parameters_override_defaults():
    panel = simulate_panel(
        LARGE // 2,
        seed=4,
        problem_rate=0.5,
        voice_rate=0.2,
        repurchase_rates={"no_problem": 0.6, "resolved": {"major": 0.3}},
        churn_cause_shares={"death": 0.5, "indifference": 0.19},
        paths={"Quality->Satisfaction": 0.4},
    )
    truth, data = panel.truth, panel.data
    assert truth["repurchase_rates"]["resolved"] == {"major": 0.3, "minor": 0.74}
    assert truth["paths"]["Quality->Satisfaction"] == 0.4 and truth["paths"]["Value->Satisfaction"] == 0.19
    assert abs(data["problem"].mean() - 0.5) < 1e-4
    assert_rate(data.loc[data["problem"], "complained"], 0.2, "voice rate override")
    assert_rate(data.loc[data["complaint_status"].eq("no_problem"), "repurchase"], 0.6, "no_problem override")
    assert_rate(data.loc[data["churned"], "churn_cause"].eq("death"), 0.5, "death share override")


def test_loadings_override():
    strong = simulate_panel(20_000, seed=2, loadings={"CUSA1": 0.95, "CUSA2": 0.95}).data
    weak = simulate_panel(20_000, seed=2, loadings={"CUSA1": 0.3, "CUSA2": 0.3}).data
    assert strong[["CUSA1", "CUSA2"]].corr().iloc[0, 1] > 0.75 > 0.2 > weak[["CUSA1", "CUSA2"]].corr().iloc[0, 1]


@pytest.mark.parametrize(
    "params, message",
    [
        ({"voice_rate": 1.5}, "voice_rate"),
        ({"problem_rate": -0.1}, "problem_rate"),
        ({"escalation": {"middle_escalate": 2}}, "middle_escalate"),
        ({"repurchase_rates": {"resolved": {"minor": 1.2}}}, "repurchase_rates"),
        ({"dealer_loyalty": {"O/O": {"loyal_to_dealer": -1}}}, "dealer_loyalty"),
        ({"churn_cause_shares": {"death": 0.5}}, "sum to 1"),
        ({"paths": {"Quality->Loyalty": 0.3}}, "Quality->Satisfaction"),  # not a path of the model: lists valid ones
        ({"paths": {"Quality->Satisfaction": 0.99}}, "R²"),
        ({"loadings": {"NOPE1": 0.5}}, "IMAG1"),
        ({"nps_link": 1.0}, "nps_link"),
        ({"fast_hours": 0}, "fast_hours"),
    ],
)
def test_invalid_parameters_raise(params, message):
    with pytest.raises(SurveyDataError, match=message.replace("(", r"\(")):
        simulate_panel(100, **params)


def test_unknown_parameter_lists_valid_ones():
    with pytest.raises(SurveyDataError) as error:
        simulate_panel(100, voice=0.1)
    text = str(error.value)
    assert "'voice'" in text and "voice_rate" in text and "repurchase_rates" in text and "escalation" in text


@pytest.mark.parametrize("n", [0, -5, 2.5, True])
def test_invalid_n(n):
    with pytest.raises(SurveyDataError, match="n="):
        simulate_panel(n)


def test_pls_on_a_large_draw_recovers_the_paths_roughly():
    # Independent oracle: seminr's PLS (test-only dependency). PLS composites carry
    # measurement error, so paths are attenuated (most for the single-item Complaints);
    # the check is "roughly": each path within 0.2, and the ranking of paths preserved.
    seminr = pytest.importorskip("seminr")
    panel = simulate_panel(20_000, seed=8)
    measurement = seminr.constructs(
        *[seminr.composite(construct, items) for construct, items in simulate.ITEMS.items()]
    )
    sources = {}
    for edge in panel.truth["paths"]:
        source, target = edge.split("->")
        sources.setdefault(source, []).append(target)
    structural = seminr.relationships(*[seminr.paths(from_=s, to=t) for s, t in sources.items()])
    items = [item for group in simulate.ITEMS.values() for item in group]
    model = seminr.estimate_pls(panel.data[items].astype(float), measurement, structural)
    matrix = model.path_coef
    rows, cols = list(matrix.rows), list(matrix.cols)
    truth = panel.truth["paths"]
    estimated = {e: matrix.values[rows.index(e.split("->")[0]), cols.index(e.split("->")[1])] for e in truth}
    for edge, value in truth.items():
        assert abs(estimated[edge] - value) < 0.2, (edge, estimated[edge], value)
    assert np.corrcoef(list(truth.values()), [estimated[e] for e in truth])[0, 1] > 0.9
