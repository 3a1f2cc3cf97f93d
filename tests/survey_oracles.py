"""The designs of the R survey oracles (tests/oracles/survey_design_set.R), rebuilt with SurveyDesign.

Shared by the design tests: each names a design as the oracle CSV files do
(``plain``, ``strata``, ``cluster``, ``cluster_fpc``, each optionally ``+rake``,
``+post`` or ``+cal``, and ``srs`` for the unweighted simple random sample).
"""

from __future__ import annotations

from pathlib import Path

from csat_analysis.design import SurveyDesign

ORACLES = Path(__file__).parent / "oracles"
#: the population shares survey_design_set.R rakes, post-stratifies and calibrates to
SHARES = {
    "gender": {"female": 0.52, "male": 0.48},
    "senior": {"senior": 0.22, "younger": 0.78},
    "internet_service": {"DSL": 0.30, "Fiber optic": 0.50, "No": 0.20},
}
DESIGNS = {
    "plain": {},
    "strata": {"strata": "stratum"},
    "cluster": {"strata": "stratum", "cluster": "psu"},
    "cluster_fpc": {"strata": "stratum", "cluster": "psu", "fpc": "fpc"},
}


def make_design(sample, name: str) -> SurveyDesign:
    """The design an oracle row names, on the oracle's sample."""
    if name == "srs":
        return SurveyDesign(sample)
    base, _, calibration = name.partition("+")
    options = dict(DESIGNS[base])
    if calibration == "rake":
        options["rake"] = SHARES
    elif calibration == "cal":
        options.update(rake=SHARES, rake_variance="calibrate")
    elif calibration == "post":
        options["poststratify"] = {"internet_service": SHARES["internet_service"]}
    return SurveyDesign(sample, weights="w", **options)
