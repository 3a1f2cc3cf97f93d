"""Reading survey files and validating them against a schema.

:func:`read_survey` reads a CSV, Parquet or Excel file (chosen by the file suffix)
and checks every column the schema names. The schema is a dict or the path of a YAML
file with the same content::

    id: respondent_id            # optional: respondent id column, must be unique
    encoding: gb18030            # optional (CSV): otherwise UTF-8/UTF-16 (with BOM)/GB18030 are detected
    delimiter: ";"               # optional (CSV): otherwise sniffed among , ; tab |
    decimal: ","                 # optional (CSV): "3,5" means 3.5
    sheet: Answers               # optional (Excel): sheet name or 0-based position; default the first
    header_row: 3                # optional (CSV, Excel): line/row number of the header; default 1
    columns:
      satisfaction:              # a rating: numbers on the scale and/or text labels
        scale: [1, 5]
        labels: {"Very satisfied": 5, "Satisfied": 4, "Neutral": 3,
                 "非常满意": 5, "满意": 4, "一般": 3, "不满意": 2, "非常不满意": 1}
        missing: [-99, 99]       # codes that mean "no answer": they become NaN first
        required: true           # the file must have this column
        label: {en: Overall satisfaction, zh: 总体满意度}   # display name (text or per language)
      effort:   {scale: [1, 7], reverse: true}     # reverse-coded: low + high - x
      score:    {type: float, scale: [0, 10]}      # a rating that may hold fractions (an average)
      store:    {type: category}                   # any values, categorical dtype
      region:   {categories: [north, south]}       # only these values
      spend:    {type: float, min: 0}
      visits:   {type: int, min: 0, max: 365}
      churned:  {type: bool, "true": ["yes", 1], "false": ["no", 0]}
      comment:  {type: text}

(In YAML, quote ``"true"``, ``"false"``, ``"yes"`` and ``"no"``: unquoted, YAML reads
them as booleans. An unquoted ``true:``/``false:`` key is accepted all the same.)

Column keys: ``type`` (``rating``, ``float``, ``int``, ``bool``, ``category``,
``text``; ``rating`` is implied by ``scale`` or ``labels`` and ``category`` by
``categories``), ``scale`` ([low, high]), ``labels`` (text -> number, several labels
may share a number), ``missing`` (codes such as ``-99``, ``"NA"`` or ``"n/a"``,
turned into NaN before anything else; otherwise only empty cells are missing),
``required`` (default false: an absent optional column is simply not in the result),
``reverse`` (ratings only), ``categories`` and ``ordered``, ``min`` and ``max``
(numbers), ``true`` and ``false`` (booleans; by default only real True/False values
are accepted, so ``yes``/``no`` or ``1``/``0`` are accepted only when declared),
``label`` (display name: text, or a mapping of language codes to text). Every key is
checked for its form (:data:`SCHEMA_KEYS`, :data:`COLUMN_KEYS`): a wrong one raises
:class:`~csat_analysis.errors.SurveyDataError` naming the column, the key and the
expected form.

A rating (``type: rating``, or implied by ``scale``/``labels``) takes whole numbers
only; ``type: float`` with a ``scale`` accepts fractions on the scale. True/false
values are never read as ratings. Respondent ids are read as text, exactly as written
(``00123`` stays ``00123``; a warning names ids with leading zeros or surrounding
white space, since ``001`` and ``1`` are then different respondents).

Nothing is coerced silently: out-of-range ratings, unknown labels or categories, text
in a numeric column, undeclared boolean spellings, missing required columns and
duplicate or missing respondent ids raise :class:`~csat_analysis.errors.SurveyDataError`
naming the column, the first offending values and their rows. **Rows are 0-based data
rows** (the first data row under the header is row 0; in a CSV file with a header on
line 1, row r is on file line r + 2). Ratings are reverse-coded only after validation,
as ``low + high - x``. Columns the schema does not name pass through unchanged.

A CSV file is read only when every row has as many fields as the header (RFC 4180,
Shafranovich 2005, describes the format): a trailing delimiter, an extra or a missing
field or an unterminated quote raises an error naming the file, the lines and the
field counts, so no value is ever read into the wrong column. Duplicate or missing
column names, empty files and files without data rows are errors too, and so is a
file that is not what its suffix says. Blank lines are skipped (in a one-column file
an empty line is a missing answer). A column with neither a name nor any value (such
as a delimiter that ends the header and every row) is dropped.

The module also describes a data set column by column (:func:`column_overview`,
:func:`missing_overview`), as the data-overview notebook shows.

Examples
--------
>>> import pandas as pd, tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "survey.csv"
>>> pd.DataFrame({"id": [1, 2], "sat": ["非常满意", "2"]}).to_csv(path, index=False)
>>> schema = {"id": "id", "columns": {"sat": {"scale": [1, 5], "labels": {"非常满意": 5}}}}
>>> read_survey(path, schema)["sat"].tolist()
[5.0, 2.0]
"""

from __future__ import annotations

import codecs
import csv
import importlib
import io as _io
import math
import os
import re
import tempfile
import warnings
import zipfile
from collections import Counter
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ._validation import MAX_SHOWN, check_choice, read_numbers
from .errors import CsatError, CsatWarning, ParameterError, SurveyDataError
from .scaling import Scale

__all__ = ["ROWS_NOTE", "SUFFIXES", "read_schema", "read_survey"]

#: appended to every error about rows, so users know how to find them in the file
ROWS_NOTE = "(rows are 0-based data rows: row 0 is the first row under the header)"

#: file suffix -> (format name, optional module it needs)
SUFFIXES = {
    ".csv": ("csv", None),
    ".parquet": ("parquet", "pyarrow"),
    ".pq": ("parquet", "pyarrow"),
    ".xlsx": ("excel", "openpyxl"),
    ".xlsm": ("excel", "openpyxl"),
}
COLUMN_TYPES = ["rating", "float", "int", "bool", "category", "text"]
#: delimiters tried, in this order, when a CSV file's delimiter is not given
DELIMITERS = [",", ";", "\t", "|"]
#: encodings tried, in this order, when a CSV file has neither a byte-order mark nor a given encoding
ENCODINGS_TRIED = ["utf-8", "gb18030"]
#: a YAML schema whose aliases expand to more nodes than this is refused (an "alias bomb")
MAX_YAML_NODES = 200_000

_BOMS = [(codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")]
_CHUNK = 16 << 20  # bytes per block when scanning or transcoding a CSV file
_SAMPLE = 1 << 20  # bytes read to find the header and sniff the delimiter
_SCAN_BLOCK = 1 << 20  # bytes per block when counting delimiters: small enough to stay in the CPU cache


# --- schema -------------------------------------------------------------------------
# Each key maps to (check, expected form). A check returns None when the value fits,
# otherwise a short note on what does not fit ("" when the expected form says it all).
# New keys are one line here.


def _is_number(value) -> bool:
    return (
        isinstance(value, (int, float, np.integer, np.floating))
        and not isinstance(value, (bool, np.bool_))
        and math.isfinite(value)
    )


def _is_code(value) -> bool:
    return isinstance(value, str) or _is_number(value) or isinstance(value, bool)


def _check_type(*types) -> Callable[[Any], str | None]:
    return lambda value: None if isinstance(value, types) else ""


def _check_bool(value) -> str | None:
    return None if isinstance(value, bool) else ""


def _check_number(value) -> str | None:
    return None if _is_number(value) else ""


def _check_codes(value) -> str | None:
    values = value if isinstance(value, (list, tuple)) else [value]
    bad = [v for v in values if not _is_code(v)]
    return None if not bad else f" ({bad[0]!r} is neither text nor a number)"


def _check_scale(value) -> str | None:
    return None if isinstance(value, (list, tuple)) and len(value) == 2 and all(map(_is_number, value)) else ""


def _check_labels(value) -> str | None:
    if not isinstance(value, Mapping):
        return ""
    for label, number in value.items():
        if not isinstance(label, str):
            return f" (label {label!r} is not text: quote it in YAML)"
        if not _is_number(number):
            return f" (label {label!r} maps to {number!r}, not a number)"
    return None


def _check_categories(value) -> str | None:
    if not isinstance(value, (list, tuple)):
        return ""
    return _check_codes(list(value))


def _check_display_label(value) -> str | None:
    if isinstance(value, str):
        return None
    if (
        isinstance(value, Mapping)
        and value
        and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items())
    ):
        return None
    return ""


def _check_encoding(value) -> str | None:
    if not isinstance(value, str):
        return ""
    try:
        codecs.lookup(value)
    except LookupError:
        return " (Python knows no such encoding)"
    return None


def _check_delimiter(value) -> str | None:
    return None if isinstance(value, str) and len(value) == 1 and value not in '"\r\n' else ""


def _check_sheet(value) -> str | None:
    return (
        None
        if isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool) and value >= 0)
        else ""
    )


def _check_header_row(value) -> str | None:
    return None if isinstance(value, int) and not isinstance(value, bool) and value >= 1 else ""


#: top-level schema keys -> (check, expected form)
SCHEMA_KEYS: dict[str, tuple[Callable[[Any], str | None], str]] = {
    "id": (lambda v: None if isinstance(v, str) and v else "", "a column name (text)"),
    "columns": (_check_type(Mapping), "a mapping of column names to their specifications"),
    "encoding": (_check_encoding, "an encoding name such as 'utf-8' or 'gb18030'"),
    "delimiter": (_check_delimiter, "one character such as ',', ';', '\\t' or '|'"),
    "decimal": (lambda v: None if v in (".", ",") else "", "'.' or ','"),
    "sheet": (_check_sheet, "a sheet name or a 0-based sheet position"),
    "header_row": (_check_header_row, "a whole number >= 1 (the line or spreadsheet row of the header)"),
}
#: per-column schema keys -> (check, expected form)
COLUMN_KEYS: dict[str, tuple[Callable[[Any], str | None], str]] = {
    "type": (lambda v: None if v in COLUMN_TYPES else "", f"one of {COLUMN_TYPES}"),
    "scale": (_check_scale, "[low, high]: a list of two numbers"),
    "labels": (_check_labels, "a mapping of text labels to numbers, such as {Satisfied: 4}"),
    "missing": (_check_codes, "a code or a list of codes (text or numbers), such as [-99, 'n/a']"),
    "required": (_check_bool, "true or false"),
    "reverse": (_check_bool, "true or false"),
    "categories": (_check_categories, "a list of values, such as [north, south]"),
    "ordered": (_check_bool, "true or false"),
    "min": (_check_number, "a number"),
    "max": (_check_number, "a number"),
    "true": (_check_codes, "a value or a list of values (text, numbers or true)"),
    "false": (_check_codes, "a value or a list of values (text, numbers or false)"),
    "label": (_check_display_label, "text, or a mapping of language codes to text such as {en: Satisfaction}"),
}


def _check_keys(where: str, mapping: Mapping, rules: Mapping) -> None:
    for key, value in mapping.items():
        check_choice(f"{where} key", key, list(rules), error=SurveyDataError)
        if value is None:
            continue  # a YAML key with nothing after it: as if absent
        check, expected = rules[key]
        note = check(value)
        if note is not None:
            raise SurveyDataError(f"{where}, key {key!r}: expected {expected}; got {value!r}{note}")


def _load_yaml(path: Path):
    import yaml

    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise SurveyDataError(
            f"schema file {str(path)!r} is not UTF-8 text (byte {error.start}): save it as UTF-8"
        ) from error
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_yaml_size(path, node)
        return loader.construct_document(node)
    except yaml.YAMLError as error:
        raise SurveyDataError(f"schema file {str(path)!r} is not valid YAML: {error}") from error
    finally:
        loader.dispose()


def _check_yaml_size(path: Path, root) -> None:
    """Refuse aliases that expand past :data:`MAX_YAML_NODES` nodes, or refer to themselves."""
    import yaml

    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()

    def size(node) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in open_nodes:
            raise SurveyDataError(f"schema file {str(path)!r}: a YAML alias refers to itself")
        open_nodes.add(key)
        total = 1
        if isinstance(node, yaml.SequenceNode):
            total += sum(size(child) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            total += sum(size(k) + size(v) for k, v in node.value)
        open_nodes.discard(key)
        sizes[key] = total
        if total > MAX_YAML_NODES:
            raise SurveyDataError(
                f"schema file {str(path)!r}: YAML aliases expand to more than {MAX_YAML_NODES:,} nodes; "
                "a survey schema never needs that many (write it without nested aliases)"
            )
        return total

    size(root)


def read_schema(schema: Mapping | str | os.PathLike) -> dict:
    """Return the schema as a checked dict (a YAML path is read with PyYAML's safe loader).

    Every key is checked against :data:`SCHEMA_KEYS` and :data:`COLUMN_KEYS`: its name,
    then its form. The result has every top-level key (``None`` when absent), and each
    column gets its ``type`` (implied ones filled in).

    Parameters
    ----------
    schema : mapping or path
        A schema dict, or the path of a YAML file holding one.

    Returns
    -------
    dict
        The checked schema, every top-level key present.

    Raises
    ------
    SurveyDataError
        Unknown keys or types (the message lists the valid ones), a value of the wrong
        form (naming the column, the key and the expected form), a missing file,
        invalid YAML or YAML aliases that expand past :data:`MAX_YAML_NODES` nodes,
        or a scale whose labels fall outside it.

    Examples
    --------
    >>> read_schema({"columns": {"q1": {"scale": [1, 5]}}})["columns"]["q1"]["type"]
    'rating'
    >>> read_schema({"columns": {"q1": {"scale": [1, 5], "required": "no"}}})
    Traceback (most recent call last):
    ...
    csat_analysis.errors.SurveyDataError: schema column 'q1', key 'required': expected true or false; got 'no'
    """
    if isinstance(schema, (str, os.PathLike)):
        path = Path(schema)
        if not path.is_file():
            raise SurveyDataError(f"schema file {str(path)!r} does not exist")
        loaded = _load_yaml(path)
        schema = loaded if loaded is not None else {}
    if not isinstance(schema, Mapping):
        raise SurveyDataError(f"schema must be a mapping with keys {list(SCHEMA_KEYS)}; got {type(schema).__name__}")
    _check_keys("schema", schema, SCHEMA_KEYS)
    checked = {}
    for name, spec in (schema.get("columns") or {}).items():
        if not isinstance(name, str):
            raise SurveyDataError(f"schema column {name!r}: column names are text (quote {name!r} in YAML)")
        if spec is not None and not isinstance(spec, Mapping):
            raise SurveyDataError(
                f"schema column {name!r}: expected a mapping of keys such as scale or type; got {spec!r}"
            )
        spec = {("true" if k is True else "false" if k is False else k): v for k, v in dict(spec or {}).items()}
        _check_keys(f"schema column {name!r}", spec, COLUMN_KEYS)
        spec = {key: value for key, value in spec.items() if value is not None}
        checked[name] = _column_spec(name, spec)
    result = {key: schema.get(key) for key in SCHEMA_KEYS}
    result["columns"] = checked
    return result


def _column_spec(name: str, spec: dict) -> dict:
    where = f"schema column {name!r}"
    if "type" not in spec:
        spec["type"] = "rating" if "scale" in spec or "labels" in spec else "category" if "categories" in spec else None
        if spec["type"] is None:
            raise SurveyDataError(f"{where}: give a type (one of {COLUMN_TYPES}), a scale or categories")
    kind = spec["type"]
    if kind == "rating" or (kind == "float" and ("scale" in spec or "labels" in spec)):
        spec["scale_object"] = _scale(name, spec)
        if kind == "rating":
            scale = spec["scale_object"]
            fractional = [v for v in [scale.low, scale.high, *(scale.labels or {}).values()] if v != round(v)]
            if fractional:
                raise SurveyDataError(
                    f"{where}: a rating scale holds whole numbers; got {fractional[0]!r} "
                    "(declare type: float for a scale with fractions)"
                )
    elif "labels" in spec or "scale" in spec:
        raise SurveyDataError(f"{where}: scale and labels apply to ratings (type rating or float), not type {kind!r}")
    elif spec.get("reverse"):
        raise SurveyDataError(f"{where}: reverse applies to ratings (give a scale)")
    if ("min" in spec or "max" in spec) and kind not in ("float", "int"):
        raise SurveyDataError(f"{where}: min and max apply to types float and int, not {kind!r}")
    if spec.get("min", -np.inf) > spec.get("max", np.inf):
        raise SurveyDataError(f"{where}: min={spec['min']!r} is above max={spec['max']!r}")
    if ("categories" in spec or "ordered" in spec) and kind != "category":
        raise SurveyDataError(f"{where}: categories and ordered apply to type category, not {kind!r}")
    if ("true" in spec or "false" in spec) and kind != "bool":
        raise SurveyDataError(f"{where}: true and false apply to type bool, not {kind!r}")
    return spec


def _scale(name: str, spec: dict) -> Scale:
    labels = spec.get("labels")
    try:
        if "scale" in spec:
            return Scale(spec["scale"][0], spec["scale"][1], labels=labels)
        return Scale.coerce(labels)
    except SurveyDataError as error:
        raise SurveyDataError(f"schema column {name!r}: {error}") from error


# --- reading files ------------------------------------------------------------------


def _require(module: str, fmt: str) -> None:
    try:
        importlib.import_module(module)
    except ImportError as error:
        raise SurveyDataError(
            f"reading {fmt} files needs the optional package {module!r}; "
            "install it with: pip install csat-analysis[formats]"
        ) from error


def _what_it_is(head: bytes) -> str:
    if head.startswith(b"PK\x03\x04"):
        return "a ZIP archive (such as an .xlsx workbook)"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "an old-style Office file (such as an Excel 97-2003 .xls workbook: save it as .xlsx)"
    if head.startswith(b"PAR1"):
        return "a Parquet file"
    if head.startswith(b"%PDF"):
        return "a PDF document"
    if head.lstrip().startswith((b"<", b"{")):
        return "an HTML, XML or JSON text"
    return "a text file (such as a CSV file)" if b"\x00" not in head[:512] else "a binary file"


def _check_magic(path: Path, fmt: str, head: bytes) -> None:
    expected = {"csv": None, "excel": b"PK\x03\x04", "parquet": b"PAR1"}[fmt]
    if fmt == "csv":
        if head.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"PAR1", b"%PDF")):
            raise SurveyDataError(f"{path.name}: not a CSV file: it is {_what_it_is(head)}; give it its proper suffix")
    elif not head.startswith(expected):
        raise SurveyDataError(
            f"{path.name}: not {'an Excel workbook' if fmt == 'excel' else 'a Parquet file'}: "
            f"it is {_what_it_is(head)}; give it its proper suffix"
        )


def _read_file(path: Path, options: dict) -> pd.DataFrame:
    """The file as a frame of raw columns (CSV columns the schema names already typed for checking)."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise SurveyDataError(f"{path.name}: unsupported file type {suffix!r}; supported: {', '.join(SUFFIXES)}")
    if not path.is_file():
        raise SurveyDataError(f"survey file {str(path)!r} does not exist")
    fmt, module = SUFFIXES[suffix]
    if module is not None:
        _require(module, fmt)
    with open(path, "rb") as handle:
        head = handle.read(4096)
    if not head:
        raise SurveyDataError(f"{path.name}: the file is empty")
    _check_magic(path, fmt, head)
    header_row = options["header_row"] or 1
    if fmt == "csv":
        return _read_csv(path, options)
    if fmt == "parquet":
        try:
            frame = pd.read_parquet(path).reset_index(drop=True)
        except Exception as error:  # pyarrow raises its own classes (ArrowInvalid, OSError, ...)
            raise SurveyDataError(f"{path.name}: cannot be read as Parquet: {error}") from error
        _check_names(path, [str(c) for c in frame.columns], 1)
        return frame
    return _read_excel(path, options["sheet"], header_row)


def _check_names(path: Path, names: list[str], header_line: int) -> None:
    seen: dict[str, list[int]] = {}
    for position, name in enumerate(names, start=1):
        seen.setdefault(name, []).append(position)
    duplicated = {name: positions for name, positions in seen.items() if len(positions) > 1}
    if duplicated:
        listed = "; ".join(f"{name!r} (columns {', '.join(map(str, p))})" for name, p in duplicated.items())
        raise SurveyDataError(
            f"{path.name}: duplicate column names in the header (line/row {header_line}): {listed}; "
            "rename them so each column has its own name"
        )


def _unnamed(names: list) -> list[str]:
    out = []
    for position, name in enumerate(names):
        out.append(
            f"Unnamed: {position}"
            if _blank(name)
            else (str(int(name)) if _is_number(name) and name == int(name) and not isinstance(name, str) else str(name))
        )
    return out


def _blank(name) -> bool:
    return name is None or (isinstance(name, float) and math.isnan(name)) or str(name).strip() == ""


def _drop_unnamed_empty(frame: pd.DataFrame, raw_names: list) -> pd.DataFrame:
    """Drop columns with neither a name nor a value: what a delimiter ending the header and every
    row leaves, or an empty spreadsheet column left of the data."""
    empty = [i for i, name in enumerate(raw_names) if _blank(name) and frame.iloc[:, i].isna().all()]
    if empty and len(empty) < len(frame.columns):
        frame = frame.iloc[:, [i for i in range(len(frame.columns)) if i not in set(empty)]]
    return frame


def _read_excel(path: Path, sheet, header_row: int) -> pd.DataFrame:
    try:
        workbook = pd.ExcelFile(path, engine="openpyxl")
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise SurveyDataError(
            f"{path.name}: not a readable Excel workbook ({type(error).__name__}: {error})"
        ) from error
    with workbook:
        names = workbook.sheet_names
        if sheet is None:
            sheet = names[0]
        elif isinstance(sheet, int):
            if sheet >= len(names):
                raise SurveyDataError(f"{path.name}: sheet={sheet} but the workbook has {len(names)} sheet(s): {names}")
            sheet = names[sheet]
        elif sheet not in names:
            raise SurveyDataError(f"{path.name}: no sheet named {sheet!r}; sheets: {names}")
        try:
            # dtype=object keeps every cell as Excel stores it: text "00123" stays text
            raw = pd.read_excel(
                workbook,
                sheet_name=sheet,
                header=None,
                skiprows=header_row - 1,
                dtype=object,
                keep_default_na=False,
                na_values=[""],
            )
        except (ValueError, KeyError, OSError) as error:
            raise SurveyDataError(f"{path.name}, sheet {sheet!r}: cannot be read ({error})") from error
    where = f"{path.name}, sheet {sheet!r}"
    if raw.empty:
        raise SurveyDataError(f"{where}: no header at row {header_row} (the sheet has no cells there)")
    raw_names = raw.iloc[0].tolist()
    frame = raw.iloc[1:].reset_index(drop=True)
    frame.columns = _unnamed(raw_names)
    frame = _drop_unnamed_empty(frame, raw_names)
    # rows below the data that only carry formatting come back all empty
    filled = np.flatnonzero(frame.notna().any(axis=1).to_numpy())
    frame = frame.iloc[: (filled[-1] + 1 if len(filled) else 0)]
    _check_names(Path(where), list(frame.columns), header_row)
    if frame.empty:
        raise SurveyDataError(f"{where}: a header (row {header_row}) but no data rows")
    return frame.infer_objects()


# --- CSV: encoding, delimiter, field counts ------------------------------------------


def _codec(name: str) -> str:
    return codecs.lookup(name).name


def _first_bad_byte(path: Path, encoding: str, start: int = 0) -> int | None:
    """Byte offset of the first byte that ``encoding`` cannot decode, or None."""
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    offset = start
    with open(path, "rb") as handle:
        handle.seek(start)
        while chunk := handle.read(_CHUNK):
            pending = len(decoder.getstate()[0])
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as error:
                return offset - pending + error.start
            offset += len(chunk)
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return offset
    return None


def _char_start(path: Path, offset: int) -> int:
    """The offset of the first byte at or after ``offset`` that starts a UTF-8 character."""
    with open(path, "rb") as handle:
        handle.seek(offset)
        head = handle.read(4)
    skip = 0
    while skip < len(head) and 0x80 <= head[skip] <= 0xBF:
        skip += 1
    return offset + skip


def _transcode(path: Path, encoding: str, target: Path) -> int | None:
    """Write ``path`` decoded from ``encoding`` to ``target`` as UTF-8; the first bad byte's offset or None."""
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    offset = 0
    with open(path, "rb") as source, open(target, "wb") as out:
        while chunk := source.read(_CHUNK):
            pending = len(decoder.getstate()[0])
            try:
                out.write(decoder.decode(chunk).encode("utf-8"))
            except UnicodeDecodeError as error:
                return max(offset - pending + error.start, 0)
            offset += len(chunk)
        try:
            out.write(decoder.decode(b"", final=True).encode("utf-8"))
        except UnicodeDecodeError:
            return offset - len(decoder.getstate()[0])
    return None


def _warn_if_not_chinese(name: str, utf8_copy: Path) -> None:
    """Warn when text decoded as GB18030 looks like a Western file (Latin-1, Windows-1252) instead.

    Nearly any byte string decodes as GB18030, so decoding proves little. An accented
    letter of a Western file and the letter after it become one rare character
    ("Cafés" reads as "Caf" and 閟): its second byte is a plain ASCII letter, which no
    character of GB2312, the everyday simplified-Chinese set, has. Chinese survey text
    is almost all GB2312; when most of the characters read are outside it, say so.
    """
    with open(utf8_copy, encoding="utf-8") as handle:
        text = handle.read(_SAMPLE * 16)
    counts = Counter(character for character in text if ord(character) > 127)
    rare = {character for character in counts if not _in_gb2312(character)}
    n_rare, n_all = sum(counts[c] for c in rare), sum(counts.values())
    if n_all < 3 or n_rare * 2 <= n_all:
        return
    shown = []
    for character in sorted(rare, key=text.index)[:3]:  # the words they sit in, as read
        shown.append(repr(re.search(rf"[^\s,;|]*{re.escape(character)}[^\s,;|]*", text).group()))
    warnings.warn(
        f"{name}: not UTF-8, so it was read as GB18030, but {n_rare:,} of its {n_all:,} non-ASCII characters "
        f"are rare ones outside everyday Chinese (GB2312), as when accented Western letters are misread: "
        f"{', '.join(shown)}. If the file is Western (Latin-1, Windows-1252), read it with encoding='cp1252'; "
        "if it is Chinese, give encoding='gb18030' to silence this warning",
        CsatWarning,
        stacklevel=2,
    )


def _in_gb2312(character: str) -> bool:
    try:
        character.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def _encoding_error(path: Path, tried: dict[str, int]) -> SurveyDataError:
    listed = ", ".join(f"{enc} (fails at byte {offset:,})" for enc, offset in tried.items())
    return SurveyDataError(
        f"{path.name}: cannot decode the text; tried {listed}. "
        "Give the file's encoding with encoding= (or the schema key 'encoding')"
    )


class _Source:
    """A CSV file as UTF-8 bytes: the file itself, or a UTF-8 copy of it."""

    def __init__(self, path: Path, encoding: str | None):
        self.path, self.name, self.temporary = path, path.name, None
        self.given = encoding is not None
        self.tried: dict[str, int] = {}
        with open(path, "rb") as handle:
            head = handle.read(4)
        bom = next(((mark, enc) for mark, enc in _BOMS if head.startswith(mark)), None)
        if encoding is not None:
            self.encoding = _codec(encoding)
            if self.encoding == "utf-8" and bom and bom[1] == "utf-8-sig":
                self.encoding = "utf-8-sig"
        elif bom is not None:
            self.encoding = bom[1]
        else:
            self.encoding = "utf-8"
        if self.encoding in ("utf-16", "utf-16-le", "utf-16-be") and not bom and encoding is None:
            self.encoding = "utf-16"
        self.offset = len(codecs.BOM_UTF8) if self.encoding == "utf-8-sig" else 0
        if self.encoding not in ("utf-8", "utf-8-sig"):
            self._transcode(self.encoding)
            return
        with open(path, "rb") as handle:
            handle.seek(self.offset)
            sample = handle.read(_SAMPLE)
        try:
            codecs.getincrementaldecoder("utf-8")("strict").decode(sample, final=len(sample) < _SAMPLE)
        except UnicodeDecodeError as error:
            self.fall_back(self.offset + error.start)

    def _transcode(self, encoding: str) -> None:
        handle, name = tempfile.mkstemp(suffix=".csv", prefix="csat_")
        os.close(handle)
        self.temporary = Path(name)
        bad = _transcode(self.path, encoding, self.temporary)
        if bad is not None:
            self.tried[encoding] = bad
            self.close()
            raise _encoding_error(self.path, self.tried)
        self.encoding, self.offset = encoding, 0

    def fall_back(self, bad_utf8: int) -> None:
        """UTF-8 failed at byte ``bad_utf8``: try GB18030 (or raise if UTF-8 was given)."""
        self.tried["utf-8"] = bad_utf8
        if self.given or self.encoding != "utf-8" or self.temporary is not None:
            raise _encoding_error(self.path, self.tried)
        self._transcode(ENCODINGS_TRIED[1])
        _warn_if_not_chinese(self.name, self.temporary)

    def recoded(self, first_non_ascii: int | None) -> bool:
        """Check the bytes read as UTF-8 from their first non-ASCII byte; False when they are, else
        fall back to GB18030 (:meth:`fall_back`) and True: the copy must be read instead."""
        if first_non_ascii is None or self.encoding not in ("utf-8", "utf-8-sig") or self.temporary is not None:
            return False
        bad = _first_bad_byte(self.path, "utf-8", _char_start(self.path, max(first_non_ascii, self.offset)))
        if bad is None:
            return False
        self.fall_back(bad)
        return True

    @property
    def utf8_path(self) -> Path:
        return self.temporary or self.path

    def close(self) -> None:
        if self.temporary is not None:
            self.temporary.unlink(missing_ok=True)


class _Layout:
    """Where the header is, the delimiter and the column names of a CSV file."""

    def __init__(self, source: _Source, header_row: int, delimiter: str | None):
        with open(source.utf8_path, "rb") as handle:
            handle.seek(source.offset)
            sample = handle.read(_SAMPLE)
        text = codecs.getincrementaldecoder("utf-8")("strict").decode(sample, final=False)
        text = text[1:] if text.startswith("\ufeff") else text  # a byte-order mark left by a given encoding
        complete = len(sample) < _SAMPLE
        if not complete:
            cut = text.rfind("\n")
            text = text[: cut + 1] if cut >= 0 else text
        self.cr_only = "\n" not in text and "\r" in text
        end = "\r" if self.cr_only else "\n"
        lines = [line + end for line in text.split(end)]
        lines[-1] = lines[-1][:-1]
        lines = [line for i, line in enumerate(lines) if line or i < len(lines) - 1]
        if len(lines) < header_row:
            where = f"the file has {len(lines)} line(s)" if complete else "that is beyond the first MiB"
            raise SurveyDataError(f"{source.name}: no header on line {header_row}: {where}")
        body = "".join(lines[header_row - 1 :])
        if not body.strip():
            raise SurveyDataError(f"{source.name}: the file has no header (line {header_row} is blank)")
        self.delimiter = delimiter or self._sniff(body)
        reader = csv.reader(_io.StringIO(body, newline=""), delimiter=self.delimiter)
        try:
            header = next(reader)
        except csv.Error as error:
            raise SurveyDataError(f"{source.name}: the header on line {header_row} cannot be read: {error}") from error
        if not header:
            raise SurveyDataError(
                f"{source.name}: line {header_row} is blank where the header should be "
                "(give header_row= for a header further down)"
            )
        self.header_lines = header_row - 1 + reader.line_num  # physical lines up to and including the header
        self.raw_names = header
        self.names = _unnamed(header)
        self.header_row = header_row
        # byte offset of the first data line in the UTF-8 file
        newline = b"\r" if self.cr_only else b"\n"
        position = source.offset
        for _ in range(self.header_lines):
            found = sample.find(newline, position - source.offset)
            if found < 0:
                position = source.offset + len(sample)
                break
            position = source.offset + found + 1
        self.data_start = position
        # the start of the data, as far as the sample reaches (whole lines only unless it is the whole file)
        self.data_head = sample[position - source.offset :]
        self.data_head_complete = complete

    @staticmethod
    def _sniff(body: str) -> str:
        records = body.splitlines()[:50]

        def counts(delimiter: str) -> list[int]:
            try:
                return [len(r) for r in csv.reader(records, delimiter=delimiter) if r]
            except csv.Error:
                return [0]

        found = {d: counts(d) for d in DELIMITERS}
        consistent = [d for d, c in found.items() if c and c[0] > 1 and all(n == c[0] for n in c)]
        pool = consistent or [d for d, c in found.items() if c and c[0] > 1]
        if not pool:
            return ","
        return max(pool, key=lambda d: found[d][0])


#: per delimiter byte: a bytes.translate table keeping the bytes a quote may touch (the delimiter,
#: line ends, quotes) and writing every other byte as 0
_QUOTE_NEIGHBOURS = {d: bytes(b if b in (d, 10, 13, 34) else 0 for b in range(256)) for d in range(128)}


def _irregular_quotes(block: bytes, delimiter: int) -> bool:
    """Whether a quote sits inside an unquoted field (``5" screen``), which the fast check cannot follow.

    Such a quote has an ordinary byte on both sides: after the translation below, a
    0, a quote and a 0. Pieces of 1 MiB (overlapping by a byte) stay in the CPU cache
    for the four passes: three times faster than gathering each quote's neighbours.
    """
    if b'"' not in block:
        return False
    for start in range(0, len(block), _SCAN_BLOCK):
        piece = block[max(start - 1, 0) : start + _SCAN_BLOCK + 1]
        if b'"' not in piece:
            continue
        classes = np.frombuffer(piece.translate(_QUOTE_NEIGHBOURS[delimiter]), dtype=np.uint8)
        ordinary = classes == 0
        if (ordinary[:-2] & (classes[1:-1] == 34) & ordinary[2:]).any():
            return True
    return False


#: per delimiter byte: every byte but the delimiter, the newline and the quote (for bytes.translate)
_OTHER_BYTES = {d: bytes(b for b in range(256) if b not in (d, 10, 34)) for d in range(128)}


def _count_records(events: bytes, delimiter: int, n_fields: int) -> tuple[int, bytes] | None:
    """Complete records in ``events`` (delimiters, newlines and quotes, starting at a record
    start) when each has ``n_fields`` fields, and the events after the last one; None otherwise."""
    codes = np.frombuffer(events, dtype=np.uint8)
    quotes = codes == 34
    positions = None
    if quotes.any():
        inside = np.bitwise_xor.accumulate(quotes.view(np.uint8))
        positions = np.flatnonzero(~quotes & (inside == 0))
        codes = codes[positions]
    ends = np.flatnonzero(codes == 10)
    if ends.size == 0:
        return 0, events
    last = ends[-1]
    rest = events[(positions[last] if positions is not None else last) + 1 :]
    complete = codes[: last + 1]
    newlines = complete == 10
    if n_fields == 1:  # every line is a record (a blank line is an empty answer); no delimiter may appear
        return (int(newlines.size), rest) if newlines.all() else None
    if newlines[0] or (newlines[1:] & newlines[:-1]).any():
        return None  # blank lines or one-field lines: the exact check tells which
    if complete.size % n_fields:
        return None
    table = complete.reshape(-1, n_fields)
    if not ((table[:, -1] == 10).all() and (table[:, :-1] == delimiter).all()):
        return None
    return len(table), rest


def _fast_field_check(source: _Source, layout: _Layout) -> tuple[bool, int | None]:
    """True when every data record has as many fields as the header; also the data record count.

    A vectorised pass over the bytes, block by block (only delimiters, newlines and
    quotes are kept, so memory stays small); it also checks that the bytes are UTF-8.
    It answers False (then the exact, slower check runs) for anything unusual: quotes
    inside unquoted fields, blank lines inside the data, lone carriage returns.
    """
    n_fields = len(layout.names)
    delimiter = ord(layout.delimiter) if len(layout.delimiter.encode()) == 1 else None
    if delimiter is None or delimiter > 127 or layout.cr_only:
        return False, None
    usual, records, rest, first_non_ascii, last_byte = True, 0, b"", None, b"\n"
    with open(source.utf8_path, "rb") as handle:
        handle.seek(layout.data_start)
        offset = layout.data_start
        while block := handle.read(_CHUNK):
            if first_non_ascii is None and not block.isascii():
                first_non_ascii = offset
            offset, last_byte = offset + len(block), block[-1:]
            if usual:
                # bytes.translate drops every other byte in one C loop: twice as fast as a NumPy mask
                counted = (
                    None
                    if _irregular_quotes(block, delimiter)
                    else _count_records(rest + block.translate(None, _OTHER_BYTES[delimiter]), delimiter, n_fields)
                )
                if counted is None:
                    usual = False  # keep reading: the UTF-8 check still needs every block
                else:
                    records, rest = records + counted[0], counted[1]
    if source.recoded(first_non_ascii):
        return False, -1  # re-read from the transcoded copy
    if not usual:
        return False, None
    if rest:  # the last line has no line end
        counted = _count_records(rest + b"\n", delimiter, n_fields)
        if counted is None or counted[1]:
            return False, None  # e.g. an unterminated quote
        records += counted[0]
    elif last_byte != b"\n":  # a last line with no delimiter and no line end
        if n_fields > 1:
            return False, None
        records += 1
    return True, records


def _first_record_delimiters(layout: _Layout, delimiter: int) -> int | None:
    """Delimiters in the first data record (blank lines skipped as the parse skips them), or None if none is found."""
    pieces = layout.data_head.split(b"\n")
    lines = pieces if layout.data_head_complete else pieces[:-1]  # the last piece of a full sample may be cut off
    for line in lines:
        line = line.rstrip(b"\r")
        if line or len(layout.names) == 1:
            return line.count(bytes([delimiter]))
    return None


def _plain_scan(source: _Source, layout: _Layout) -> tuple[str, int | None]:
    """Count the delimiters of a data section without quotes; also check that its bytes are UTF-8.

    Returns ``("plain", delimiters)`` when the data hold no quote and the first
    record has as many fields as the header. The parse then rejects any longer row
    (pandas raises for a row with more fields than the first one), and the count
    catches shorter ones: with no row longer than the header, delimiters = records x
    (fields - 1) only when every row is complete. ``("other", None)`` sends the file
    to :func:`_fast_field_check` (quotes, lone carriage returns, a multi-byte
    delimiter, an irregular first record); ``("recode", None)`` means the bytes are
    not UTF-8 and the GB18030 copy is now read instead.

    Counting one byte value with NumPy runs at memory speed, several times faster
    than following records as quoted data need.
    """
    delimiter = ord(layout.delimiter) if len(layout.delimiter.encode()) == 1 else None
    if delimiter is None or delimiter > 127 or layout.cr_only:
        return "other", None
    if _first_record_delimiters(layout, delimiter) != len(layout.names) - 1:
        return "other", None
    # blocks that stay in the CPU cache for the three passes below (1 MiB: 1.3 times faster than 16 MiB)
    buffer = bytearray(_SCAN_BLOCK)
    delimiters, first_non_ascii, offset = 0, None, layout.data_start
    with open(source.utf8_path, "rb", buffering=0) as handle:
        handle.seek(offset)
        while size := handle.readinto(buffer):
            if buffer.find(b'"', 0, size) >= 0:
                return "other", None
            data = np.frombuffer(buffer, dtype=np.uint8, count=size)
            if first_non_ascii is None and data.max() > 127:
                first_non_ascii = offset
            delimiters += int(np.count_nonzero(data == delimiter))
            offset += size
    if source.recoded(first_non_ascii):
        return "recode", None
    return "plain", delimiters


def _slow_field_check(source: _Source, layout: _Layout) -> int:
    """Read every record with the csv module; raise naming the lines whose field count is wrong."""
    n_fields = len(layout.names)
    bad: list[tuple[int, int, bool]] = []
    n_bad = n_records = 0
    with open(source.utf8_path, encoding="utf-8-sig" if source.offset else "utf-8", newline="") as handle:
        for _ in range(layout.header_lines):
            handle.readline()
        pending: list[str] = []  # the lines of the record being read

        def lines():
            for line in handle:
                pending.append(line)
                yield line

        reader = csv.reader(lines(), delimiter=layout.delimiter)
        last_line = layout.header_lines
        try:
            for record in reader:
                start = last_line + 1
                last_line = layout.header_lines + reader.line_num
                text, pending[:] = "".join(pending), []
                if n_fields > 1 and (not record or (len(record) == 1 and not record[0].strip(" \t"))):
                    continue  # a blank line, or one of spaces only: the parse skips both
                record = record or [""]
                n_records += 1
                if len(record) != n_fields:
                    n_bad += 1
                    if len(bad) < MAX_SHOWN:
                        bad.append((start, len(record), record[-1] == ""))
        except csv.Error as error:
            raise SurveyDataError(
                f"{source.name}: the quoted field that starts on line {last_line + 1} never closes "
                f"(an unterminated quote; {error})"
            ) from error
    if n_records:  # the csv module closes a quote left open at the end of the file without a word
        try:
            list(csv.reader(_io.StringIO(text, newline=""), delimiter=layout.delimiter, strict=True))
        except csv.Error as error:
            if "end of data" in str(error):
                raise SurveyDataError(
                    f"{source.name}: the quoted field that starts on line {start} never closes (an unterminated quote)"
                ) from error
    if n_bad:
        raise SurveyDataError(_field_count_message(source.name, layout, bad, n_bad, n_records))
    return n_records


def _field_count_message(name: str, layout: _Layout, bad, n_bad: int, n_records: int) -> str:
    n_fields = len(layout.names)
    shown = "; ".join(f"line {line}: {found} field{'s' if found != 1 else ''}" for line, found, _ in bad)
    delimiter = "tab" if layout.delimiter == "\t" else repr(layout.delimiter)
    if n_bad == n_records and all(found == n_fields + 1 and empty for _, found, empty in bad):
        return (
            f"{name}: every data row ends with a trailing delimiter ({delimiter}): the rows have "
            f"{n_fields + 1} fields but the header on line {layout.header_lines} has {n_fields}, which would "
            f"shift every column; remove the trailing {delimiter} from each row (or end the header with one too). "
            f"First rows: {shown}"
        )
    more = f" and {n_bad - len(bad)} more line(s)" if n_bad > len(bad) else ""
    hint = ""
    if any(found == n_fields + 1 and empty for _, found, empty in bad):
        hint = f"; a line that ends with {delimiter} has an empty extra field (a trailing delimiter)"
    if _blank(layout.raw_names[-1]):
        hint += f"; the header itself ends with {delimiter}, which makes an unnamed last column"
    return (
        f"{name}: rows with the wrong number of fields (expected {n_fields}, as in the header on line "
        f"{layout.header_lines}, delimiter {delimiter}): {shown}{more}{hint}. Nothing was read, so no "
        "value lands in the wrong column; fix these lines (quote values that contain the delimiter)"
    )


def _read_csv(path: Path, options: dict) -> pd.DataFrame:
    columns = options["columns"]
    source = _Source(path, options["encoding"])
    try:
        while True:
            layout = _Layout(source, options["header_row"] or 1, options["delimiter"])
            decimal = options["decimal"] or "."
            if decimal == layout.delimiter:
                raise SurveyDataError(
                    f"{path.name}: decimal={decimal!r} is also the delimiter; give delimiter= (such as ';') too"
                )
            _check_names(path, layout.names, layout.header_lines)
            kind, delimiters = _plain_scan(source, layout)
            if kind == "recode":
                continue  # not UTF-8: now reading the GB18030 copy
            if kind == "plain":
                break
            ok, n_records = _fast_field_check(source, layout)
            if n_records == -1:
                continue
            if not ok:
                n_records = _slow_field_check(source, layout)
            if n_records == 0:
                raise SurveyDataError(f"{path.name}: a header (line {layout.header_lines}) but no data rows")
            break
        try:
            frame = _parse_csv(source, layout, decimal, columns, options["id"])
        except pd.errors.ParserError as error:  # a row longer than the header: name every such line
            _slow_field_check(source, layout)
            raise SurveyDataError(f"{path.name}: cannot be read: {error}") from error
        if kind == "plain":
            if delimiters != len(frame) * (len(layout.names) - 1):  # rows short of fields
                _slow_field_check(source, layout)
                raise SurveyDataError(
                    f"{path.name}: {delimiters:,} delimiters counted where {len(frame):,} rows of "
                    f"{len(layout.names)} fields have {len(frame) * (len(layout.names) - 1):,}"
                )
        elif len(frame) != n_records:  # e.g. a line of blanks read as a row: let the exact check name it
            _slow_field_check(source, layout)
            raise SurveyDataError(f"{path.name}: {len(frame)} rows read but {n_records} records counted")
        if frame.empty:
            raise SurveyDataError(f"{path.name}: a header (line {layout.header_lines}) but no data rows")
        return _drop_unnamed_empty(frame, layout.raw_names)
    finally:
        source.close()


def _parse_csv(source: _Source, layout: _Layout, decimal: str, columns: dict, id_column: str | None) -> pd.DataFrame:
    # Ratings, booleans and categories come as categoricals: the labels are parsed once
    # per distinct value, and memory stays near the final frame's. Text stays text.
    wanted = {}
    for name, spec in columns.items():
        if name in layout.names and name != id_column:
            if spec["type"] == "text":
                wanted[name] = "str"
            elif spec["type"] in ("rating", "bool", "category") or "scale_object" in spec:
                wanted[name] = "category"
    dtypes = dict(wanted)
    options = dict(
        sep=layout.delimiter,
        header=None,
        names=layout.names,
        skiprows=layout.header_lines,
        index_col=False,
        encoding="utf-8",
        decimal=decimal,
        keep_default_na=False,
        na_values=[""],
        skip_blank_lines=len(layout.names) > 1,
        lineterminator="\r" if layout.cr_only else None,
    )
    # Only empty cells are missing: pandas would also turn text such as "NA", "null"
    # or "nan" into missing values, which would hide answers; declare such codes
    # with the schema's ``missing`` instead.
    path = str(source.utf8_path)
    listed = {name: _listed_texts(columns[name]) for name, kind in wanted.items() if kind == "category"}
    listed = {name: texts for name, texts in listed.items() if texts}
    frame = _parse_listed(path, dtypes, listed, options) if listed else None
    if frame is None:
        frame = pd.read_csv(path, dtype=dtypes, **options)
    for name in wanted:
        if wanted[name] == "category" and name in frame.columns:
            frame[name] = _typed_categories(frame[name], decimal)
    # Exact text is needed where pandas read numbers: ids (00123) and categories (01).
    again = [
        name
        for name in dict.fromkeys([id_column, *wanted])
        if name in frame.columns
        and (
            (name == id_column and not _is_text(frame[name]))
            or (
                name != id_column
                and columns[name]["type"] == "category"
                and not _is_text(pd.Series(frame[name].cat.categories))
            )
        )
    ]
    if again:
        exact = pd.read_csv(path, dtype={name: "str" for name in again}, usecols=again, **options)
        for name in again:
            frame[name] = exact[name] if name == id_column else exact[name].astype("category")
    return frame


def _listed_texts(spec: dict) -> list[str] | None:
    """Every text a column may hold when its schema lists them (labels, categories, true/false values), else None.

    The labels, a whole-number scale's numbers, the missing codes and the empty
    field (read as missing afterwards).
    """
    texts: list[str] = []
    scale = spec.get("scale_object")
    if scale is not None and scale.labels:
        texts = [str(label) for label in scale.labels]
        if float(scale.low).is_integer() and float(scale.high).is_integer() and scale.high - scale.low <= 100:
            texts += [str(value) for value in range(int(scale.low), int(scale.high) + 1)]
    elif spec["type"] == "category" and spec.get("categories"):
        texts = [str(category) for category in spec["categories"]]
    elif spec["type"] == "bool" and "true" in spec and "false" in spec:
        texts = [str(value) for value in (*_as_list(spec["true"]), *_as_list(spec["false"]))]
    if not texts:
        return None
    text_codes, numeric_codes = _missing_codes(spec)
    numbers = [str(int(code)) if code.is_integer() else str(code) for code in numeric_codes]
    return list(dict.fromkeys([*texts, *sorted(text_codes), *numbers, ""]))


def _parse_listed(path: str, dtypes: dict, listed: dict[str, list[str]], options: dict) -> pd.DataFrame | None:
    """Parse with the listed columns' categories given; None when this pandas refuses a text outside a list.

    Given categories spare pandas inferring them chunk by chunk and merging the
    chunks' categories: a quarter of the parse of a labelled survey (5 million rows:
    0.94 s against 1.25 s). pandas reads a text outside the list as missing (a
    deprecated behaviour, hence the warning filter): the empty field is in the list,
    so a missing value there means such a text, and those columns are read again
    with their categories inferred, as without a list.
    """
    typed = {**dtypes, **{name: pd.CategoricalDtype(texts) for name, texts in listed.items()}}
    # only the listed columns keep "" as a text (one of their categories); elsewhere it is missing as usual
    na_values = {name: [""] for name in options["names"] if name not in listed}
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Constructing a Categorical with a dtype and values containing")
        try:
            frame = pd.read_csv(path, dtype=typed, **{**options, "na_values": na_values})
        except pd.errors.ParserError:
            raise
        except (ValueError, TypeError):
            return None
    outside = [name for name in listed if frame[name].isna().any()]
    if outside:
        again = pd.read_csv(path, dtype={name: "category" for name in outside}, usecols=outside, **options)
        for name in outside:
            frame[name] = again[name]
    for name in listed:
        if name not in outside:
            frame[name] = frame[name].cat.remove_categories([""])
    return frame


def _typed_categories(series: pd.Series, decimal: str) -> pd.Series:
    """Categories read as numbers and booleans where the text is one, whatever the pandas version.

    pandas 3 infers the type of ``dtype="category"`` categories as it does for other
    columns; pandas 2 keeps them as text ("True", "99", "4.5"). Validation expects the
    typed values, so text categories that all read as numbers, or as True/False, are
    converted here (once per distinct value).
    """
    categories = series.cat.categories
    if not (categories.dtype == object or pd.api.types.is_string_dtype(categories.dtype)) or not len(categories):
        return series
    text = pd.Index(categories.astype(str))
    # the spellings pandas itself reads as booleans
    booleans = {"True": True, "TRUE": True, "true": True, "False": False, "FALSE": False, "false": False}
    if set(text) <= set(booleans):
        typed = text.map(booleans)
    else:
        typed = pd.to_numeric(text.str.replace(decimal, ".", regex=False) if decimal != "." else text, errors="coerce")
        if pd.isna(typed).any():
            return series
    if pd.Index(typed).is_unique:
        return series.cat.rename_categories(list(typed))
    return series.map(dict(zip(categories, typed))).astype("category")


def _is_text(series: pd.Series) -> bool:
    return (
        pd.api.types.is_string_dtype(series.dtype)
        and not isinstance(series.dtype, pd.CategoricalDtype)
        or (series.dtype == object and all(isinstance(v, str) for v in series.dropna().head(1000)))
    )


# --- validating columns -------------------------------------------------------------


def _show(value) -> str:
    if isinstance(value, (np.integer,)):
        value = int(value)
    elif isinstance(value, np.floating):
        value = float(value)
    elif isinstance(value, np.bool_):
        value = bool(value)
    return repr(value)


def _offenders(series: pd.Series, rows: np.ndarray) -> str:
    """Like :func:`~csat_analysis._validation.describe_offenders`, from a boolean array over the rows."""
    where = np.flatnonzero(rows)
    shown = ", ".join(f"{_show(series.iloc[i])} (row {series.index[i]})" for i in where[:MAX_SHOWN])
    extra = len(where) - MAX_SHOWN
    return shown + (f" and {extra} more" if extra > 0 else "")


def _error(column: str, what: str, series: pd.Series, rows) -> SurveyDataError:
    rows = np.asarray(pd.Series(rows, index=series.index).fillna(False), dtype=bool)
    return SurveyDataError(f"column {column!r}: {what}: {_offenders(series, rows)} {ROWS_NOTE}")


def _codes_and_values(series: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Codes per row (-1 for missing) and the distinct values they point to."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        return series.cat.codes.to_numpy(), np.asarray(series.cat.categories, dtype=object)
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    return codes, np.asarray(uniques, dtype=object)


def _number(value, decimal: str = ".") -> float | None:
    """A finite number, from a number or from text that writes one; else None (booleans too)."""
    if isinstance(value, (bool, np.bool_)):
        return None
    if isinstance(value, (int, float, np.integer, np.floating)):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, str):
        text = value.strip()
        if decimal == "," and "." not in text:
            text = text.replace(",", ".")
        try:
            number = float(text)
        except ValueError:
            return None
        return number if math.isfinite(number) else None
    return None


def _missing_codes(spec: dict) -> tuple[set[str], set[float]]:
    codes = spec.get("missing")
    if codes is None:
        return set(), set()
    codes = list(codes) if isinstance(codes, (list, tuple)) else [codes]
    return {str(c).strip() for c in codes if isinstance(c, str)}, {float(c) for c in codes if _is_number(c)}


def _is_missing_code(value, text_codes: set, numeric_codes: set) -> bool:
    if isinstance(value, str) and value.strip() in text_codes:
        return True
    number = _number(value)
    return number is not None and number in numeric_codes


def _decimal_hint(values) -> str:
    looks = any(
        isinstance(v, str) and v.strip().replace("-", "", 1).replace(",", "", 1).isdigit() and "," in v for v in values
    )
    return "; the file seems to write decimals with a comma: read it with decimal=','" if looks else ""


_OK, _BOOLEAN, _UNKNOWN, _FRACTION, _OUTSIDE = range(5)


def _validate_rating(column: str, series: pd.Series, spec: dict, decimal: str) -> pd.Series:
    scale: Scale = spec["scale_object"]
    whole = spec["type"] == "rating"
    name = f"column {column!r}"
    if pd.api.types.is_bool_dtype(series.dtype):
        raise _error(
            column, "true/false values in a rating column (they are never read as ratings)", series, series.notna()
        )
    text_codes, numeric_codes = _missing_codes(spec)
    if pd.api.types.is_numeric_dtype(series.dtype) and not isinstance(series.dtype, pd.CategoricalDtype):
        values = series.to_numpy(dtype=float, na_value=np.nan)
        if numeric_codes:
            values = np.where(np.isin(values, list(numeric_codes)), np.nan, values)
        problem = np.where(~np.isfinite(values) & ~np.isnan(values), _UNKNOWN, _OK)
        if whole:
            problem = np.where(
                (problem == _OK) & np.isfinite(values) & (values != np.round(values)), _FRACTION, problem
            )
        problem = np.where((problem == _OK) & ((values < scale.low) | (values > scale.high)), _OUTSIDE, problem)
        row_problem = problem
    else:
        codes, uniques = _codes_and_values(series)
        labels = {str(k).strip(): float(v) for k, v in (scale.labels or {}).items()}
        unique_values = np.full(len(uniques) + 1, np.nan)  # the last slot serves code -1 (missing)
        unique_problem = np.zeros(len(uniques) + 1, dtype=np.int8)
        for i, value in enumerate(uniques):
            if _is_missing_code(value, text_codes, numeric_codes):
                continue
            if isinstance(value, (bool, np.bool_)):
                unique_problem[i] = _BOOLEAN
                continue
            if isinstance(value, str) and value.strip() in labels:
                unique_values[i] = labels[value.strip()]
                continue
            number = _number(value, decimal)
            if number is None:
                unique_problem[i] = _UNKNOWN
            elif whole and number != round(number):
                unique_problem[i] = _FRACTION
            elif not scale.low <= number <= scale.high:
                unique_problem[i] = _OUTSIDE
            else:
                unique_values[i] = number
        values = unique_values[codes]
        if not unique_problem.any():  # the usual case: no row needs a look
            row_problem = np.zeros(1, dtype=np.int8)
        else:
            row_problem = unique_problem[codes]
        if (unique_problem[:-1] == _UNKNOWN).any():
            distinct = sorted({str(v).strip() for v, p in zip(uniques, unique_problem) if p == _UNKNOWN})
            known = ", ".join(repr(k) for k in labels) or "none (numbers only)"
            raise SurveyDataError(
                f"{name}: unknown labels {distinct} at {_offenders(series, row_problem == _UNKNOWN)}; "
                f"known labels: {known}{_decimal_hint(distinct)} {ROWS_NOTE}"
            )
    for problem, what in (
        (_BOOLEAN, "true/false values in a rating column (they are never read as ratings)"),
        (_UNKNOWN, "values that are not finite numbers"),
        (
            _FRACTION,
            f"fractions on the whole-number scale {scale.low:g}..{scale.high:g} "
            "(declare type: float for a rating that may hold fractions)",
        ),
        (_OUTSIDE, f"values outside the scale {scale.low:g}..{scale.high:g}"),
    ):
        rows = row_problem == problem
        if rows.any():
            raise SurveyDataError(f"{name}: {what}: {_offenders(series, rows)} {ROWS_NOTE}")
    if spec.get("reverse"):
        values = scale.low + scale.high - values
    return pd.Series(values, index=series.index, name=series.name, copy=False)


def _drop_missing_codes(series: pd.Series, spec: dict) -> pd.Series:
    """Series with the schema's missing codes as NaN, for numbers, text and categories alike (vectorised)."""
    text_codes, numeric_codes = _missing_codes(spec)
    if not (text_codes or numeric_codes):
        return series
    if isinstance(series.dtype, pd.CategoricalDtype):
        drop = [c for c in series.cat.categories if _is_missing_code(c, text_codes, numeric_codes)]
        return series.cat.remove_categories(drop) if drop else series
    if pd.api.types.is_bool_dtype(series.dtype):
        return series
    if pd.api.types.is_numeric_dtype(series.dtype):
        mask = series.isin(list(numeric_codes))
    else:
        codes, uniques = _codes_and_values(series)
        mask = np.append(_missing_code_mask(uniques, text_codes, numeric_codes), False)[codes]
    return series.astype(object).where(~np.asarray(mask), np.nan) if np.asarray(mask).any() else series


def _missing_code_mask(values: np.ndarray, text_codes: set, numeric_codes: set) -> np.ndarray:
    """:func:`_is_missing_code` for an array of distinct values, with pandas' vectorised text and number parsing."""
    if len(values) < 1000:
        return np.array([_is_missing_code(v, text_codes, numeric_codes) for v in values], dtype=bool)
    kinds = pd.Series(values, dtype=object).map(type)  # elementwise comparisons below, not type checks
    text = pd.Series(values, dtype=object).where(kinds == str).str.strip()  # noqa: E721
    numbers = pd.to_numeric(
        text.where(kinds == str, pd.Series(values, dtype=object).where(kinds != bool)),  # noqa: E721
        errors="coerce",
    )
    return (text.isin(list(text_codes)) | (numbers.isin(list(numeric_codes)) & np.isfinite(numbers))).to_numpy()


def _numbers(column: str, series: pd.Series) -> pd.Series:
    if pd.api.types.is_bool_dtype(series.dtype):
        raise _error(column, "true/false values in a numeric column", series, series.notna())
    try:
        return read_numbers(series, f"column {column!r}")
    except SurveyDataError as error:
        text = (
            series[series.notna()].astype(str).head(1000)
            if series.dtype == object or pd.api.types.is_string_dtype(series.dtype)
            else []
        )
        raise SurveyDataError(f"{error}{_decimal_hint(list(text))} {ROWS_NOTE}") from error


def _bool_key(value):
    if isinstance(value, (bool, np.bool_)):
        return ("bool", bool(value))
    if isinstance(value, (int, float, np.integer, np.floating)):
        return ("number", float(value))
    text = str(value).strip()
    try:  # "1" in a text column is the number 1, as a file cannot write it otherwise
        number = float(text)
    except ValueError:
        return ("text", text)
    return ("number", number) if np.isfinite(number) else ("text", text)


def _as_list(value) -> list:
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _validate_bool(column: str, series: pd.Series, spec: dict):
    true_values, false_values = _as_list(spec.get("true", [True])), _as_list(spec.get("false", [False]))
    lookup = {_bool_key(v): True for v in true_values} | {_bool_key(v): False for v in false_values}
    codes, uniques = _codes_and_values(series)
    mapped = [lookup.get(_bool_key(v)) for v in uniques]
    unknown_unique = np.array([m is None for m in mapped] + [False])
    if unknown_unique[codes].any():
        declared = ", ".join(repr(v) for v in [*true_values, *false_values])
        raise _error(
            column, f"values other than the declared true/false values ({declared})", series, unknown_unique[codes]
        )
    truth = np.array([bool(m) for m in mapped] + [False])[codes]
    if (codes < 0).any():
        return pd.Series(pd.arrays.BooleanArray(truth, codes < 0), index=series.index, name=series.name, copy=False)
    return pd.Series(truth, index=series.index, name=series.name, copy=False)


def _validate_category(column: str, series: pd.Series, spec: dict) -> pd.Series:
    if "categories" not in spec:
        if isinstance(series.dtype, pd.CategoricalDtype):
            return series
        return series.astype("category")
    categories = list(spec["categories"])
    by_text = {c: i for i, c in enumerate(categories) if isinstance(c, str)}
    by_number = {float(c): i for i, c in enumerate(categories) if _is_number(c)}
    by_value = {(type(c), c): i for i, c in enumerate(categories)}
    codes, uniques = _codes_and_values(series)
    targets = []
    for value in uniques:
        if isinstance(value, str):
            # a CSV file writes the category 1 as the text "1"
            target = by_text.get(value, by_number.get(_number(value)) if value.strip() == value else None)
        else:
            target = by_value.get((type(value), value), by_number.get(_number(value)))
        targets.append(-2 if target is None else target)
    lookup = np.array(targets + [-1])
    new_codes = lookup[codes]
    unknown = new_codes == -2
    if unknown.any():
        raise _error(column, f"unknown categories (declared: {categories})", series, unknown)
    values = pd.Categorical.from_codes(new_codes, categories=categories, ordered=bool(spec.get("ordered")))
    return pd.Series(values, index=series.index, name=series.name, copy=False)


def _validate_column(column: str, series: pd.Series, spec: dict, decimal: str = ".") -> pd.Series:
    kind = spec["type"]
    if "scale_object" in spec:
        return _validate_rating(column, series, spec, decimal)
    series = _drop_missing_codes(series, spec)
    if kind in ("float", "int"):
        values = _numbers(column, series)
        if kind == "int":
            fractional = values.notna() & (values != np.round(values))
            if fractional.any():
                raise _error(column, "non-integer values in an integer column", series, fractional)
        for bound, outside in (("min", values < spec.get("min", -np.inf)), ("max", values > spec.get("max", np.inf))):
            if outside.any():
                raise _error(column, f"values beyond {bound}={spec[bound]!r}", series, outside)
        if kind == "int":
            return values.astype("Int64") if values.isna().any() else values.astype("int64")
        return values
    if kind == "bool":
        return _validate_bool(column, series, spec)
    if kind == "category":
        return _validate_category(column, series, spec)
    return series  # text


def _ids_as_text(series: pd.Series) -> pd.Series:
    if _is_text(series):
        return series
    if pd.api.types.is_integer_dtype(series.dtype):
        return series.astype(str).astype("str")

    def text(value):
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return np.nan
        if isinstance(value, (float, np.floating)) and float(value).is_integer():
            return str(int(value))
        return str(value)

    return series.astype(object).map(text).astype("str")


_WHITE = np.zeros(256, dtype=bool)
_WHITE[[9, 10, 11, 12, 13, 32]] = True


def _id_facts(ids: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """A 64-bit hash per id, and which ids have surrounding white space or leading zeros.

    Works on the Arrow buffers of the text column, a column of bytes at a time, so
    5 million ids need tens of MB rather than the hash table of a ``factorize``
    (about 800 MB). Equal ids have equal hashes; a repeated hash is confirmed
    exactly by the caller. None when the column is not Arrow text or ids are long.
    """
    array = getattr(ids.array, "_pa_array", None)
    if array is None or ids.isna().any():
        return None
    hashes, padded, zeros = [], [], []
    for chunk in array.chunks:
        buffers = chunk.buffers()
        width = np.int64 if str(chunk.type) == "large_string" else np.int32
        offsets = np.frombuffer(buffers[1], dtype=width)[chunk.offset : chunk.offset + len(chunk) + 1].astype(np.int64)
        data = (
            np.frombuffer(buffers[2], dtype=np.uint8)
            if buffers[2] is not None and buffers[2].size
            else np.zeros(1, dtype=np.uint8)
        )
        for begin in range(0, len(chunk), 1 << 20):
            stop = min(begin + (1 << 20), len(chunk))
            starts = offsets[begin:stop]
            lengths = offsets[begin + 1 : stop + 1] - starts
            longest = int(lengths.max()) if len(lengths) else 0
            if longest > 64:
                return None
            value = lengths.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)
            for j in range(longest):
                byte = np.where(lengths > j, data[np.minimum(starts + j, len(data) - 1)], 0).astype(np.uint64)
                value = value * np.uint64(1099511628211) + byte + np.uint64(1)
                value ^= value >> np.uint64(29)
            first = data[np.minimum(starts, len(data) - 1)]
            last = data[np.clip(starts + lengths - 1, 0, len(data) - 1)]
            some = lengths > 0
            padded.append(some & (_WHITE[first] | _WHITE[last]))
            zeros.append((lengths > 1) & (first == ord("0")))
            hashes.append(value)
    return np.concatenate(hashes), np.concatenate(padded), np.concatenate(zeros)


def _check_ids(path: Path, frame: pd.DataFrame, id_column: str) -> pd.Series:
    if id_column not in frame.columns:
        raise SurveyDataError(
            f"{path.name}: id column {id_column!r} missing; columns in the file: {', '.join(map(str, frame.columns))}"
        )
    ids = _ids_as_text(frame[id_column])
    missing = ids.isna()
    if missing.any():
        raise _error(id_column, "missing respondent ids", ids, missing)
    facts = _id_facts(ids)
    if facts is None:
        repeated = len(pd.factorize(ids)[1]) != len(ids)
        padded = (ids.str.strip() != ids).to_numpy()
        zeros = (ids.str.startswith("0") & (ids.str.len() > 1)).to_numpy()
    else:
        hashes, padded, zeros = facts
        ordered = np.sort(hashes)
        repeated = bool((ordered[1:] == ordered[:-1]).any())  # confirmed exactly below
    if repeated:
        duplicated = ids.duplicated(keep=False)
        if duplicated.any():
            raise _error(id_column, "duplicate respondent ids", ids, duplicated)
    for rows, what in (
        (padded, "begin or end with white space, kept as written"),
        (zeros, "have leading zeros, kept as written (so '001' and '1' are different ids)"),
    ):
        if rows.any():
            warnings.warn(
                f"column {id_column!r}: {int(rows.sum()):,} respondent ids {what}: {_offenders(ids, rows)} {ROWS_NOTE}",
                CsatWarning,
                stacklevel=3,
            )
    return ids


_READ_OPTIONS = ["encoding", "delimiter", "decimal", "sheet", "header_row"]


def read_survey(
    path: str | os.PathLike,
    schema: Mapping | str | os.PathLike,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    decimal: str | None = None,
    sheet: str | int | None = None,
    header_row: int | None = None,
) -> pd.DataFrame:
    """Read a survey file and validate it against a schema.

    Parameters
    ----------
    path : path
        A ``.csv``, ``.parquet``/``.pq`` or ``.xlsx``/``.xlsm`` file (Parquet needs
        ``pyarrow`` and Excel ``openpyxl``: ``pip install csat-analysis[formats]``).
    schema : dict or path
        The schema (see the module docstring), or the path of a YAML file holding it.
    encoding : str, optional
        CSV text encoding (also the schema key ``encoding``). Without it a byte-order
        mark selects UTF-8 or UTF-16, else UTF-8 is tried and then GB18030 (a superset
        of GBK, the usual export of Chinese survey tools).
    delimiter : str, optional
        CSV field delimiter (also ``delimiter``); sniffed among ``,`` ``;`` tab ``|``
        when not given.
    decimal : {".", ","}, optional
        Decimal mark of CSV numbers (also ``decimal``): with ``","``, ``3,5`` is 3.5.
    sheet : str or int, optional
        Excel sheet name or 0-based position (also ``sheet``); default the first sheet.
    header_row : int, optional
        The line (CSV) or spreadsheet row (Excel) holding the header, 1-based as
        editors and spreadsheets show it (also ``header_row``); lines above it are
        skipped. Default 1.

        These arguments override the schema's keys of the same name; options that do
        not apply to a file's format are ignored.

    Returns
    -------
    pandas.DataFrame
        The file's columns in file order: ratings as float (missing codes as NaN,
        reverse-coded where the schema says so), categories categorical, booleans
        bool (nullable ``boolean`` when some are missing), integers int64 (``Int64``
        with missing values), floats float, respondent ids as text, unlisted columns
        unchanged.

    Raises
    ------
    SurveyDataError
        For any value, column or row that does not fit the schema (the message names
        the column, the first offending values and their 0-based data rows), and for
        any file that cannot be read as it is (the message names the file and, for
        CSV files, the lines, field counts or byte offset concerned).
    ParameterError
        An argument of the wrong form (``decimal=";"``, ``header_row=0``...).

    Warns
    -----
    CsatWarning
        Respondent ids with leading zeros or surrounding white space (kept as written).

    Examples
    --------
    >>> import pandas as pd, tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "survey.csv"
    >>> pd.DataFrame({"effort": [1, 7, -99]}).to_csv(path, index=False)
    >>> schema = {"columns": {"effort": {"scale": [1, 7], "reverse": True, "missing": [-99]}}}
    >>> read_survey(path, schema)["effort"].tolist()
    [7.0, 1.0, nan]
    >>> _ = path.write_text("id;spend\\nA01;3,5\\n", encoding="utf-8")
    >>> read_survey(path, {"id": "id", "columns": {"spend": {"type": "float"}}}, decimal=",").values.tolist()
    [['A01', 3.5]]
    """
    spec = read_schema(schema)
    given = {"encoding": encoding, "delimiter": delimiter, "decimal": decimal, "sheet": sheet, "header_row": header_row}
    for key, value in given.items():
        if value is not None:
            check, expected = SCHEMA_KEYS[key]
            if check(value) is not None:
                raise ParameterError(f"{key}={value!r} is not valid; expected {expected}")
    options = {key: given[key] if given[key] is not None else spec[key] for key in _READ_OPTIONS}
    options["columns"], options["id"] = spec["columns"], spec["id"]
    path = Path(path)
    try:
        frame = _read_file(path, options)
        frame.index = pd.RangeIndex(len(frame))
        if frame.empty:
            raise SurveyDataError(f"{path.name}: no data rows")

        required_missing = [c for c, s in spec["columns"].items() if s.get("required") and c not in frame.columns]
        if required_missing:
            raise SurveyDataError(
                f"{path.name}: required column(s) {', '.join(map(repr, required_missing))} missing; "
                f"columns in the file: {', '.join(map(str, frame.columns))}"
            )
        id_column = spec["id"]
        columns = [c for c in spec["columns"] if c in frame.columns and c != id_column]
        decimal_mark = options["decimal"] or "."
        # The checks are NumPy and pandas passes that release the GIL: the columns are checked
        # on two threads while this one checks the ids. Errors still come in the schema's
        # order (ids first), as they would one column after another.
        with ThreadPoolExecutor(max_workers=min(2, os.cpu_count() or 1)) as pool:
            checked = pool.map(
                lambda column, series: _validate_column(column, series, spec["columns"][column], decimal_mark),
                columns,
                [frame[column] for column in columns],
            )
            if id_column is not None:
                frame[id_column] = _check_ids(path, frame, id_column)
            for column, values in zip(columns, checked):
                frame[column] = values
        return frame
    except SurveyDataError as error:
        if path.name in str(error):
            raise
        raise SurveyDataError(f"{error} [file {path.name}]") from error
    except CsatError:
        raise
    except (ValueError, TypeError, KeyError, OSError, UnicodeError, zipfile.BadZipFile, csv.Error) as error:
        # pandas, pyarrow and the codecs raise these; name the file rather than show a raw traceback
        raise SurveyDataError(f"{path.name}: cannot be read: {type(error).__name__}: {error}") from error


# --- hooks for survey descriptions (csat_analysis.survey) ----------------------------


def check_keys(where: str, mapping: Mapping, rules: Mapping[str, tuple[Callable[[Any], str | None], str]]) -> None:
    """Check each key of ``mapping`` against a table ``key -> (check, expected form)``, as the schema is checked.

    A survey description (:mod:`csat_analysis.survey`) checks its own keys with it, so
    its messages read like the schema's. A key with the value ``None`` counts as absent.

    Raises
    ------
    SurveyDataError
        An unknown key (the message lists the valid ones) or a value of the wrong form
        (naming ``where``, the key and the expected form).

    Examples
    --------
    >>> check_keys("survey", {"title": 3}, {"title": (lambda v: None if isinstance(v, str) else "", "text")})
    Traceback (most recent call last):
    ...
    csat_analysis.errors.SurveyDataError: survey, key 'title': expected text; got 3
    """
    _check_keys(where, mapping, rules)
