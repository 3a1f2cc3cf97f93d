"""Write notebooks/satisfaction_vs_loyalty.ipynb (no outputs). Run: .venv/bin/python notebooks/build/satisfaction_vs_loyalty.py"""

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

NOTEBOOK = Path(__file__).resolve().parents[1] / "satisfaction_vs_loyalty.ipynb"

cells = []


def md(text):
    cells.append(new_markdown_cell(text.strip()))


def code(text, **metadata):
    cells.append(new_code_cell(text.strip(), metadata=metadata))


md("""
# Satisfaction versus loyalty

Satisfaction is necessary but not sufficient for loyalty (brief section 3, seed 001).
This study asks, on one survey: how does loyalty rise with satisfaction, and where is
the curve steep? Which customers are loyal for the wrong reasons? Which attributes
drive satisfaction, and which is the "short stave" (seed 002)? What are the
satisfaction and loyalty indices (0-100, brief section 2) and how certain are they?
It runs on the real ECSI survey `mobi`, the corporate-reputation survey `corp_rep`
(all four providers or one), the simulator (known truth, including seed 004's dealer
table) or your own survey. Every table and figure names the data it comes from.
""")

code('''
dataset = "mobi"        # "mobi", "corp_rep", "simulated" or a file path (with schema)
schema = None           # schema of a user file (see csat_analysis.io.read_survey)
satisfaction = None     # satisfaction items; None: the data set's default (mobi CUSA1-3, corp_rep cusa)
loyalty = None          # loyalty items; None: default (mobi CUSL1-3, corp_rep cusl_1-3)
drivers = None          # driver items, or {construct: [items]}; None: default
segment = None          # segment column; None: default (corp_rep serviceprovider); "none": no segments
segment_value = None    # keep only this segment (e.g. 2 for corp_rep provider 2)
top_box = 2             # loyal or satisfied: a mean score in the top 2 (top_box) points of the scale
model = None            # "ecsi", "simple" (drivers -> satisfaction -> loyalty) or "none"; None: default
bootstrap = 1000        # bootstrap resamples for the PLS model
seed = 0
n = 5000                # simulated respondents (only for the simulated data set)
results_path = None
''', tags=["parameters"])

md("## Set-up\nParameters are checked here, so a wrong name fails before any analysis runs.")

code('''
import warnings

import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import Markdown, display
from scipy import stats

from csat_analysis import drivers as drv
from csat_analysis import loyalty as loy
from csat_analysis import plots, report
from csat_analysis.datasets import open_study_data

report.set_results_path(results_path)
plots.set_theme()
pd.set_option("display.precision", 3)

study = open_study_data(dataset, schema=schema, n=n, seed=seed)
settings = loy.resolve_settings(study, satisfaction=satisfaction, loyalty=loyalty, drivers=drivers, segment=segment,
                                segment_value=segment_value, top_box=top_box, model=model)
data = settings.data
source = study.source + (f"; only {settings.segment} = {settings.segment_value} (n = {len(data):,})"
                         if settings.segment_value is not None else "")
sat_items, loy_items, scale = settings.satisfaction, settings.loyalty, settings.scale
report.record("n_respondents", len(data))
display(Markdown(
    f"**Data:** {source}.  \\n**Satisfaction:** {', '.join(sat_items)}; **loyalty:** {', '.join(loy_items)} "
    f"(scale {scale.low:g}-{scale.high:g}; a measure with several items is scored as the mean of its items). "
    f"**Loyal / satisfied** means a score of at least {settings.satisfied_threshold:g} (top {top_box} box). "
    f"**Model:** {settings.model}."))
''')

md("""
## 1. Sample, scales, missingness and reliability

Each multi-item measure should hang together (Cronbach's alpha, with Feldt's 95%
interval; 0.7 is the usual floor) before its mean is read as one score.
""")

code('''
measures = {"Satisfaction": sat_items, "Loyalty": loy_items}
if isinstance(settings.drivers, dict):
    measures.update(settings.drivers)
measure_table = loy.describe_measures(data, measures, scale)
display(measure_table)
print(source)
multi = measure_table.dropna(subset=["alpha"])
if len(multi):
    weakest = multi.loc[multi["alpha"].idxmin()]
    display(Markdown(
        f"{len(data):,} respondents; {int(measure_table['missing_cells'].sum())} missing answers across these measures. "
        f"The least consistent multi-item measure is **{weakest['measure']}** (alpha = {weakest['alpha']:.2f}, "
        f"95% interval {weakest['alpha_low']:.2f}-{weakest['alpha_high']:.2f})"
        + (", below 0.7: read its mean with care." if weakest["alpha"] < 0.7 else "; every measure passes 0.7.")))
''')

md("""
## 2. The satisfaction-loyalty curve

Loyalty at each satisfaction level (the mean of the satisfaction items, rounded to the
nearest scale point): the share of top-box loyal customers with Wilson intervals, and
the mean loyalty score with t intervals. The fitted line is a logistic regression of
top-box loyalty on satisfaction with a quadratic term (statsmodels); a likelihood-ratio
test against the straight logistic asks whether the curve bends, and the share of the
rise in the top third of the satisfaction range says whether the payoff is
concentrated at the top of the scale.
""")

code('''
curve = loy.loyalty_curve(data, sat_items, loy_items, top_box=top_box, scale=scale)
fit = loy.fit_loyalty_curve(data, sat_items, loy_items, top_box=top_box, scale=scale)
sat_score = loy.composite_score(data, sat_items)
loy_score = loy.composite_score(data, loy_items)
spearman = stats.spearmanr(sat_score, loy_score, nan_policy="omit").statistic

fig, axes = plt.subplots(1, 2, figsize=(12, 4.2))
plots.loyalty_curve_plot(curve, fit=fit.grid, ax=axes[0])
axes[0].set(xlabel="satisfaction (scale point)", ylabel=f"share loyal (top {top_box} box)", title="Top-box loyalty")
plots.loyalty_curve_plot(curve, y="mean", low="mean_low", high="mean_high", ax=axes[1])
axes[1].set(xlabel="satisfaction (scale point)", ylabel="mean loyalty score", title="Mean loyalty")
for ax in axes:
    plots.source_note(ax, source)
plt.tight_layout()
plt.show()
display(curve)

report.record("satisfaction_loyalty_spearman", float(spearman))
report.record("loyalty_by_satisfaction", dict(zip(curve["satisfaction"].astype(str), curve["share"])))
report.record("curve_steepest", fit.steepest)
report.record("curve_nonlinearity_pvalue", fit.lr_pvalue)
report.record("curve_top_gain_share", fit.top_gain_share)
low_row, high_row = curve.iloc[0], curve.iloc[-1]
display(Markdown(
    f"The loyal share rises from {low_row['share']:.0%} at satisfaction {low_row['satisfaction']:g} to "
    f"{high_row['share']:.0%} at {high_row['satisfaction']:g} (Spearman rho = {spearman:.2f}). "
    f"The fitted curve is steepest near {fit.steepest:.1f}; {fit.top_gain_share:.0%} of the rise happens in the top "
    f"third of the satisfaction range, and the curvature test gives p = {fit.lr_pvalue:.3f} "
    + ("(the curve bends significantly)." if fit.lr_pvalue < 0.05 else "(no significant bend beyond the logistic shape).")))
''')

md("""
## 3. Loyalty types: attitude against behaviour

Crossing attitude (satisfied: top box) with behaviour (repurchasing) gives true
loyalty, latent loyalty (satisfied, not repurchasing), spurious loyalty (repurchasing
without being satisfied, e.g. for lack of choice) and no loyalty (seed 001).
""")

code('''
if settings.behaviour is None:
    display(Markdown("This data set has no behaviour measure, so the loyalty types are skipped."))
else:
    is_flag = pd.api.types.is_bool_dtype(data[settings.behaviour])
    segments_table = loy.loyalty_segments(data, sat_items, settings.behaviour,
                                          attitude_threshold=settings.satisfied_threshold,
                                          behaviour_threshold=None if is_flag else settings.satisfied_threshold)
    ax = plots.interval_plot(segments_table, x="segment", y="share", low="low", high="high", kind="bar")
    ax.set(ylabel="share of customers", xlabel="loyalty type", title="Loyalty types")
    plots.source_note(ax, source)
    plt.show()
    display(segments_table)
    report.record("segments", dict(zip(segments_table["segment"], segments_table["share"])))
    shares = segments_table.set_index("segment")["share"]
    behaviour_text = (f"`{settings.behaviour}` (observed repurchase)" if not settings.behaviour_is_proxy else
                      f"the repurchase-intention item `{settings.behaviour}` (top box) as a proxy: this survey "
                      "records no observed behaviour")
    display(Markdown(
        f"Behaviour here is {behaviour_text}. {shares['true']:.0%} are truly loyal; {shares['spurious']:.0%} are "
        f"spuriously loyal (they stay without being satisfied) and {shares['latent']:.0%} are latently loyal "
        "(satisfied but not committed)."))
''')

code('''
dealer_columns = ["sales_satisfied", "service_satisfied", "loyal_to_dealer", "loyal_to_brand"]
if all(c in data.columns for c in dealer_columns):
    dealer = loy.dealer_table(data, "sales_satisfied", "service_satisfied")
    dealer["cell"] = "sales " + dealer["sales"] + " / service " + dealer["service"]
    fig, ax = plt.subplots(figsize=(9, 4))
    plots.interval_plot(dealer, x="cell", y="rate", low="low", high="high", hue="outcome", kind="bar", ax=ax)
    ax.set(ylabel="share loyal", xlabel="", title="Dealer table (seed 004, TMS-USA): loyalty by sales x service satisfaction")
    plots.source_note(ax, source)
    plt.show()
    display(dealer.drop(columns="cell"))
    inside = ((dealer["low"] <= dealer["seed_rate"]) & (dealer["seed_rate"] <= dealer["high"])).sum()
    to_dealer = dealer[dealer["outcome"] == "loyal_to_dealer"].set_index(["sales", "service"])["rate"]
    only_service, only_sales = to_dealer[("X", "O")], to_dealer[("O", "X")]
    report.record("dealer_table", {f"{r.sales}/{r.service} {r.outcome}": r.rate for r in dealer.itertuples()})
    display(Markdown(
        f"Rebuilt from {int(dealer.groupby(['sales', 'service'])['n'].first().sum()):,} respondents: {inside} of "
        f"{len(dealer)} seed rates lie inside the 95% intervals. Satisfied with the service only, {only_service:.0%} stay "
        f"loyal to the dealer; satisfied with the sale only, {only_sales:.0%}: "
        + ("service satisfaction matters more." if only_service > only_sales else "sales satisfaction matters more.")))
else:
    display(Markdown("The dealer table (seed 004) needs sales and service satisfaction and loyalty flags; "
                     "only the simulator provides them, so it is skipped for this data set."))
''')

md("""
## 4. Key drivers of satisfaction

Relative importance: each driver's share of the explained variance (R²) of
satisfaction, from an exact Shapley decomposition (every order of entry), set against
its performance (mean score, 0-100). The cross-hairs are the averages; the short
stave is the high-importance driver that performs worst (seed 002).
""")

code('''
spec = settings.model_spec()
pls_fit = boot = None
if spec is not None:
    from csat_analysis import pls

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        pls_fit = pls.estimate(data, *spec)
        boot = pls_fit.bootstrap(n=bootstrap, seed=seed, scale=(scale.low, scale.high))

if settings.drivers is None:
    display(Markdown("No drivers were given, so the key-driver analysis is skipped."))
else:
    ipa = drv.importance_performance(data, sat_items, settings.drivers, scale)
    stave = drv.short_stave(ipa)
    r2 = drv.relative_importance(data, sat_items, settings.drivers)["r2"].iloc[0]
    fig, ax = plt.subplots(figsize=(7, 5))
    plots.importance_performance_plot(ipa, ax=ax)
    ax.set(xlabel="performance (0-100)", ylabel="share of R² (Shapley)", title="Importance-performance matrix")
    plots.source_note(ax, source)
    plt.show()
    display(ipa)
    report.record("key_drivers", dict(zip(ipa["driver"], ipa["share"])))
    report.record("short_stave", stave)
    top = ipa.loc[ipa["share"].idxmax()]
    display(Markdown(
        f"The drivers explain R² = {r2:.2f} of satisfaction. **{top['driver']}** matters most "
        f"({top['share']:.0%} of R²); the short stave is **{stave}** (performance "
        f"{ipa.set_index('driver').loc[stave, 'performance']:.0f}/100 despite high importance)."))
''')

code('''
if pls_fit is not None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # negative index weights are shown in section 5's tables
        ipma = drv.ipma(pls_fit, "Satisfaction", scale=(scale.low, scale.high))
    fig, ax = plt.subplots(figsize=(7, 5))
    plots.importance_performance_plot(ipma, y="importance", label="construct", ax=ax)
    ax.set(xlabel="performance (0-100 index)", ylabel="total effect on Satisfaction (unstandardised)",
           title="Importance-performance map (PLS)")
    plots.source_note(ax, source)
    plt.show()
    display(ipma)
    display(Markdown(
        f"In the PLS model, one point more on **{ipma.loc[ipma['importance'].idxmax(), 'construct']}** (0-100) moves "
        f"the satisfaction index most ({ipma['importance'].max():.2f} points); the map's short stave is "
        f"**{drv.short_stave(ipma)}**."))
''')

md("""
## 5. The satisfaction index model

A PLS path model (ECSI, or drivers -> satisfaction -> loyalty where the data lack the
ECSI constructs) with percentile bootstrap intervals. The satisfaction and loyalty
indices are ACSI-style 0-100 scores (weighted means of the rescaled items). With
`model="none"` the indices are plain item means rescaled to 0-100 (t intervals).
""")

code('''
if pls_fit is None:
    indices = {name: loy.mean_index(data, items, scale=scale) for name, items in
               (("satisfaction", sat_items), ("loyalty", loy_items))}
    for name, est in indices.items():
        report.record(f"{name}_index", est.value)
        report.record(f"{name}_index_low", est.low)
        report.record(f"{name}_index_high", est.high)
    display(pd.DataFrame({k: v.to_dict() for k, v in indices.items()}).T)
else:
    fig, ax = plt.subplots(figsize=(10, 6))
    pls_fit.plot(ax=ax)
    plots.source_note(ax, source)
    plt.show()
    paths = boot.paths[["source", "target", "original", "se", "low", "high"]]
    display(paths)
    display(pd.DataFrame({"R²": pls_fit.r2}))
    display(pls_fit.reliability)
    index_table = boot.indices.set_index("source")[["original", "low", "high"]]
    display(index_table)
    for name, construct in (("satisfaction", "Satisfaction"), ("loyalty", "Loyalty")):
        report.record(f"{name}_index", index_table.loc[construct, "original"])
        report.record(f"{name}_index_low", index_table.loc[construct, "low"])
        report.record(f"{name}_index_high", index_table.loc[construct, "high"])
    report.record("ecsi_paths", {f"{r.source}->{r.target}": r.original for r in paths.itertuples()})
    strongest = paths.loc[paths["original"].abs().idxmax()]
    significant = int(((paths["low"] > 0) | (paths["high"] < 0)).sum())
    display(Markdown(
        f"{significant} of {len(paths)} paths have 95% bootstrap intervals ({bootstrap} resamples) that exclude zero; "
        f"the strongest is {strongest['source']} -> {strongest['target']} ({strongest['original']:.2f}). "
        "R² of the endogenous constructs: " + ", ".join(f"{k} {v:.2f}" for k, v in pls_fit.r2.items()) + "."))
results = report.read_results()
display(Markdown(
    f"**Satisfaction index** {results['satisfaction_index']:.1f} (95% interval {results['satisfaction_index_low']:.1f}-"
    f"{results['satisfaction_index_high']:.1f}); **loyalty index** {results['loyalty_index']:.1f} "
    f"({results['loyalty_index_low']:.1f}-{results['loyalty_index_high']:.1f}), out of 100. Source: {source}."))
''')

md("""
## 6. Segments

Where the data carry a segment column (corp_rep: `serviceprovider`), indices (item
means rescaled to 0-100) and the loyal share per segment, with Kruskal-Wallis tests on
the scores and a chi-square test on the loyal share.
""")

code('''
if settings.compare_segments:
    by_segment = loy.segment_comparison(data, settings.segment, sat_items, loy_items, top_box=top_box, scale=scale)
    tests = loy.segment_tests(data, settings.segment, sat_items, loy_items, top_box=top_box, scale=scale)
    long = pd.concat([
        by_segment.assign(measure="satisfaction", value=by_segment["satisfaction_index"],
                          low=by_segment["satisfaction_low"], high=by_segment["satisfaction_high"]),
        by_segment.assign(measure="loyalty", value=by_segment["loyalty_index"],
                          low=by_segment["loyalty_low"], high=by_segment["loyalty_high"]),
    ])[["segment", "measure", "value", "low", "high"]]
    long["segment"] = long["segment"].astype(str)
    fig, ax = plt.subplots(figsize=(8, 4))
    plots.interval_plot(long, x="segment", y="value", low="low", high="high", hue="measure", ax=ax)
    ax.set(xlabel=settings.segment, ylabel="index (0-100)", title=f"Indices by {settings.segment}")
    plots.source_note(ax, source)
    plt.show()
    display(by_segment)
    display(tests)
    chi = tests.set_index("measure").loc["loyal_share"]
    report.record("segment_difference_pvalue", chi["pvalue"])
    report.record("loyalty_by_segment", dict(zip(by_segment["segment"].astype(str), by_segment["loyal_share"])))
    ranked = by_segment.set_index("segment")["loyalty_index"]
    display(Markdown(
        f"Loyalty index from {ranked.min():.1f} ({settings.segment} {ranked.idxmin()}) to "
        f"{ranked.max():.1f} ({ranked.idxmax()}); the loyal share "
        + ("differs" if chi["pvalue"] < 0.05 else "does not differ significantly")
        + f" between segments (chi-square p = {chi['pvalue']:.3f})."))
else:
    display(Markdown("No segment comparison: " + ("the data were filtered to one segment."
                                                  if settings.segment_value is not None else "no segment column.")))
''')

md("## 7. Findings")

code('''
display(Markdown("\\n".join(f"- {line}" for line in loy.summarize_findings(report.read_results()))
                 + f"\\n\\n*{source}.*"))
''')

notebook = new_notebook(cells=cells, metadata={
    "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
    "language_info": {"name": "python"},
})
nbformat.validate(notebook)
nbformat.write(notebook, NOTEBOOK)
print(f"wrote {NOTEBOOK}")
