"""The registry of published sources, citations and the References section."""

import re

import pytest

from csat_analysis.errors import ParameterError
from csat_analysis.references import REFERENCES, Citations, Reference, cite, references_markdown

KEY_PATTERN = re.compile(r"^[a-z][a-z_]*[a-z](\d{4})?$")
YEAR = re.compile(r"\((\d{4})\)")

# the sources the domain background asks reports to cite (section 8 and the data sets)
REQUIRED = [
    "tarp1986",
    "leboeuf1987",
    "toyota_dealer_study",
    "fornell1996",
    "tenenhaus2005",
    "oliver1980",
    "dick_basu1994",
    "martilla_james1977",
    "reichheld2003",
    "mccollough_bharadwaj1992",
    "de_matos2007",
    "hair2017",
    "henseler2015",
    "dijkstra_henseler2015",
    "ringle_sarstedt2016",
    "lindeman1980",
    "gromping2006",
    "wilson1927",
    "newcombe1998",
    "feldt1965",
    "kish1965",
    "chin_dibbern2010",
    "kaplan_meier1958",
    "cox1972",
    "lumley2004",
    "churn_training",
]


def test_registry_holds_every_required_source():
    assert [key for key in REQUIRED if key not in REFERENCES] == []


@pytest.mark.parametrize("key", sorted(REFERENCES))
def test_key_and_entry_are_well_formed(key):
    reference = REFERENCES[key]
    assert isinstance(reference, Reference)
    assert KEY_PATTERN.match(key), f"{key!r}: lowercase surnames joined by '_', then the year"
    assert reference.short.strip() == reference.short and reference.short
    assert reference.full.strip() == reference.full and reference.full.endswith(".")
    # a dated source: the key's year, the short citation's year and the full entry's year agree
    key_year = re.search(r"(\d{4})$", key)
    short_year = YEAR.search(reference.short)
    assert bool(key_year) == bool(short_year)
    if key_year:
        assert short_year.group(1) == key_year.group(1)
        assert f"({key_year.group(1)})" in reference.full
    # Markdown italics are balanced
    assert reference.full.count("*") % 2 == 0


@pytest.mark.parametrize("key", sorted(REFERENCES))
def test_no_internal_shorthand_reaches_a_reader(key):
    text = f"{REFERENCES[key].short} {REFERENCES[key].full}".lower()
    assert not re.search(r"\bseeds?\b|\bbriefs?\b", text)


def test_no_duplicate_entries_under_different_keys():
    shorts = [reference.short for reference in REFERENCES.values()]
    fulls = [reference.full for reference in REFERENCES.values()]
    assert len(set(shorts)) == len(shorts)
    assert len(set(fulls)) == len(fulls)
    # the same work under two keys would share its opening (authors, year and title)
    openings = [reference.full[:60].casefold() for reference in REFERENCES.values()]
    assert len(set(openings)) == len(openings)


def test_short_citation_names_the_first_author_of_the_full_entry():
    for key, reference in REFERENCES.items():
        first_word = reference.short.split()[0].rstrip(",")
        if first_word in ("TARP", "churn-management"):
            continue  # an organisation's acronym, an unpublished source
        assert first_word.casefold() in reference.full[:40].casefold(), key


@pytest.mark.parametrize(
    "key, short",
    [
        ("tarp1986", "TARP (1986)"),
        ("fornell1996", "Fornell et al. (1996)"),
        ("dick_basu1994", "Dick and Basu (1994)"),
        ("gromping2006", "Grömping (2006)"),
    ],
)
def test_cite(key, short):
    assert cite(key) == short


def test_cite_several_and_errors():
    assert cite("kaplan_meier1958", "cox1972") == "Kaplan and Meier (1958); Cox (1972)"
    with pytest.raises(ParameterError, match="fornell1996"):
        cite("fornel1996")
    with pytest.raises(ParameterError, match="at least one"):
        cite()


def test_citations_record_first_use_in_order():
    citations = Citations()
    assert citations.cite("tarp1986") == "TARP (1986)"
    citations.cite("reichheld2003", "tarp1986")
    citations.add("wilson1927")
    assert citations.keys == ["tarp1986", "reichheld2003", "wilson1927"]
    assert len(citations) == 3 and "wilson1927" in citations and "kish1965" not in citations
    assert list(citations) == citations.keys
    with pytest.raises(ParameterError, match="unknown reference key"):
        citations.cite("seed001")
    assert citations.keys == ["tarp1986", "reichheld2003", "wilson1927"]


def test_references_section_is_sorted_by_author_with_full_entries():
    text = references_markdown(["wilson1927", "gromping2006", "tarp1986", "dick_basu1994", "wilson1927"])
    lines = text.splitlines()
    assert lines[:2] == ["## References", ""]
    entries = lines[2:]
    assert entries == [
        f"- {REFERENCES[key].full}" for key in ["dick_basu1994", "gromping2006", "tarp1986", "wilson1927"]
    ]


def test_references_section_of_nothing_is_empty_and_heading_configurable():
    assert references_markdown([]) == ""
    assert Citations().markdown() == ""
    assert references_markdown(["kish1965"], heading="### Sources").startswith("### Sources\n\n- Kish, L. (1965)")


def test_sort_ignores_accents_and_case():
    keys = ["gromping2006", "greenwood1926", "hair2017"]
    text = references_markdown(keys)
    assert text.index("Greenwood") < text.index("Grömping") < text.index("Hair")
