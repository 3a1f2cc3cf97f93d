"""numpydoc validation of the public API: every public function, class and method of
the checked modules passes the checks in CHECKS.

The checked set (numpydoc's codes, https://numpydoc.readthedocs.io/en/latest/validation.html):
no missing docstrings (GL08), every parameter documented and no unknown or misordered
ones (PR01-PR03), parameter entries well formed (PR05, PR06, PR08-PR10), one-line
summaries that start with a capital and end with a period (SS01-SS04, SS06), sections in
order and well formed (GL02-GL07, GL09, GL10), well-formed Returns, Yields and See Also
(RT01-RT05, YD01, SA02-SA04).

Left out on purpose: GL01 (the summary starts on the line of the opening quotes, as
PEP 257 allows; numpydoc releases before 1.8 flag that), SS05 (its third-person
heuristic flags noun-phrase summaries such as "Cronbach's alpha ..."), ES01 and SA01
(an extended summary or See Also is not always useful), EX01 (methods of result objects
are shown in their class's example), PR04 and PR07 (entries such as ``x, y : str``
document several parameters at once).

A dataclass result object documents its fields under "Attributes"; PR01 counts those as
its parameters, since users read the fields and never build the object.

Modules other work is rewriting now are listed in PENDING_MODULES with the reason; they
join CHECKED_MODULES when that work lands. PENDING_OBJECTS lists the known gaps left in
the checked modules: a gap that is fixed must leave the list (the test says so).
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest

import csat_analysis

numpydoc_validate = pytest.importorskip("numpydoc.validate")
numpydoc_docscrape = pytest.importorskip("numpydoc.docscrape")

CHECKS = {
    "GL02",
    "GL03",
    "GL04",
    "GL05",
    "GL06",
    "GL07",
    "GL08",
    "GL09",
    "GL10",
    "SS01",
    "SS02",
    "SS03",
    "SS04",
    "SS06",
    "PR01",
    "PR02",
    "PR03",
    "PR05",
    "PR06",
    "PR08",
    "PR09",
    "PR10",
    "RT01",
    "RT02",
    "RT03",
    "RT04",
    "RT05",
    "YD01",
    "SA02",
    "SA03",
    "SA04",
}

CHECKED_MODULES = [
    "csat_analysis",
    "csat_analysis.churn",
    "csat_analysis.cli",
    "csat_analysis.complaints",
    "csat_analysis.datasets",
    "csat_analysis.design",
    "csat_analysis.drivers",
    "csat_analysis.effsize",
    "csat_analysis.errors",
    "csat_analysis.estimate",
    "csat_analysis.formatting",
    "csat_analysis.i18n",
    "csat_analysis.io",
    "csat_analysis.loyalty",
    "csat_analysis.metrics",
    "csat_analysis.plots",
    "csat_analysis.pls",
    "csat_analysis.pls_assess",
    "csat_analysis.references",
    "csat_analysis.regression",
    "csat_analysis.report",
    "csat_analysis.resources",
    "csat_analysis.runner",
    "csat_analysis.scaling",
    "csat_analysis.simulate",
    "csat_analysis.studies",
    "csat_analysis.studies.churn_and_retention",
    "csat_analysis.studies.complaint_resolution",
    "csat_analysis.studies.core",
    "csat_analysis.studies.customer_comments",
    "csat_analysis.studies.data_overview",
    "csat_analysis.studies.roles",
    "csat_analysis.studies.satisfaction_vs_loyalty",
    "csat_analysis.survey",
    "csat_analysis.survival",
    "csat_analysis.text",
    "csat_analysis.weighting",
]

PENDING_MODULES: dict[str, str] = {}  # module -> why it is not checked yet

#: (object, check) gaps left in the checked modules; remove an entry when it is fixed
PENDING_OBJECTS: set[tuple[str, str]] = {
    # built by pls.estimate only; its keyword-only constructor arguments are internal state
    ("csat_analysis.pls.PLSResult", "PR01"),
}


def _public_modules() -> list[str]:
    names = ["csat_analysis"]
    for info in pkgutil.walk_packages(csat_analysis.__path__, "csat_analysis."):
        if not any(part.startswith("_") for part in info.name.split(".")[1:]):
            names.append(info.name)
    return sorted(names)


def _public_objects(module_name: str):
    module = importlib.import_module(module_name)
    yield module_name, module
    for name in getattr(module, "__all__", []):
        obj = getattr(module, name)
        if inspect.ismodule(obj) or not (inspect.isfunction(obj) or inspect.isclass(obj)):
            continue
        if getattr(obj, "__module__", module_name) != module_name:
            continue  # re-exported: checked where it is defined
        full = f"{module_name}.{name}"
        yield full, obj
        if inspect.isclass(obj) and not issubclass(obj, BaseException):
            for member_name, member in vars(obj).items():
                if not member_name.startswith("_") and (inspect.isfunction(member) or isinstance(member, property)):
                    yield f"{full}.{member_name}", member


def _attributes(cls) -> set[str]:
    documented = numpydoc_docscrape.ClassDoc(cls)["Attributes"]
    return {name.strip() for entry in documented for name in entry.name.split(",")}


class _Validator(numpydoc_validate.Validator):
    """numpydoc's validator, for a module without any def or class line too, and for undocumented overrides.

    numpydoc (1.11) looks for the first ``def``/``class`` line of the object's source to
    find ``# numpydoc ignore`` comments and raises StopIteration when a module has none
    (a package ``__init__`` that only re-exports, such as ``csat_analysis.studies``). A
    method that overrides a documented base method without a docstring of its own is
    validated with the base method's docstring, the one ``help()`` and Sphinx show.
    """

    def __init__(self, obj_name):
        super().__init__(numpydoc_docscrape.get_doc_object(self._load_obj(obj_name)))
        if not self.raw_doc:
            self.raw_doc = self._inherited_doc(obj_name)

    @classmethod
    def _inherited_doc(cls, obj_name: str) -> str:
        """The docstring of the base method an undocumented override shows (as help() and Sphinx do)."""
        owner_name, _, method = obj_name.rpartition(".")
        try:
            owner = cls._load_obj(owner_name)
        except ImportError:
            return ""
        if not inspect.isclass(owner):
            return ""
        for base in owner.__mro__[1:]:
            doc = getattr(getattr(base, method, None), "__doc__", None)
            if doc:
                return doc
        return ""

    @property
    def source_file_def_line(self):
        try:
            return super().source_file_def_line
        except StopIteration:
            return None


def _errors(full: str, obj) -> list[tuple[str, str]]:
    found = []
    for code, message in numpydoc_validate.validate(full, validator_cls=_Validator)["errors"]:
        if code not in CHECKS:
            continue
        if code == "PR01" and inspect.isclass(obj):
            missing = {name.strip(" '{}") for name in message.split("{", 1)[1].rsplit("}", 1)[0].split(",")}
            if missing <= _attributes(obj):
                continue
        found.append((code, message))
    return found


def test_every_public_module_is_checked_or_pending():
    unclassified = sorted(set(_public_modules()) - set(CHECKED_MODULES) - set(PENDING_MODULES))
    assert not unclassified, f"add these modules to CHECKED_MODULES (or PENDING_MODULES with a reason): {unclassified}"


@pytest.mark.parametrize("module_name", CHECKED_MODULES)
def test_public_docstrings_pass_numpydoc_validation(module_name):
    failures, fixed = [], []
    for full, obj in _public_objects(module_name):
        errors = _errors(full, obj)
        codes = {code for code, _ in errors}
        failures += [f"{full}: {code} {message}" for code, message in errors if (full, code) not in PENDING_OBJECTS]
        fixed += [f"{full}: {code}" for name, code in PENDING_OBJECTS if name == full and code not in codes]
    assert not failures, "numpydoc validation:\n" + "\n".join(failures)
    assert not fixed, "fixed, remove from PENDING_OBJECTS:\n" + "\n".join(fixed)
