"""One place for untrusted text: HTML/Markdown escaping, HTML sanitising, CSV cells, bounded YAML.

Strings that come from data or from a user's files (file names, column names, category
labels, parameters, error messages) must never become markup in a report or a formula
in a spreadsheet. Everything that writes such strings into HTML, Markdown or CSV goes
through the functions here, so the rules live in one module:

- :func:`escape_html` for text placed in HTML (element content or a quoted attribute);
- :func:`escape_markdown` for text placed in Markdown (it renders as the same literal
  text: no emphasis, no code span, no raw HTML, no link);
- :func:`sanitize_html` for HTML produced elsewhere (a notebook's rich outputs): an
  allow-list of tags and attributes; scripts, event handlers and ``javascript:`` URLs
  are dropped;
- :func:`csv_cell` for a value written to a CSV file: text that a spreadsheet would
  read as a formula (``=``, ``+``, ``-``, ``@``, tab, carriage return) gets a leading
  apostrophe, following the OWASP advice on CSV injection;
- :func:`safe_yaml_load` for YAML from a user: size-limited, with aliases counted as
  the nodes they expand to (a "billion laughs" file is refused at once).

Examples
--------
>>> escape_html('<img src=x onerror="alert(1)">')
'&lt;img src=x onerror=&quot;alert(1)&quot;&gt;'
>>> escape_markdown("a `b` *c* <d>")
'a \\\\`b\\\\` \\\\*c\\\\* &lt;d&gt;'
>>> csv_cell("=HYPERLINK(\\"http://x\\")"), csv_cell("-0.5"), csv_cell("north")
('\\'=HYPERLINK("http://x")', '-0.5', 'north')
>>> sanitize_html('<b onclick="x()">bold</b><script>alert(1)</script>')
'<b>bold</b>'
>>> safe_yaml_load("a: &x [1, 2]\\nb: *x\\n")
{'a': [1, 2], 'b': [1, 2]}
"""

from __future__ import annotations

import html
import os
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from .errors import CsatError

__all__ = ["csv_cell", "escape_html", "escape_markdown", "markdown_to_safe_html", "safe_yaml_load", "sanitize_html"]

#: default size limit of a YAML file read with :func:`safe_yaml_load` (bytes)
YAML_MAX_BYTES = 1_000_000
#: default limit on the nodes a YAML document expands to (aliases counted in full)
YAML_MAX_NODES = 100_000


def escape_html(text: Any) -> str:
    """``text`` as HTML text: ``& < > " '`` become entities (safe in content and quoted attributes)."""
    return html.escape(str(text), quote=True)


# Every character CommonMark gives a meaning to; a backslash before ASCII punctuation
# always renders that character literally.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~])")


def escape_markdown(text: Any) -> str:
    """``text`` as literal Markdown text: punctuation backslash-escaped, HTML characters as entities.

    Line breaks become spaces, so a value cannot start a heading, list or table row.
    """
    flat = " ".join(str(text).splitlines())
    # Backslashes first, entities second: an escaped "<" must stay "&lt;", not "\\&lt;".
    return html.escape(_MARKDOWN_SPECIAL.sub(r"\\\1", flat), quote=False)


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|[+-]?(inf|nan)", re.I)


def csv_cell(value: Any) -> str:
    """``value`` as CSV cell text that no spreadsheet evaluates as a formula.

    Text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a
    leading ``'`` (shown by spreadsheets as plain text); numbers such as ``-0.5`` stay
    numbers.
    """
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


# ---------------------------------------------------------------- HTML sanitising

_ALLOWED_TAGS = frozenset(
    "a abbr b blockquote br caption code col colgroup dd del details div dl dt em figcaption figure "
    "h1 h2 h3 h4 h5 h6 hr i img ins kbd li mark ol p pre q s samp small span strong style sub summary "
    "sup table tbody td tfoot th thead tr u ul".split()
)
_VOID_TAGS = frozenset({"br", "col", "hr", "img"})
_ALLOWED_ATTRIBUTES = frozenset(
    "align alt border class colspan dir height href id lang open rowspan scope span src start style "
    "title type valign width".split()
)
# Content of these is dropped together with the element.
_DROPPED_WITH_CONTENT = frozenset(
    {
        "script",
        "iframe",
        "object",
        "embed",
        "noscript",
        "template",
        "textarea",
        "title",
        "svg",
        "math",
        "frame",
        "frameset",
        "applet",
    }
)
_SAFE_URL = re.compile(r"(https?:|mailto:|#|/|\./|\.\./|[^:/?#]*(?:[/?#]|$))", re.I)
_SAFE_IMAGE = re.compile(r"data:image/(png|jpeg|gif|webp);base64,", re.I)


class _Sanitizer(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._dropping: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._dropping:
            if tag == self._dropping[-1] and tag not in _VOID_TAGS:
                self._dropping.append(tag)
            return
        if tag in _DROPPED_WITH_CONTENT:
            self._dropping.append(tag)
            return
        if tag not in _ALLOWED_TAGS:
            return
        kept = []
        for name, value in attrs:
            value = "" if value is None else value
            if name not in _ALLOWED_ATTRIBUTES:
                continue
            if name in ("href", "src"):
                compact = re.sub(r"[\x00-\x20]+", "", value)
                if not (_SAFE_URL.match(compact) or (name == "src" and _SAFE_IMAGE.match(compact))):
                    continue
            if name == "style" and re.search(r"expression|url\s*\(|javascript:|@import", value, re.I):
                continue
            kept.append(f' {name}="{escape_html(value)}"')
        self.parts.append(f"<{tag}{''.join(kept)}>")
        self._in_style = tag == "style"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self._in_style = False

    def handle_endtag(self, tag: str) -> None:
        if self._dropping:
            if tag == self._dropping[-1]:
                self._dropping.pop()
            return
        if tag in _ALLOWED_TAGS and tag not in _VOID_TAGS:
            self.parts.append(f"</{tag}>")
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._dropping:
            return
        if self._in_style:
            # CSS is data to the parser; only what could end the element or load code goes
            self.parts.append(re.sub(r"<|expression\s*\(|javascript:|@import", "", data, flags=re.I))
        else:
            self.parts.append(escape_html(data))


def sanitize_html(fragment: str) -> str:
    """``fragment`` rebuilt from an allow-list of tags and attributes.

    Kept: text formatting, lists, tables (pandas and Styler output with its ``<style>``),
    images with ``http(s)``, relative or ``data:image`` sources, links with ``http(s)``,
    ``mailto`` or relative targets. Dropped: ``<script>`` and other active elements with
    their content, every other unknown tag (its text is kept, escaped), event-handler
    attributes (``onerror``, ``onclick``...), ``javascript:`` URLs and CSS that can load
    code. Text is re-escaped, so entities cannot smuggle markup through.
    """
    parser = _Sanitizer()
    parser.feed(fragment)
    parser.close()
    return "".join(parser.parts)


# ---------------------------------------------------------------- bounded YAML


def safe_yaml_load(
    text_or_path: str | os.PathLike, max_bytes: int = YAML_MAX_BYTES, max_nodes: int = YAML_MAX_NODES
) -> Any:
    """Load YAML from a user with :class:`yaml.SafeLoader`, bounded in size and expansion.

    Parameters
    ----------
    text_or_path : str or path
        YAML text, or a :class:`pathlib.Path` / ``os.PathLike`` naming a file (a plain
        string is always YAML text).
    max_bytes : int
        Largest accepted file or text size, in bytes (UTF-8).
    max_nodes : int
        Largest number of nodes the document may expand to, each alias counted as
        the whole subtree it repeats; a recursive alias is refused.

    Returns
    -------
    The loaded value (mapping, list, scalar or ``None``).

    Raises
    ------
    CsatError
        Naming the limit exceeded; a file that cannot be read; a YAML syntax error.
        Only the standard tags load (SafeLoader): ``!!python/...`` tags are refused.
    """
    import yaml

    where = "YAML text"
    if isinstance(text_or_path, os.PathLike):
        path = Path(text_or_path)
        where = str(path)
        try:
            size = path.stat().st_size
            if size > max_bytes:
                raise CsatError(f"{where}: the file has {size:,} bytes; the limit is {max_bytes:,}")
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise CsatError(f"cannot read {where}: {exc.strerror or exc}") from None
        except UnicodeDecodeError as exc:
            raise CsatError(f"{where}: not UTF-8 text (byte {exc.start})") from None
    else:
        text = str(text_or_path)
    size = len(text.encode("utf-8"))
    if size > max_bytes:
        raise CsatError(f"{where}: {size:,} bytes of YAML; the limit is {max_bytes:,}")
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_expansion(node, max_nodes, where)
        return loader.construct_document(node)
    except yaml.YAMLError as exc:
        raise CsatError(f"{where}: not valid YAML: {' '.join(str(exc).split())}") from None
    finally:
        loader.dispose()


def _check_expansion(root: Any, max_nodes: int, where: str) -> None:
    """Count the nodes ``root`` expands to, shared (aliased) subtrees counted each time."""
    import yaml

    sizes: dict[int, int] = {}
    visiting: set[int] = set()
    # Iterative post-order walk: a deeply nested file cannot exhaust the Python stack.
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if key in sizes:
            continue
        if isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        elif isinstance(node, yaml.MappingNode):
            children = [item for pair in node.value for item in pair]
        else:
            sizes[key] = 1
            continue
        if children_done:
            visiting.discard(key)
            sizes[key] = 1 + sum(sizes[id(child)] for child in children)
            if sizes[key] > max_nodes:
                raise CsatError(
                    f"{where}: the document expands to more than {max_nodes:,} values "
                    "(YAML aliases repeat their anchor's content); refused"
                )
            continue
        if key in visiting:
            raise CsatError(f"{where}: a YAML alias refers to the collection that contains it; refused")
        visiting.add(key)
        stack.append((node, True))
        for child in children:
            if id(child) in visiting:
                raise CsatError(f"{where}: a YAML alias refers to the collection that contains it; refused")
            if id(child) not in sizes:
                stack.append((child, False))


def markdown_to_safe_html(text: str) -> str:
    """Markdown rendered as the notebook exporter renders it, then :func:`sanitize_html`.

    Raw HTML inside Markdown (``<img onerror=...>`` in a column name, say) would pass
    through a Markdown renderer untouched; rendering first and sanitising the result
    keeps the formatting and drops anything active.
    """
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    return sanitize_html(markdown2html_mistune(text))
