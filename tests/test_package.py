"""The package namespace: lazy submodule access and no eager import of heavy modules."""

import subprocess
import sys

import pytest

import csat_analysis as ca


def _run(code: str) -> str:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()


def test_submodules_are_reachable_as_attributes():
    # 5 promoters, 3 detractors of 10: NPS 20
    assert ca.metrics.nps([10, 9, 8, 7, 6, 3, 10, 10, 9, 0]).value == pytest.approx(20.0)
    assert ca.scaling.top_box([9, 8], (1, 10)).tolist() == [True, False]
    assert ca.estimate.Estimate is ca.metrics.Estimate
    import csat_analysis.metrics

    assert ca.metrics is csat_analysis.metrics
    assert "metrics" in dir(ca) and "studies" in dir(ca)


def test_import_is_lazy():
    loaded = _run("import sys, csat_analysis; print(sorted(m for m in sys.modules if m.startswith('csat_analysis.')))")
    assert loaded == "['csat_analysis.errors']"
    heavy = _run(
        "import sys, csat_analysis; print([m for m in ('statsmodels', 'matplotlib', 'scipy', 'pandas') "
        "if m in sys.modules])"
    )
    assert heavy == "[]"


def test_lazy_access_loads_only_what_is_used():
    loaded = _run(
        "import sys, csat_analysis as ca; ca.metrics.nps([9]); "
        "print('csat_analysis.pls' in sys.modules, 'matplotlib' in sys.modules)"
    )
    assert loaded == "False False"


def test_unknown_attribute_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no_such_module"):
        ca.no_such_module  # noqa: B018
    assert not hasattr(ca, "no_such_module")


def test_errors_are_exported_at_the_top():
    assert issubclass(ca.ParameterError, ca.CsatError) and issubclass(ca.SurveyDataError, ValueError)
