"""The churn and retention study: settings, sections, findings and notebook runs on every supported data set."""

import itertools
import json

import matplotlib
import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.proportion import proportion_confint

from csat_analysis import churn as ch
from csat_analysis.errors import StudyError
from csat_analysis.report import results_from_notebook
from csat_analysis.studies import Skipped, StudyRun
from csat_analysis.studies import churn_and_retention as study
from csat_analysis.studies.churn_and_retention import ChurnSettings

matplotlib.use("Agg")

NOTEBOOK = study.__file__.replace("csat_analysis/studies/churn_and_retention.py", "notebooks/churn_and_retention.ipynb")
HAND = pd.DataFrame({"months": [1, 2, 2, 3, 4, 5], "left": [1, 1, 0, 1, 0, 1]})


def _settings(frame, segments=("plan",), drivers=("plan",), **kwargs) -> ChurnSettings:
    """Settings over a hand-made customer table whose tenure is already in months."""
    return ChurnSettings(
        frame.assign(tenure_months=frame["months"]),
        "hand",
        "user",
        "Hand data",
        "months",
        "left",
        "months",
        list(segments),
        list(drivers),
        kwargs.pop("monthly_revenue", None),
        kwargs.pop("cause", None),
        kwargs.pop("weights", None),
        **kwargs,
    )


class _FakeRun:
    """What :func:`study.settings` reads from a :class:`StudyRun`, over any table."""

    def __init__(self, data, name="my_customers.csv", kind="user", roles=None):
        self.data, self.name, self.kind, self.source, self.truth = data, name, kind, f"User data: {name}", None
        self.roles = roles or {}


# --- settings -------------------------------------------------------------------------------------


def test_parameters_contract_has_no_results_path():
    assert "results_path" not in study.PARAMETERS
    assert study.PARAMETERS["churn_base"] == "start" and study.PARAMETERS["n"] == 20000


def test_settings_for_service_calls_convert_days_and_derive_columns():
    run = StudyRun("service_calls_churn", study="churn_and_retention", emit=False)
    chosen = study.settings(run)
    raw = run.data
    assert chosen.tenure == "account_length" and chosen.tenure_unit == "days"
    np.testing.assert_allclose(chosen.data["tenure_months"], raw["account_length"] / 30.4)
    calls = raw["number_customer_service_calls"]
    assert (chosen.data["service_calls"].astype(str) == np.where(calls >= 4, "4+", calls.astype(str))).all()
    charges = raw[["total_day_charge", "total_eve_charge", "total_night_charge", "total_intl_charge"]].sum(axis=1)
    np.testing.assert_allclose(chosen.data["monthly_charges"], charges)
    assert chosen.monthly_revenue == "monthly_charges" and chosen.cause is None and chosen.weights is None
    assert chosen.segments == ["service_calls", "international_plan", "voice_mail_plan", "tenure_band"]
    assert chosen.time_segments == ["service_calls", "international_plan", "voice_mail_plan"]
    assert chosen.drivers[-1] == "tenure_months"
    assert "converted to months at 30.4 days a month" in chosen.describe()
    assert chosen._repr_markdown_() == chosen.describe()


def test_settings_for_the_simulator_use_weights_cause_and_monthly_revenue():
    run = StudyRun("simulated", study="churn_and_retention", n=600, seed=3, emit=False)
    chosen = study.settings(run)
    assert chosen.weights == "weight" and chosen.cause == "churn_cause" and chosen.monthly_revenue == "monthly_revenue"
    np.testing.assert_allclose(chosen.data["monthly_revenue"], run.data["annual_revenue"] / 12)
    assert chosen.segments == ["segment", "repurchase", "tenure_band"]
    assert "survey weights (`weight`)" in chosen.describe()


def test_settings_user_file_needs_columns_and_lists_choices():
    frame = pd.DataFrame({"months": [1, 30], "left": [True, False], "plan": ["a", "b"]})
    chosen = study.settings(_FakeRun(frame), segments="plan", tenure="months", churn="left")
    assert chosen.segments == ["plan"] and chosen.data["tenure_band"].tolist() == ["0-5", "24-47"]
    assert chosen.drivers == ["plan", "tenure_months"]
    with pytest.raises(StudyError, match=r"segments: 'plna' not in the data; choose from: .*plan.*tenure_band"):
        study.settings(_FakeRun(frame), segments=["plna"], tenure="months", churn="left")
    with pytest.raises(StudyError, match=r"tenure: .*'month'.*available columns: months, left, plan"):
        study.settings(_FakeRun(frame), segments="plan", tenure="month", churn="left")
    with pytest.raises(StudyError, match="give the churn column"):
        study.settings(_FakeRun(frame), segments="plan", tenure="months")
    # segments are optional: without them the segment sections say so and the rest runs
    chosen = study.settings(_FakeRun(frame), tenure="months", churn="left")
    assert chosen.segments == [] and isinstance(study.segment_section(chosen), Skipped)


@pytest.mark.parametrize(
    "parameters, message",
    [
        ({"churn_base": "middle"}, "churn_base='middle' is not valid; choose one of: 'start', 'end'"),
        ({"margin": 2}, "margin=2 must be a profit margin share"),
        ({"retention_cost": "lots"}, "retention_cost='lots' must be a non-negative amount"),
        ({"tenure_unit": "weeks"}, "tenure_unit='weeks' is not valid"),
    ],
)
def test_settings_wrong_parameters_are_study_errors(parameters, message):
    frame = pd.DataFrame({"months": [1, 30], "left": [True, False], "plan": ["a", "b"]})
    with pytest.raises(StudyError, match=message.replace("(", r"\(")):
        study.settings(_FakeRun(frame), segments="plan", tenure="months", churn="left", **parameters)


def test_settings_on_data_without_churn_name_the_churn_data_sets():
    run = _FakeRun(pd.DataFrame({"x": [1]}), name="mobi", kind="real", roles={"scale": (1, 10)})
    with pytest.raises(
        StudyError,
        match="has no churn or tenure columns; choose one of: 'telco_churn', 'service_calls_churn', 'simulated'",
    ):
        study.settings(run)


# --- sections on hand-made data -----------------------------------------------------------------------


def test_examples_section_quotes_the_worked_numbers_and_records_both_examples():
    section = study.examples_section()
    text = section.finding()
    for piece in [
        "200 of 3,000 outlets",
        "6.7% of the start count",
        "6.1% by the end count",
        "1,500k",
        "30,000 subscribers",
        "10.0% (9.4% by the end count)",
        "810,000",
        "900,000",
    ]:
        assert piece in text
    results = section.results()
    assert results["example_a"]["churn_loss"] == pytest.approx(1500)
    assert results["example_a"]["rate_end"] == pytest.approx(200 / 3300)
    assert results["example_b"]["rate_end"] == pytest.approx(0.09375)
    assert results["example_b"]["churn_loss_last_year_revenue"] == pytest.approx(900_000)
    assert "description" not in results["example_a"]
    html = section.tables()[0].to_html()
    assert "churn (end base)" in html and "6.1%" in html


def test_tiers_section_compares_both_bases():
    section = study.tiers_section()
    # churned A = 50 - (32 - 3) = 21: 42% of 50, 21/32 = 65.6% of the end count
    assert section.finding() == (
        "Tier A loses 42.0% of its dealers against 23.0% in tier B. On the end count the "
        "rates would read 65.6% and 28.0%, so the base must always be stated."
    )
    assert section.results() == {}


def _overall(base="start", weights=None):
    # 10 starters (tenure >= 1), 2 new; 3 churned -> end 9; start base 3/10, end base 3/9
    frame = pd.DataFrame({"left": [1, 1, 1] + [0] * 9, "months": [5] * 10 + [0, 0], "plan": list("ab") * 6})
    if weights is not None:
        frame["w"] = 1.0
    return study.overall_section(_settings(frame, churn_base=base, weights=weights))


def test_overall_finding_and_results_name_rate_base_interval_and_other_base():
    section = _overall()
    low, high = proportion_confint(3, 10, method="wilson")
    text = section.finding()
    assert "Of 12 customers, 3 churned" in text
    assert f"**30.0% [{100 * low:.1f}%, {100 * high:.1f}%]** of customers at the start (Wilson 95% interval)" in text
    assert "on the end count it is 33.3%" in text
    end_text = _overall("end", weights="w").finding()
    assert "**33.3% [" in end_text and "of customers at the end" in end_text
    assert "on the start count it is 30.0%" in end_text
    assert "weighted counts, design-based 95% interval" in end_text
    assert section.references == ("churn_training", "wilson1927")
    assert _overall("end", weights="w").references == ("churn_training", "lumley2004")
    assert section.results() == {
        "n_customers": 12,
        "churn_rate": pytest.approx(0.3),
        "churn_rate_low": pytest.approx(low),
        "churn_rate_high": pytest.approx(high),
        "churn_base": "start",
    }
    assert section.tables() == [] and section.plot() is None


def test_segment_section_finding_picks_widest_spread_and_plots_one_panel_per_segment():
    table = pd.DataFrame(
        {
            "segment": ["plan", "plan", "region", "region", "region"],
            "level": ["a", "b", "n", "s", "w"],
            "rate": [0.10, 0.40, 0.20, 0.25, np.nan],
            "low": 0.0,
            "high": 0.5,
        }
    )
    top, bottom = study.widest_segment(table)
    assert (top.level, bottom.level) == ("b", "a")
    section = study.SegmentChurnSection(table=table, source="Hand data")
    assert section.finding() == (
        "Churn differs most by plan: 40.0% [0.0%, 50.0%] for b against 10.0% [0.0%, 50.0%] for a."
    )
    import matplotlib.pyplot as plt

    axes = section.plot()
    assert [ax.get_title() for ax in axes] == ["plan", "region"]
    _, own = plt.subplots(1, 2)
    assert list(section.plot(ax=own)) == list(own)
    with pytest.raises(ValueError, match="one axes per panel"):
        section.plot(ax=own[0])
    plt.close("all")


def test_segment_section_records_the_rates_of_churn_by_segments():
    frame = HAND.assign(plan=list("aabbab"))
    section = study.segment_section(_settings(frame))
    expected = ch.churn_by_segments(frame, "left", ["plan"], tenure="months")
    recorded = section.results()["churn_by_segment"]
    assert list(recorded.columns) == ["segment", "level", "n", "churned", "rate", "low", "high"]
    pd.testing.assert_frame_equal(recorded, expected[recorded.columns])


def test_retention_section_finding_results_and_log_rank_table():
    # plan a: S = 2/3, 1/3 at months 1, 2 -> median 2; plan b: nobody churns
    frame = pd.DataFrame({"months": [1, 2, 3, 4, 5, 6], "left": [1, 1, 0, 0, 0, 0], "plan": list("aaabbb")})
    section = study.retention_section(_settings(frame, weights="w"))
    assert not section.overall.reached
    assert section.shortest().level == "a" and section.shortest()["median"] == 2
    text = section.finding()
    assert "Fewer than half of all customers have left" in text
    assert "shortest median lifetime is 2.0 months (plan = a)" in text
    # log-rank by hand: O - E = 2 - (3/6 + 2/5) = 1.1, V = 0.25 + 0.24 -> 1.21 / 0.49 on 1 dof
    assert "most clearly plan, p = 0.116" in text
    assert "of 1 segmentations" in text and "unweighted" in text
    recorded = section.results()
    assert recorded["median_lifetime_months_overall"] is None
    assert recorded["median_lifetime_months"]["level"].tolist() == ["a", "b"]
    assert list(section.tests.columns) == ["segment", "groups", "statistic", "dof", "p_value"]
    assert "degrees of freedom" in section.tables()[1].to_html()
    reached = study.retention_section(_settings(HAND, segments=()))
    assert reached.finding() == "Half of all customers have left after 3.0 [1.0, 5.0] months."
    assert reached.results()["median_lifetime_months_overall"] == 3.0
    assert reached.curves["segment"].unique().tolist() == ["all customers"]


def test_simulation_section_is_skipped_without_known_truth():
    skipped = study.simulation_section(_settings(HAND, segments=()))
    assert isinstance(skipped, Skipped)
    assert (
        skipped.note()
        == 'Check against the known truth: not run because hand has no known truth (run it with dataset="simulated").'
    )


def test_simulation_finding_counts_covered_medians_and_names_those_beyond_the_horizon():
    check = pd.DataFrame(
        {
            "true_median": [10.0, 139.0],
            "km_median": [11.0, np.nan],
            "low": [9.0, np.nan],
            "high": [9.5, np.nan],
            "true_rmst": [20.0, 60.0],
            "km_rmst": [20.5, 60.0],
            "horizon": 72.0,
        }
    )
    text = study.SimulationCheckSection(table=check).finding()
    assert text.startswith("The 95% intervals of the Kaplan-Meier medians contain the true median in 0 of 1 groups")
    assert "1 true median lies beyond the 72-month horizon" in text and "within 2.5% of the truth" in text


def test_drivers_finding_both_directions_and_none():
    table = pd.DataFrame(
        {
            "term": ["x", "y", "z", "w"],
            "odds_ratio": [1.5, 3.0, 0.8, 0.2],
            "p_value": [0.01, 0.2, 0.001, 0.3],
            "low": 0.1,
            "high": 4.0,
        }
    )
    section = study.DriversSection(table=table)
    text = section.finding()
    # y (3.0) and w (0.2) are not significant: x and z are the strongest significant terms
    assert "risk factor is x (odds ratio 1.50 [0.10, 4.00])" in text
    assert "protection is z (odds ratio 0.80 [0.10, 4.00])" in text
    assert "2 of 4 terms are significant" in text
    only_risk = study.DriversSection(table=table[table.odds_ratio > 1]).finding()
    assert "protection" not in only_risk and "1 of 2 terms" in only_risk
    assert (
        study.DriversSection(table=table.assign(p_value=0.5)).finding()
        == "No term is significant at the 5% level (0 of 4)."
    )
    # recorded tables keep the column names of earlier runs
    assert list(section.results()["churn_drivers"].columns) == ["term", "odds_ratio", "low", "high", "p_value"]


def test_value_section_states_assumptions_and_negative_branch():
    frame = HAND.assign(revenue=10.0, plan=list("aabbab"))
    section = study.value_section(
        _settings(frame, monthly_revenue="revenue", margin=0.25, acquisition_cost=40, retention_cost=1.5)
    )
    note = section.assumptions_note()
    assert "not data" in note and "25%" in note and "40.00 per customer, paid once" in note
    assert "1.50 per customer per month" in note and "`revenue`" in note
    results = section.results()
    assert set(results) == {"clv_by_segment", "clv_assumptions"}
    assert results["clv_assumptions"]["retention_cost_per_month"] == 1.5
    assert "clv_to_date" in results["clv_by_segment"] and "clv_to_date" in section.table
    # 0.25 x 10 - 1.5 = 1 a month against 40 up front: negative over a few months
    assert (section.table.clv_expected < 0).all()
    assert (
        section.finding().startswith(note) and "No level earns back the assumed acquisition cost" in section.finding()
    )
    rich = study.value_section(
        _settings(frame, monthly_revenue="revenue", margin=1.0, acquisition_cost=0, retention_cost=0)
    )
    best = rich.table.sort_values("clv_expected").iloc[-1]
    assert f"plan = {best.level} is expected to be worth {best.clv_expected:,.0f}" in rich.finding()
    assert "earns back" not in rich.finding()
    no_revenue = study.value_section(_settings(frame))
    assert isinstance(no_revenue, Skipped) and "no revenue column" in no_revenue.note()
    only_bands = study.value_section(_settings(frame, segments=("tenure_band",), monthly_revenue="revenue"))
    assert isinstance(only_bands, Skipped) and "segment other than tenure band" in only_bands.note()


def test_causes_section_controllable_share_quoted_source_and_skip():
    frame = pd.DataFrame(
        {
            "why": ["quality", "moved", "indifference", "indifference", None],
            "left": [True, True, True, True, False],
            "months": [1, 2, 3, 4, 5],
        }
    )
    section = study.causes_section(_settings(frame, cause="why"))
    assert section.controllable_share == pytest.approx(3 / 4)
    text = section.finding()
    assert text.startswith("75.0% of churned customers left for reasons the company controls")
    assert "Rockefeller Corporation study (LeBoeuf 1987) put this at 91%" in text
    results = section.results()
    assert set(results) == {"churn_causes", "controllable_share"}
    assert "quoted_share" in results["churn_causes"] and "quoted_share" in section.table
    skipped = study.causes_section(_settings(frame))
    assert isinstance(skipped, Skipped) and "(hand) records no churn causes" in skipped.note()


def test_key_findings_list_sections_that_have_something_to_say():
    frame = HAND.assign(revenue=10.0, plan=list("aabbab"))
    chosen = _settings(frame, monthly_revenue="revenue", margin=0.3, acquisition_cost=5, retention_cost=1)
    drivers = study.DriversSection(table=pd.DataFrame({"term": ["plan: b"], "odds_ratio": [2.5], "p_value": [0.01]}))
    findings = study.key_findings(
        overall=study.overall_section(chosen),
        by_segment=study.segment_section(chosen),
        retention=study.retention_section(chosen),
        drivers=drivers,
        value=study.value_section(chosen),
        causes=study.causes_section(chosen),
        examples=study.examples_section(),
    )
    lines = findings.finding().splitlines()
    assert lines[0].startswith("- **Churn:** 66.7% of customers at the start churned") and "Hand data" in lines[0]
    assert any("plan: b multiplies the odds of churning by 2.50" in line for line in lines)
    assert any("30% margin, 5.00 to acquire and 1.00 a month" in line for line in lines)
    assert not any("**Causes:**" in line for line in lines)
    assert lines[-1].startswith("- **Arithmetic:** the worked examples reproduce: A 6.7%")
    assert findings.results() == {}


def test_tables_use_the_study_labels_and_missing_labels():
    frame = pd.DataFrame({"months": [1, 2, 3, 4, 5, 6], "left": [1, 1, 0, 0, 0, 0], "plan": list("aaabbb")})
    html = study.retention_section(_settings(frame)).tables()[0].to_html()
    assert "median (months)" in html and "not reached" in html and "customers" in html


def test_study_text_never_names_internal_documents():
    import inspect
    import re

    # internal training documents, spelled in pieces so this file passes the same search
    internal = "|".join(["seed 0[0-9]{2}", "brief", "seed's", "seeds'"])
    for module in (study, ch):
        assert not re.search(internal, inspect.getsource(module)), module.__name__


# --- Cox model, segment filter, small and awkward data ------------------------------------------------------


def test_cox_section_reports_hazard_ratios_concordance_and_the_ph_check():
    from statsmodels.duration.hazard_regression import PHReg

    rng = np.random.default_rng(11)
    n = 300
    plan = rng.choice(["a", "b"], n)
    hazard = np.where(plan == "b", 0.12, 0.05)
    time = rng.geometric(hazard).astype(float)
    follow = rng.integers(1, 40, n).astype(float)
    frame = pd.DataFrame(
        {"months": np.minimum(time, follow), "left": time <= follow, "plan": plan, "spend": rng.normal(50, 10, n)}
    )
    chosen = _settings(frame, drivers=("plan", "spend", "tenure_months"))
    assert chosen.cox_covariates == ["plan", "spend"]  # tenure is the time axis, not a covariate
    section = study.cox_section(chosen)
    assert isinstance(section, study.CoxSection)
    # independent fit: statsmodels PHReg (Efron ties) on hand-built dummies
    x = np.column_stack([(plan == "b").astype(float), frame.spend])
    fit = PHReg(frame.months.to_numpy(), x, status=frame.left.to_numpy(dtype=float), ties="efron").fit()
    np.testing.assert_allclose(section.table.hazard_ratio, np.exp(fit.params), rtol=1e-6)
    # Harrell's C by brute force over comparable pairs (shorter time is a churn)
    eta = x @ fit.params
    concordant = ties = pairs = 0
    t, e = frame.months.to_numpy(), frame.left.to_numpy()
    for i in np.flatnonzero(e):
        later = (t > t[i]) | ((t == t[i]) & ~e)
        pairs += later.sum()
        concordant += np.sum(later & (eta[i] > eta))
        ties += np.sum(later & (eta[i] == eta))
    assert section.concordance == pytest.approx((concordant + ties / 2) / pairs, rel=1e-6)
    results = section.results()
    assert results["cox_concordance"] == section.concordance
    assert list(results["cox_hazard_ratios"].columns) == ["term", "hazard_ratio", "low", "high", "p_value"]
    assert results["cox_hazard_ratios"]["term"].tolist() == ["plan: b", "spend"]
    assert section.ph_test["term"].tolist()[-1] == "GLOBAL"
    text = section.finding()
    assert text.startswith(f"The Cox model ranks who churns sooner with a concordance of {section.concordance:.2f}")
    assert "hazard ratio" in text and section.references == ("cox1972", "harrell1982", "grambsch_therneau1994")
    import matplotlib.pyplot as plt

    ax = section.plot()
    assert ax.get_xscale() == "log" and ax.get_xlabel() == "hazard ratio (log scale)"
    assert len(section.tables()) == 2
    plt.close("all")


def test_models_become_notes_without_churners_or_covariates():
    frame = HAND.assign(left=0, plan=list("aabbab"))
    chosen = _settings(frame)
    for section in (study.drivers_section(chosen), study.cox_section(chosen)):
        assert isinstance(section, Skipped) and "churned and customers who stayed" in section.reason
    tenure_only = study.cox_section(_settings(HAND, drivers=("tenure_months",)))
    assert isinstance(tenure_only, Skipped) and "time axis" in tenure_only.reason


def test_every_section_renders_or_explains_itself_on_thirty_customers():
    import matplotlib.pyplot as plt

    run = StudyRun("telco_churn", study="churn_and_retention", emit=False)
    full = run.data
    for seed in range(3):
        small = full.sample(30, random_state=seed).reset_index(drop=True)
        chosen = study.settings(
            _FakeRun(small), tenure="tenure", churn="churn", segments=["contract", "payment_method"]
        )
        for make in (
            study.overall_section,
            study.segment_section,
            study.retention_section,
            study.simulation_section,
            study.drivers_section,
            study.cox_section,
            study.value_section,
            study.causes_section,
        ):
            section = make(chosen)
            if isinstance(section, Skipped):
                assert section.reason and section.note().endswith(".")
                continue
            section.finding()
            section.results()
            section.plot()
            plt.close("all")


def test_segment_and_segment_value_filter_the_customers():
    run = StudyRun("telco_churn", study="churn_and_retention", emit=False)
    chosen = study.settings(run, segment="contract", segment_value="Two year")
    assert len(chosen.data) == 1695 and set(chosen.data["contract"]) == {"Two year"}
    assert "contract" not in chosen.segments and "contract" not in chosen.drivers
    assert chosen.source.endswith("; only contract = Two year (n = 1,695)")
    assert run.source == chosen.source  # the summary box names the filtered data
    overall = study.overall_section(chosen)
    assert overall.results()["n_customers"] == 1695
    with pytest.raises(StudyError, match="segment_value='Three year' is not valid; choose one of: 'Month-to-month'"):
        study.settings(
            StudyRun("telco_churn", study="churn_and_retention", emit=False),
            segment="contract",
            segment_value="Three year",
        )
    with pytest.raises(StudyError, match="segment_value needs a segment column"):
        study.settings(StudyRun("telco_churn", study="churn_and_retention", emit=False), segment_value="x")


def test_retention_plot_draws_no_band_before_the_first_churn():
    import matplotlib.pyplot as plt

    run = StudyRun("telco_churn", study="churn_and_retention", emit=False)
    section = study.retention_section(study.settings(run, segments=["contract"]))
    curves = section.curves[section.curves.level == "Two year"]
    first_churn = curves.loc[curves.events > 0, "time"].min()
    assert curves.loc[curves.time < first_churn, ["low", "high"]].isna().all().all()
    axes = section.plot()
    bands = [c for c in axes[0].collections if c.get_paths()]
    two_year = bands[2]  # one band per level, in level order
    starts = min(path.vertices[:, 0].min() for path in two_year.get_paths())
    assert starts >= first_churn  # nothing drawn over [0, first churn)
    plt.close("all")


def test_payment_method_labels_do_not_overlap():
    import matplotlib.pyplot as plt

    run = StudyRun("telco_churn", study="churn_and_retention", emit=False)
    section = study.segment_section(study.settings(run))
    axes = section.plot()
    figure = axes[0].figure
    figure.canvas.draw()
    for panel in axes:
        boxes = sorted(
            (label.get_window_extent() for label in panel.get_xticklabels() if label.get_text()), key=lambda box: box.x0
        )
        assert all(
            left.x1 <= right.x0 or left.y1 <= right.y0 or right.y1 <= left.y0
            for left, right in itertools.pairwise(boxes)
        ), panel.get_title()
    plt.close("all")


def test_segment_section_reports_cramers_v_and_weighted_intervals():
    run = StudyRun("simulated", study="churn_and_retention", n=1000, emit=False)
    chosen = study.settings(run)
    section = study.segment_section(chosen)
    assert section.weighted and section.references == ("lumley2004", "cramer1946")
    tests = section.results()["churn_segment_tests"]
    assert tests["segment"].tolist() == chosen.segments
    assert (tests.p_value > 0).all() and tests.cramers_v.between(0, 1).all()
    assert "Cramér's V is" in section.finding()


# --- the notebook on every supported data set -----------------------------------------------------------


def _run_notebook(tmp_path, **parameters):
    papermill = pytest.importorskip("papermill")
    output = tmp_path / "out.ipynb"
    workdir = tmp_path / "cwd"
    workdir.mkdir()
    papermill.execute_notebook(
        NOTEBOOK, str(output), parameters=parameters, kernel_name="python3", cwd=str(workdir), progress_bar=False
    )
    executed = json.loads(output.read_text(encoding="utf-8"))
    assert list(workdir.iterdir()) == []
    return results_from_notebook(executed), executed


RECORDED = {
    "n_customers",
    "churn_rate",
    "churn_rate_low",
    "churn_rate_high",
    "churn_base",
    "churn_by_segment",
    "median_lifetime_months",
    "median_lifetime_months_overall",
    "churn_drivers",
    "clv_by_segment",
    "clv_assumptions",
    "example_a",
    "example_b",
}


@pytest.mark.slow
@pytest.mark.parametrize("dataset, n", [("telco_churn", 0), ("service_calls_churn", 0), ("simulated", 3000)])
def test_notebook_runs_and_records(tmp_path, dataset, n):
    results, executed = _run_notebook(tmp_path, dataset=dataset, **({"n": n} if n else {}))
    assert RECORDED <= set(results)
    text = "\n".join(
        "".join(output.get("data", {}).get("text/markdown", ""))
        for cell in executed["cells"]
        for output in cell.get("outputs", [])
    )
    # the value assumptions are stated, as assumptions, next to the lifetime values
    assert "Assumptions (notebook parameters, not data):** profit margin 30% of revenue" in text
    assert results["clv_assumptions"]["acquisition_cost"] == 100.0
    assert results["example_a"]["churn_loss"] == pytest.approx(1500)
    assert results["example_b"]["rate_end"] == pytest.approx(0.09375)
    assert results["churn_rate_low"] < results["churn_rate"] < results["churn_rate_high"]
    if dataset == "telco_churn":
        # 1869 of the 7043 IBM telco customers churned; 11 joined this month (tenure 0)
        assert results["n_customers"] == 7043
        assert results["churn_rate"] == pytest.approx(1869 / 7032)
        assert results["notes"] == [
            "Check against the known truth: not run because telco_churn is real data with no known truth (run it "
            'with dataset="simulated").',
            "Why customers leave: not run because this data set (telco_churn) records no churn causes (the "
            'simulator does: dataset="simulated").',
        ]
    if dataset == "simulated":
        assert "churn_causes" in results and "notes" not in results
        assert "The 95% intervals of the Kaplan-Meier medians" in text


@pytest.mark.slow
@pytest.mark.parametrize(
    "parameters, message",
    [
        ({"churn_base": "middle"}, "churn_base='middle' is not valid; choose one of: 'start', 'end'"),
        ({"segments": ["contrat"]}, "segments: 'contrat' not in the data; choose from"),
        ({"dataset": "mobi"}, "has no churn or tenure columns"),
    ],
)
def test_wrong_parameters_fail_early_with_choices(tmp_path, parameters, message):
    papermill = pytest.importorskip("papermill")
    with pytest.raises(papermill.PapermillExecutionError) as failure:
        _run_notebook(tmp_path, **parameters)
    assert message in str(failure.value)
    assert "StudyError" in failure.value.ename


@pytest.mark.slow
def test_notebook_runs_on_a_thirty_customer_user_file(tmp_path):
    run = StudyRun("telco_churn", study="churn_and_retention", emit=False)
    path = tmp_path / "customers.csv"
    run.data.sample(30, random_state=0).to_csv(path, index=False)
    results, executed = _run_notebook(
        tmp_path,
        dataset=str(path),
        schema={"columns": {}},
        tenure="tenure",
        churn="churn",
        segments=["contract", "payment_method"],
    )
    assert results["n_customers"] == 30
    # what could not be estimated on 30 customers is a note, not a failure
    assert any(note.startswith("Lifetime value: not run") for note in results["notes"])
    text = _markdown(executed)
    assert "**Key findings**" in text and "## References" in text


@pytest.mark.slow
def test_notebook_runs_on_the_simulator_with_a_thousand_customers_and_a_segment(tmp_path):
    results, executed = _run_notebook(tmp_path, dataset="simulated", n=1000, segment="segment", segment_value="B")
    assert 0 < results["n_customers"] < 1000
    assert 0.5 <= results["cox_concordance"] <= 1
    assert {"cox_hazard_ratios", "churn_segment_tests"} <= set(results)
    text = _markdown(executed)
    assert "only segment = B" in text
    references = text.split("## References")[-1]
    assert "Cox, D. R. (1972)" in references and "Lumley, T. (2004)" in references


def _markdown(executed) -> str:
    return "\n".join(
        "".join(output.get("data", {}).get("text/markdown", ""))
        for cell in executed["cells"]
        for output in cell.get("outputs", [])
    )


def test_a_user_file_with_churn_roles_needs_no_column_parameters():
    frame = pd.DataFrame(
        {
            "months": [1, 5, 9, 14, 20, 30],
            "left": [1, 0, 1, 0, 1, 0],
            "plan": list("ababab"),
            "fee": [10.0, 12.0, 9.0, 11.0, 10.0, 13.0],
        }
    )
    roles = {"churn": {"churned": "left", "tenure": "months", "revenue": "fee"}, "segments": ["plan"]}
    chosen = study.settings(_FakeRun(frame, roles=roles))
    assert (chosen.churn, chosen.tenure, chosen.monthly_revenue, chosen.segments) == ("left", "months", "fee", ["plan"])
    assert chosen.drivers == ["plan", "tenure_months"] and chosen.cox_covariates == ["plan"]
    assert isinstance(study.value_section(chosen), study.ValueSection)
