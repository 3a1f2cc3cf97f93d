"""Reports in more than one language: gettext message catalogs, the current language.

Every reader-facing word of a report (headings, section introductions, finding
sentences, table headers, figure labels, the summary box, the index page) is an
English *message* looked up in the ``csat_analysis`` gettext catalog of the report's
language. English is the source language: its text is the message itself. The
Chinese catalog (simplified Chinese, ``zh``) lives in
``csat_analysis/locale/zh/LC_MESSAGES/csat_analysis.po``.

Notes
-----
**How the catalog is built.** The ``.po`` file is the source; the machine-readable ``.mo`` beside it is compiled
with Babel (``make messages`` refreshes ``locale/csat_analysis.pot`` from the code
and the notebooks, merges it into the ``.po`` and compiles; ``pybabel compile -d
csat_analysis/locale -D csat_analysis`` compiles alone). The ``.mo`` is a build
product and is not committed: when it is missing or older than its ``.po`` (an
editable install, a fresh checkout in CI, a translator editing the ``.po``), the
catalog is compiled in memory from the ``.po`` on first use. One code path, no stale
translations, and no build step a user can forget.

**How to make a string translatable.**

1. Wrap the English text in :func:`_` where it is *used* (so it is looked up in
   the current language at that moment), with named fields filled by
   ``str.format`` **after** translation::

       from ..i18n import _, ngettext

       text = _("{share} of customers are loyal.").format(share=formatting.percent(share))
       note = ngettext("{n} respondent was dropped.", "{n} respondents were dropped.", n).format(n=n)

   Never build a sentence from translated fragments (``_("The") + " " + name``):
   word order differs between languages; a translator needs the whole sentence
   with its fields. Field names (``{share}``) must stay identical in the
   translation. Numbers go through :mod:`csat_analysis.formatting`, which formats
   them for the current language.
2. A string defined at import time (a class attribute, a module constant) is
   marked with :func:`N_` (which returns it unchanged and lets the extractor find
   it) and translated with :func:`_` where it is shown. A text made once and shown
   later (a skipped section's title, reason and fix) is a :class:`Message`:
   ``Message(N_("`{data}` has no {what}"), data=name, what=...)``, or with a count
   ``Message(N_plural("{n} note", "{n} notes"), n=count)``; it records English and
   reads in the language current where it is shown.
3. A short word that means different things in different places gets a context:
   ``pgettext("table header", "Share")``.
4. Run ``make messages``, write the Chinese ``msgstr`` in the ``.po`` file (for
   Chinese readers, with the standard statistical terms, not word by word), and
   remove any ``#, fuzzy`` flag once the translation is checked.
   ``tests/test_i18n.py`` fails while a message has no translation.

A notebook's Markdown cells need no wrapping: each cell's text is a message (the
extractor collects them), and the batch runner replaces the cells of a ``zh`` run
by their translations before it executes the notebook (:func:`translate_notebook`).

Examples
--------
>>> translator("zh").gettext("Key findings")
'主要发现'
>>> with use_language("zh"):
...     _("References")
'参考文献'
>>> _("References")
'References'
>>> translator("fr")
Traceback (most recent call last):
...
csat_analysis.errors.ParameterError: language must be one of 'en', 'zh'; got 'fr'
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import gettext as _gettext
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .errors import ParameterError

__all__ = [
    "DOMAIN",
    "LANGUAGES",
    "LOCALE_DIR",
    "Message",
    "N_",
    "N_plural",
    "_",
    "check_language",
    "current_language",
    "gettext",
    "ngettext",
    "pgettext",
    "set_language",
    "translate_markdown",
    "translate_notebook",
    "translator",
    "use_language",
]

#: the report languages: English (the source language) and simplified Chinese
LANGUAGES: tuple[str, ...] = ("en", "zh")
#: the gettext domain (file name of the catalogs)
DOMAIN = "csat_analysis"
#: where the catalogs live: ``<LOCALE_DIR>/<language>/LC_MESSAGES/csat_analysis.po``
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
#: the Babel locale whose number conventions each language uses
BABEL_LOCALES = {"en": "en_US", "zh": "zh_Hans_CN"}

_default_language = "en"
_scoped_language: contextvars.ContextVar[str | None] = contextvars.ContextVar("csat_language", default=None)


def check_language(language: Any) -> str:
    """``language`` if it is one of :data:`LANGUAGES`, else a :class:`ParameterError`.

    Parameters
    ----------
    language : object
        The value to check.

    Returns
    -------
    str
        The language code, unchanged.

    Examples
    --------
    >>> check_language("zh")
    'zh'
    """
    if not isinstance(language, str) or language not in LANGUAGES:
        choices = ", ".join(repr(choice) for choice in LANGUAGES)
        raise ParameterError(f"language must be one of {choices}; got {language!r}")
    return language


def catalog_paths(language: str) -> tuple[Path, Path]:
    """The ``.po`` source and the compiled ``.mo`` of ``language``."""
    folder = LOCALE_DIR / check_language(language) / "LC_MESSAGES"
    return folder / f"{DOMAIN}.po", folder / f"{DOMAIN}.mo"


def compile_catalog(po_path: Path) -> bytes:
    """The ``.mo`` bytes of a ``.po`` file (fuzzy entries left out, as ``msgfmt`` does)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with open(po_path, "rb") as source:
        catalog = read_po(source, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


@functools.cache
def _load(language: str, _po_stamp: int, _mo_stamp: int) -> _gettext.NullTranslations:
    po_path, mo_path = catalog_paths(language)
    if mo_path.exists() and _mo_stamp >= _po_stamp:
        with open(mo_path, "rb") as compiled:
            return _gettext.GNUTranslations(compiled)
    if not po_path.exists():
        raise ParameterError(f"no message catalog for language {language!r} at {po_path}")
    return _gettext.GNUTranslations(io.BytesIO(compile_catalog(po_path)))


def _stamp(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return -1


def translator(language: str) -> _gettext.NullTranslations:
    """The translations of ``language``: an object with ``gettext``, ``ngettext``, ``pgettext``.

    English, the source language, translates every message to itself (with English
    plural rules). Other languages read their compiled ``.mo``, or compile the
    ``.po`` in memory when the ``.mo`` is missing or older.

    Parameters
    ----------
    language : str
        A language code of :data:`LANGUAGES` (``"en"``, ``"zh"``).

    Returns
    -------
    gettext.NullTranslations
        The language's translations (``GNUTranslations`` for a catalog).

    Examples
    --------
    >>> zh = translator("zh")
    >>> zh.ngettext("{n} note", "{n} notes", 3).format(n=3)
    '3 条说明'
    >>> translator("en").ngettext("{n} note", "{n} notes", 1).format(n=1)
    '1 note'
    """
    language = check_language(language)
    if language == "en":
        return _gettext.NullTranslations()
    po_path, mo_path = catalog_paths(language)
    return _load(language, _stamp(po_path), _stamp(mo_path))


def current_language() -> str:
    """The language of the report being written (set by ``StudyRun(language=...)`` or :func:`use_language`).

    Returns
    -------
    str
        The language code.
    """
    return _scoped_language.get() or _default_language


def set_language(language: str) -> None:
    """Make ``language`` the current language of this process (a study notebook's kernel).

    Parameters
    ----------
    language : str
        A language code of :data:`LANGUAGES` (``"en"``, ``"zh"``).
    """
    global _default_language
    _default_language = check_language(language)


@contextlib.contextmanager
def use_language(language: str) -> Iterator[str]:
    """Within the block, :func:`_` and the formatters use ``language``.

    Parameters
    ----------
    language : str
        A language code of :data:`LANGUAGES` (``"en"``, ``"zh"``).

    Yields
    ------
    str
        The language code.
    """
    token = _scoped_language.set(check_language(language))
    try:
        yield language
    finally:
        _scoped_language.reset(token)


def gettext(message: str) -> str:
    """``message`` in the current language.

    Parameters
    ----------
    message : str
        The English message.

    Returns
    -------
    str
        The translation, or ``message`` itself when the catalog has none.

    See Also
    --------
    ngettext : A message with singular and plural forms.
    pgettext : A message with a context.
    """
    return translator(current_language()).gettext(message)


_ = gettext


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural template for ``n`` in the current language (its own plural rules).

    Parameters
    ----------
    singular : str
        The English singular template.
    plural : str
        The English plural template.
    n : int
        The count that chooses the form.

    Returns
    -------
    str
        The template for ``n``, to fill with ``str.format``.
    """
    return translator(current_language()).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """``message`` in the current language, for a short text whose sense depends on ``context``.

    Parameters
    ----------
    context : str
        Where the message is used (e.g. ``"table header"``).
    message : str
        The English message.

    Returns
    -------
    str
        The translation, or ``message`` itself when the catalog has none.
    """
    return translator(current_language()).pgettext(context, message)


def N_(message: str) -> str:
    """Mark ``message`` for the catalog without translating it now (translate it where it is shown).

    Parameters
    ----------
    message : str
        The English message.

    Returns
    -------
    str
        ``message``, unchanged.
    """
    return message


def N_plural(singular: str, plural: str) -> tuple[str, str]:
    """Mark a message with a singular and a plural form for the catalog, translated where it is shown.

    The pair goes to a :class:`Message`, which picks the form for its field ``n`` in the
    language current when it is shown (the extractor reads the two arguments as the
    ``msgid`` and ``msgid_plural`` of one catalog entry, as it reads :func:`ngettext`).

    Parameters
    ----------
    singular : str
        The English singular template.
    plural : str
        The English plural template.

    Returns
    -------
    tuple of str
        ``(singular, plural)``, unchanged.
    """
    return singular, plural


def translate_markdown(text: str, language: str) -> str | None:
    """A Markdown cell's text in ``language``, or ``None`` when the catalog lacks it.

    The cell's text, without surrounding blank space, is the message.

    Parameters
    ----------
    text : str
        The cell's Markdown source.
    language : str
        A language code of :data:`LANGUAGES` (``"en"``, ``"zh"``).

    Returns
    -------
    str or None
        The translated text (``text`` itself in English), or None.
    """
    language = check_language(language)
    message = text.strip()
    if language == "en" or not message:
        return text
    translated = translator(language).gettext(message)
    return translated if translated != message else None


def translate_notebook(notebook: Any, language: str) -> list[str]:
    """Replace the Markdown cells of ``notebook`` (an nbformat node, changed in place) by their translations.

    Parameters
    ----------
    notebook : nbformat.NotebookNode
        The notebook, changed in place.
    language : str
        A language code of :data:`LANGUAGES` (``"en"``, ``"zh"``).

    Returns
    -------
    list of str
        The texts of the cells left in English because the catalog has no translation
        for them (a test keeps this list empty for the study notebooks).
    """
    missing = []
    for cell in notebook.cells:
        if cell.get("cell_type") != "markdown":
            continue
        source = cell.source if isinstance(cell.source, str) else "".join(cell.source)
        translated = translate_markdown(source, language)
        if translated is None:
            missing.append(source)
        else:
            cell.source = translated
    if language != "en":
        notebook.metadata.setdefault("csat_analysis", {})["language"] = language
    return missing


class Message(str):
    """An English message that reads in the current language wherever it is shown.

    Its string value is the English text (what tests and recorded notes see); ``str()``
    and ``format()`` (f-strings, templates) give it in the language current at that
    moment, so a text made once (a low-score rule, a skipped section's reason) reads
    right in the report and stays English in the recorded results. Mark the message
    with :func:`~csat_analysis.i18n.N_` (or a pair of singular and plural forms with
    :func:`~csat_analysis.i18n.N_plural`) so the catalog collects it.

    Parameters
    ----------
    message : str or (str, str)
        The English message (a catalog ``msgid``), with named fields; or its singular
        and plural forms (from :func:`N_plural`), chosen by the field ``n`` in the
        language shown, as :func:`ngettext` chooses them.
    **fields
        Values of its named fields, written when the message is shown: a callable is
        called then (e.g. a display name in the current language), any other value is
        written with ``str()``, so a field that is itself a :class:`Message` is shown
        translated too.

    Raises
    ------
    ParameterError
        A plural message without its count ``n``.

    Examples
    --------
    >>> rule = Message(N_("below the midpoint of the {scale} scale"), scale="1-5")
    >>> rule == "below the midpoint of the 1-5 scale", f"{rule}"
    (True, 'below the midpoint of the 1-5 scale')
    >>> with use_language("zh"):
    ...     print(f"{rule}")
    低于 1-5 量表的中点

    A plural message picks its form by ``n`` in the language shown; a callable field is
    written when the message is shown:

    >>> notes = Message(N_plural("{n} note", "{n} notes"), n=3)
    >>> notes, Message(N_plural("{n} note", "{n} notes"), n=1)
    ('3 notes', '1 note')
    >>> with use_language("zh"):
    ...     print(f"{notes}")
    3 条说明
    >>> note = Message(N_("{title}: not run because {reason}."), title=lambda: _("References"), reason=notes)
    >>> note
    'References: not run because 3 notes.'
    >>> with use_language("zh"):
    ...     print(f"{note}")
    参考文献：未运行，原因是3 条说明。
    """

    def __new__(cls, message: str | tuple[str, str], **fields: Any):
        if isinstance(message, tuple) and "n" not in fields:
            raise ParameterError(f"the plural message {message[0]!r} needs its count n=")
        with use_language("en"):
            english = cls._render(message, fields)
        self = super().__new__(cls, english)
        self.message, self.fields = message, fields
        return self

    @staticmethod
    def _render(message: str | tuple[str, str], fields: dict) -> str:
        template = ngettext(*message, fields["n"]) if isinstance(message, tuple) else _(message)
        return template.format(**{key: str(value() if callable(value) else value) for key, value in fields.items()})

    def translated(self) -> str:
        """The message in the current language.

        Returns
        -------
        str
            The translation of the message with its fields filled in.
        """
        return self._render(self.message, self.fields)

    def __str__(self) -> str:
        return self.translated()

    def __format__(self, spec: str) -> str:
        return format(self.translated(), spec)

    def __reduce__(self):
        return (_message, (self.message, self.fields))


def _message(message, fields):
    return Message(message, **fields)
