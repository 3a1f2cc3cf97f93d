"""Every report of `make run` reads as a report: text checks over the real batch.

The default study set (``studies/default.yaml``, what ``make run`` executes) runs once,
into a temporary folder, and every reader's report and the index are checked as a
manager would read them (the text a browser renders: no style or script content):

- no internal shorthand: neither "seed" nor "brief" as a word. The one allowance is a
  parameter, not prose: the index's *parameters* column may list a random ``seed``
  parameter, and a data-source line may show a reproducible call such as
  ``simulate_panel(n=5,000, seed=0)`` (the keyword form ``seed=<number>``, which is
  how the data were made, not a reference to an internal document);
- a References section (a heading), and the summary box ("Key findings") before the
  first numbered section;
- no code cells (a reader's report) and no warning text ("Warning", "Glyph",
  "Traceback"): warnings go to each run's ``warnings.log``;
- headless Chromium at 1280 px: neither a report nor the index scrolls sideways.

``CSAT_READ_REPORTS=DIR`` runs the checks over an existing reports folder instead.

Some checks depend on the study modules (the summary box, the References section):
a failure there names the study and run.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from csat_analysis.runner import load_studies

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "studies" / "default.yaml"
RUN_KEYS = [run.key for study in load_studies(SPEC) for run in study.runs]
#: the viewport width the reports must fit
WIDTH = 1280

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def reports(default_batch) -> Path:
    """The reports of the default study set (the shared `default_batch` run, see conftest.py)."""
    assert (default_batch.reports / "index.html").exists(), default_batch.output
    return default_batch.reports


class _Text(HTMLParser):
    """The text a browser shows: no <style>/<script> content, the table of contents apart."""

    _HIDDEN = {"style", "script", "title"}

    def __init__(self, skip_classes: tuple[str, ...] = ()):
        super().__init__(convert_charrefs=True)
        self.skip_classes = skip_classes
        self.parts: list[str] = []
        self._stack: list[tuple[str, bool]] = []

    def _skipping(self) -> bool:
        return any(skip for _, skip in self._stack)

    def handle_starttag(self, tag, attrs):
        if tag in ("br", "img", "meta", "link", "input", "col", "wbr", "hr"):
            return
        classes = (dict(attrs).get("class") or "").split()
        skip = tag in self._HIDDEN or any(name in classes for name in self.skip_classes)
        self._stack.append((tag, skip))

    def handle_endtag(self, tag):
        for position in range(len(self._stack) - 1, -1, -1):
            if self._stack[position][0] == tag:
                del self._stack[position:]
                return

    def handle_data(self, data):
        if not self._skipping() and data.strip():
            self.parts.append(data.strip())

    @classmethod
    def of(cls, page: str, skip_classes: tuple[str, ...] = ()) -> str:
        parser = cls(skip_classes)
        parser.feed(page)
        return "\n".join(parser.parts)


def report_page(reports: Path, key: str) -> str:
    path = reports / key / "report.html"
    if not path.exists():
        error = reports / f"{key}.failed" / "error.txt"
        pytest.fail(f"{key}: no report; the run failed: {error.read_text() if error.exists() else '?'}")
    return path.read_text(encoding="utf-8")


#: "seed" or "brief" as a word, except the keyword form of a reproducible call (seed=0)
INTERNAL_WORDS = re.compile(r"\b(brief|seed)\b(?!\s*=\s*\d)", re.I)
WARNING_TEXT = re.compile(r"\w*Warning\b|\bGlyph\b|\bTraceback\b")


def test_every_run_of_make_run_succeeds(reports):
    failed = sorted(path.parent.name for path in reports.glob("*/*.failed/run.json"))
    assert not failed, f"failed runs: {failed}"


@pytest.mark.parametrize("key", RUN_KEYS)
def test_report_uses_no_internal_shorthand(reports, key):
    text = _Text.of(report_page(reports, key), skip_classes=("csat-toc",))
    hits = [text[max(0, m.start() - 60) : m.end() + 60].replace("\n", " ") for m in INTERNAL_WORDS.finditer(text)]
    assert not hits, f"{key}: {hits}"


@pytest.mark.parametrize("key", RUN_KEYS)
def test_report_ends_with_a_references_section(reports, key):
    page = report_page(reports, key)
    headings = re.findall(r"<h[1-4][^>]*>\s*References\b", page)
    assert headings, f"{key}: no References heading"
    main = page.split("</nav>", 1)[-1]  # after the table of contents
    last_section = [m.start() for m in re.finditer(r"<h2\b", main)][-1]
    assert re.match(r"<h2[^>]*>\s*References", main[last_section:]), f"{key}: References is not the last section"


@pytest.mark.parametrize("key", RUN_KEYS)
def test_summary_comes_before_the_first_section(reports, key):
    text = _Text.of(report_page(reports, key), skip_classes=("csat-toc",))
    assert "Key findings" in text, f"{key}: no summary box"
    first_section = re.search(r"^\d+\.\s", text, re.M)
    if first_section is not None:
        assert text.index("Key findings") < first_section.start(), f"{key}: the summary follows section 1"


@pytest.mark.parametrize("key", RUN_KEYS)
def test_report_shows_no_code(reports, key):
    page = report_page(reports, key)
    # the stylesheet names these classes too: look for elements that carry them (an editor
    # holds a code cell's source, a prompt its "In [n]:"; Markdown cells have neither)
    assert not re.search(r'class="[^"]*\b(jp-CodeMirrorEditor|jp-InputPrompt|highlight)\b', page), (
        f"{key}: code cells shown"
    )
    assert not re.search(r"\bIn\s*\[\d*\]:", _Text.of(page)), f"{key}: input prompts shown"
    assert '<a href="notebook.ipynb">' in page  # the analyst's way to the code


@pytest.mark.parametrize("key", RUN_KEYS)
def test_report_shows_no_warning_text(reports, key):
    text = _Text.of(report_page(reports, key))
    hits = [text[max(0, m.start() - 60) : m.end() + 60].replace("\n", " ") for m in WARNING_TEXT.finditer(text)]
    assert not hits, f"{key}: {hits}"


def test_index_reads_as_a_report(reports):
    page = (reports / "index.html").read_text(encoding="utf-8")
    text = _Text.of(page, skip_classes=("parameters",))
    hits = [text[max(0, m.start() - 60) : m.end() + 60].replace("\n", " ") for m in INTERNAL_WORDS.finditer(text)]
    assert not hits, hits
    assert not WARNING_TEXT.search(text.replace("Notes and warnings", ""))
    # studies in spec order, each under its description, runs in spec order
    studies = load_studies(SPEC)
    positions = [page.index(f'id="study-{study.name}"') for study in studies]
    assert positions == sorted(positions)
    for study in studies:
        assert study.description and " ".join(study.description.split()) in " ".join(text.split())
    runs = [
        page.index(
            f'<tr class="run" data-study="{key.split("/")[0]}"><td>'
            + key.split("/")[1].replace("_", "_<wbr>").replace("-", "-<wbr>").replace(".", ".<wbr>")
        )
        for key in RUN_KEYS
    ]
    assert runs == sorted(runs)
    # headlines are formatted: no raw floats such as 0.1471 (four or more decimals)
    headline_cells = re.findall(r'<td class="headline">(.*?)</td>', page, re.S)
    assert headline_cells and not [cell for cell in headline_cells if re.search(r"\d\.\d{4,}", cell)]


def _chromium() -> str:
    path = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is missing in CI: .ci/run installs Debian's chromium package")
        pytest.skip("chromium not installed (apt-get install chromium; .ci/run installs it)")
    return path


MEASURE = """<script>
window.addEventListener("load", function () {
  var marker = document.createElement("div");
  marker.id = "csat-measure";
  marker.setAttribute("data-scroll-width", String(document.documentElement.scrollWidth));
  marker.setAttribute("data-client-width", String(document.documentElement.clientWidth));
  document.body.appendChild(marker);
});
</script>"""


def scroll_width(page: Path, tmp_path: Path) -> tuple[int, int]:
    """``(scrollWidth, clientWidth)`` of ``page`` in headless Chromium with a 1280 px wide window.

    A copy of the page with a measuring script sits next to it (its relative links and
    images resolve as in the original); a screenshot is kept beside it for a person.
    """
    measured = page.with_name(f".measure-{page.name}")
    measured.write_text(page.read_text(encoding="utf-8").replace("</body>", MEASURE + "</body>", 1), encoding="utf-8")
    flags = [
        _chromium(),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'chromium'}",
        f"--window-size={WIDTH},900",
        "--hide-scrollbars",
        "--virtual-time-budget=10000",
    ]
    try:
        dom = subprocess.run(
            [*flags, "--dump-dom", measured.as_uri()], capture_output=True, text=True, timeout=180, check=True
        ).stdout
    finally:
        measured.unlink()
    subprocess.run(
        [*flags, f"--screenshot={tmp_path / (page.stem + '.png')}", page.as_uri()],
        capture_output=True,
        timeout=180,
        check=False,
    )
    match = re.search(r'id="csat-measure" data-scroll-width="(\d+)" data-client-width="(\d+)"', dom)
    assert match, "the measuring script did not run"
    return int(match[1]), int(match[2])


@pytest.mark.parametrize("page", ["index.html", "satisfaction_vs_loyalty/mobi-ecsi/report.html"])
def test_page_fits_a_1280_pixel_screen_without_horizontal_scrolling(reports, tmp_path, page):
    path = reports / page
    assert path.exists(), f"{page} was not written"
    width, client = scroll_width(path, tmp_path)
    assert client <= WIDTH
    assert width <= WIDTH, f"{page}: {width} px wide at a {WIDTH} px window: it scrolls sideways"
