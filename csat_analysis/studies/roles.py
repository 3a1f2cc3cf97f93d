"""What each column of a bundled data set means: the one place study defaults come from.

Every study resolves its default columns here (satisfaction and loyalty items,
drivers, segments, weights, complaint and churn columns), so a data set is described
once, not once per study. The keys follow the survey description of a researcher's
own survey: ``roles`` name the columns behind each concept, ``scale`` is the rating
scale of the items, and ``studies`` holds study options that are not column roles
(the default PLS model, the unit of tenure).

Examples
--------
>>> dataset_roles("mobi")["satisfaction"]
['CUSA1', 'CUSA2', 'CUSA3']
>>> dataset_roles("telco_churn")["churn"]["tenure"]
'tenure'
>>> dataset_roles("my_survey.csv")
{}
"""

from __future__ import annotations

import copy
from typing import Any

__all__ = ["DATASET_ROLES", "dataset_roles"]

_ECSI_CONSTRUCTS = {
    "Image": [f"IMAG{i}" for i in range(1, 6)],
    "Expectation": [f"CUEX{i}" for i in range(1, 4)],
    "Quality": [f"PERQ{i}" for i in range(1, 8)],
    "Value": ["PERV1", "PERV2"],
    "Satisfaction": ["CUSA1", "CUSA2", "CUSA3"],
    "Complaints": ["CUSCO"],
    "Loyalty": ["CUSL1", "CUSL2", "CUSL3"],
}
_ECSI_DRIVERS = {name: _ECSI_CONSTRUCTS[name] for name in ("Image", "Expectation", "Quality", "Value")}

#: per data set (and the simulator): scale, column roles and study options.
#: ``behaviour_is_proxy``: the behaviour column is a stated intention standing in for
#: observed repurchase. ``complaint.handling_satisfaction``: satisfaction with how a
#: complaint was handled; ``complaint.calls``: customer-service calls of churn data (on
#: the simulator, the escalation level stands in for them); ``complaint.covariates`` and
#: ``complaint.call_covariates``: adjustment columns of the complaint and call models.
#: ``churn``: the churn flag (``churned``), tenure and its unit, monthly revenue, the
#: columns of the driver model, the churn study's segments (derived columns such as
#: ``tenure_band`` and ``service_calls`` included) and the churn-cause column.
#: ``comments``: the open-text column (``text``), its score or label (``score``), the
#: values of that column that count as a low score (``low_scores``), a train/test
#: column of labelled corpora (``split``), the comments' language and the segment of the
#: comments study.
DATASET_ROLES: dict[str, dict[str, Any]] = {
    "mobi": {
        "scale": (1, 10),
        "satisfaction": _ECSI_CONSTRUCTS["Satisfaction"],
        "loyalty": _ECSI_CONSTRUCTS["Loyalty"],
        "drivers": _ECSI_DRIVERS,
        "constructs": _ECSI_CONSTRUCTS,
        "segments": [],
        "behaviour": "CUSL1",
        "behaviour_is_proxy": True,
        "complaint": {"handling_satisfaction": "CUSCO"},
        "studies": {"model": "ecsi"},
    },
    "corp_rep": {
        "scale": (1, 7),
        "satisfaction": ["cusa"],
        "loyalty": ["cusl_1", "cusl_2", "cusl_3"],
        "drivers": {
            "Quality": [f"qual_{i}" for i in range(1, 9)],
            "Performance": [f"perf_{i}" for i in range(1, 6)],
            "CSR": [f"csor_{i}" for i in range(1, 6)],
            "Attractiveness": [f"attr_{i}" for i in range(1, 4)],
            "Competence": [f"comp_{i}" for i in range(1, 4)],
            "Likeability": [f"like_{i}" for i in range(1, 4)],
        },
        "segments": ["serviceprovider"],
        "behaviour": "cusl_2",
        "behaviour_is_proxy": True,
        "studies": {"model": "simple"},
    },
    "telco_churn": {
        "segments": ["contract", "tenure_band", "internet_service", "payment_method"],
        "churn": {
            "churned": "churn", "tenure": "tenure", "tenure_unit": "months", "revenue": "monthly_charges",
            "segments": ["contract", "tenure_band", "internet_service", "payment_method"],
            "drivers": ["contract", "internet_service", "payment_method", "paperless_billing", "senior_citizen",
                        "monthly_charges"],
            "cause": None,
        },
    },
    "service_calls_churn": {
        "segments": ["service_calls", "international_plan", "voice_mail_plan", "tenure_band"],
        "complaint": {"calls": "number_customer_service_calls", "churned": "churn",
                      "call_covariates": ["international_plan", "voice_mail_plan", "account_length"]},
        "churn": {
            "churned": "churn", "tenure": "account_length", "tenure_unit": "days", "revenue": "monthly_charges",
            "segments": ["service_calls", "international_plan", "voice_mail_plan", "tenure_band"],
            "drivers": ["service_calls", "international_plan", "voice_mail_plan", "total_day_minutes"],
            "cause": None,
        },
    },
    "fine_food_reviews": {
        "segments": ["score"],
        "comments": {"text": "review", "score": "score", "split": "split", "language": "en", "segment": "score",
                     "low_scores": ["other"]},
    },
    "chinese_product_reviews": {
        "segments": ["sentiment"],
        "comments": {"text": "review", "score": "sentiment", "split": "split", "language": "zh",
                     "segment": "sentiment", "low_scores": ["negative"]},
    },
    "simulated": {
        "scale": (1, 10),
        "id": "respondent_id",
        "weight": "weight",
        "satisfaction": _ECSI_CONSTRUCTS["Satisfaction"],
        "loyalty": _ECSI_CONSTRUCTS["Loyalty"],
        "drivers": _ECSI_DRIVERS,
        "constructs": _ECSI_CONSTRUCTS,
        "recommend": "nps_score",
        "segments": ["segment"],
        "behaviour": "repurchase",
        "behaviour_is_proxy": False,
        "dealer": {"sales": "sales_satisfied", "service": "service_satisfied",
                   "loyal": ["loyal_to_dealer", "loyal_to_brand"]},
        "complaint": {
            "problem": "problem", "complained": "complained", "status": "complaint_status",
            "resolved_first_contact": "resolved_first_contact", "escalation_level": "escalation_level",
            "resolution_hours": "resolution_hours", "open_hours": "hours_open", "severity": "severity",
            "handling_satisfaction": "CUSCO", "outcome": "repurchase", "calls": "escalation_level",
            "churned": "churned", "covariates": ["segment"], "call_covariates": ["segment"],
        },
        "churn": {
            "churned": "churned", "tenure": "tenure_months", "tenure_unit": "months", "revenue": "monthly_revenue",
            "segments": ["segment", "repurchase", "tenure_band"],
            "drivers": ["segment", "repurchase", "nps_score", "annual_revenue"], "cause": "churn_cause",
        },
        "studies": {"model": "ecsi"},
    },
}


def dataset_roles(name: str) -> dict[str, Any]:
    """A copy of the roles of a bundled data set or the simulator (empty for other data)."""
    return copy.deepcopy(DATASET_ROLES.get(name, {}))
