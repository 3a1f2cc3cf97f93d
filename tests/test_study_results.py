"""The studies keep every number: `csat run studies/default.yaml` records the same results.

``tests/fixtures/study_results/<study>/<run-id>.json`` holds what each run of the
default study set recorded before the notebooks moved onto the studies layer. Every
name recorded then must still be recorded, with the same value (new names may join).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "study_results"
#: names recorded before that the studies now spell in the project's vocabulary (old -> new)
RENAMED = {"pvalue": "p_value", "clv_seed": "clv_to_date", "seed_share": "quoted_share"}
#: relative tolerance: the same seeds give the same draws, so only float summation order may differ
RELATIVE = 1e-9


def _differences(expected, actual, where: str) -> list[str]:
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [f"{where}: expected a mapping, got {actual!r}"]
        found = []
        for key, value in expected.items():
            key = RENAMED.get(key, key)
            if key not in actual:
                found.append(f"{where}.{key}: missing")
            else:
                found += _differences(value, actual[key], f"{where}.{key}")
        return found
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            return [f"{where}: expected {len(expected)} items, got {actual!r}"]
        return [d for i, (e, a) in enumerate(zip(expected, actual)) for d in _differences(e, a, f"{where}[{i}]")]
    if isinstance(expected, float) and isinstance(actual, (int, float)) and not isinstance(actual, bool):
        same = math.isclose(expected, actual, rel_tol=RELATIVE, abs_tol=1e-12)
        return [] if same else [f"{where}: expected {expected!r}, got {actual!r}"]
    return [] if expected == actual else [f"{where}: expected {expected!r}, got {actual!r}"]


def test_the_comparison_fails_on_a_changed_number():
    assert _differences({"a": {"b": [1.0, 2.0]}}, {"a": {"b": [1.0, 2.0 + 1e-6]}}, "r") == [
        "r.a.b[1]: expected 2.0, got 2.000001"
    ]
    assert _differences({"a": 1}, {}, "r") == ["r.a: missing"]
    assert _differences({"pvalue": 0.5}, {"p_value": 0.5}, "r") == []


@pytest.mark.slow
def test_default_study_set_records_the_same_results(default_batch):
    assert default_batch.returncode == 0, default_batch.output
    reports = default_batch.reports
    fixtures = sorted(FIXTURES.glob("*/*.json"))
    assert len(fixtures) == 18
    problems = []
    for fixture in fixtures:
        study, run_id = fixture.parent.name, fixture.stem
        produced = reports / study / run_id / "results.json"
        if not produced.exists():
            problems.append(f"{study}/{run_id}: no results.json")
            continue
        expected = json.loads(fixture.read_text(encoding="utf-8"))
        actual = json.loads(produced.read_text(encoding="utf-8"))
        problems += _differences(expected, actual, f"{study}/{run_id}")
    assert not problems, "\n".join(problems[:40])
