"""Data tables: a Markdown line ``!data-table NAME`` becomes the table of ``data/NAME.toml``.

Some facts are prose and a tool's input at once: the keepalive page's table of idle timeouts is
what its keepalive planner computes with. Such facts live once, in a TOML file of the content
tree's ``data`` folder (its ``[table]`` columns, its ``[fields]`` and their types, its ``[[row]]``
tables; the README's "Data tables" shows one). The build draws the page's table from it (this
extension, before the tables extension reads the page) and writes the same rows as
``data/NAME.json`` into the site for the page's tools to fetch, so page and tool cannot disagree.

A row's text shows its numbers through ``{field}`` (``{field:,}``: 86,400), and every number a
row holds must be shown that way: the page never states a number the data does not hold.
``!data-table NAME FIELD=VALUE`` keeps the rows whose FIELD is VALUE (or lists it).

Every file and every ``!data-table`` line is checked before any page is read
(:func:`check_data_tables`, at ``initialized``), so a problem is one line naming the file and the
row, or the page and its line; what the extension raises itself is for Markdown run outside the
build.
"""

from __future__ import annotations

import dataclasses
import json
import math
import os
import re
import tomllib

from markdown import Extension
from markdown.preprocessors import Preprocessor

from guide.content.front_matter import did_you_mean
from guide.content.schema import SLUG
from guide.content.source_files import MARKDOWN_SUFFIXES
from guide.markdown.code_fences import fence_spans
from guide.pelican_internals import forget_cached_read
from guide.problems import ProblemLog, display_path, toml_syntax_problem

EXTENSION = "guide.markdown.data_tables"
PAGES_SETTING = "DATA_TABLE_PAGES"  #: the sources that hold a ``!data-table`` line
DATA_FOLDER = "data"  #: below the content folder: the tables; below the output folder: their JSON
MAX_FILE_BYTES = 256 * 1024  #: a table is a page's worth of facts, not a database
LINE_RE = re.compile(r"^([ \t]*)!data-table(?:[ \t]+(.*?))?[ \t]*$")
NAME_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
PLACEHOLDER_RE = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)(:,)?\}")
NO_NUMBER = ("none", "not stated")
TYPES = ("text", "seconds", "links", "slugs")
_URL_RE = re.compile(r"^https://[^\s()<>|]+$")
HELP = "see the README's data tables"


class DataTableError(ValueError):
    """A data table or a ``!data-table`` line that cannot be drawn: one line saying why."""


@dataclasses.dataclass(frozen=True)
class Column:
    heading: str
    field: str
    links: str | None = None  #: a links field whose links follow the text, in parentheses


@dataclasses.dataclass(frozen=True)
class Table:
    name: str
    path: str
    columns: tuple[Column, ...]
    fields: dict[str, tuple[str | tuple[str, ...], bool]]  #: field -> (type or choices, optional)
    rows: tuple[dict, ...]


# Reading and checking a file


def table_path(folder: str, name: str) -> str:
    return os.path.join(folder, f"{name}.toml")


def _read_toml(path: str, log: ProblemLog) -> dict | None:
    if os.path.exists(path) and not os.path.isfile(path):
        log.add(path, "file", "not a regular file (a pipe, a device or a folder); make it a TOML file or remove it")
        return None
    try:
        if os.path.getsize(path) > MAX_FILE_BYTES:
            log.add(path, "file", f"larger than {MAX_FILE_BYTES // 1024} KiB; a data table holds one page's facts, split it")
            return None
        with open(path, "rb") as file:
            return tomllib.load(file)
    except tomllib.TOMLDecodeError as error:
        where, message = toml_syntax_problem(error)
        log.add(path, where, f"{message}; {HELP}")
    except FileNotFoundError:
        log.add(path, "file", f"no such file; {HELP}")
    except (OSError, UnicodeDecodeError) as error:
        log.add(path, "file", f"cannot read it: {error}")
    return None


def _field_types(value, problem) -> dict:
    if not isinstance(value, dict) or not value:
        problem("fields", '[fields] must list each field of a row and its type, e.g. name = "text"')
        return {}
    fields = {}
    for name, written in value.items():
        optional = isinstance(written, str) and written.endswith("?")
        kind = written.removesuffix("?") if optional else written
        if isinstance(kind, list) and kind and all(isinstance(word, str) and word for word in kind):
            fields[name] = (tuple(kind), False)
        elif kind in TYPES:
            fields[name] = (kind, optional)
        else:
            problem(f"fields.{name}", f'unknown type {kind!r}; use {", ".join(TYPES)} (with "?" if optional) or a list of words')
    return fields


def _columns(value, fields: dict, declared, problem) -> tuple[Column, ...]:
    """The columns; ``declared``: the names [fields] gives, those with a wrong type included (already reported)."""
    if not isinstance(value, dict) or not isinstance(value.get("columns"), list) or not value["columns"]:
        problem("table", '[table] must have columns = [{ heading = "Name", field = "name" }, ...]')
        return ()
    for key in set(value) - {"columns"}:
        problem(f"table.{key}", "unknown key; [table] has columns only")
    columns = []
    for number, column in enumerate(value["columns"], 1):
        where = f"table.columns {number}"
        if (
            not isinstance(column, dict)
            or set(column) - {"heading", "field", "links"}
            or not isinstance(column.get("heading"), str)
        ):
            problem(where, 'write { heading = "Name", field = "name" }, and links = "sources" to follow the text with links')
        elif column.get("field") in set(declared) - set(fields) or column.get("links") in set(declared) - set(fields):
            continue
        elif fields.get(column.get("field"), ("",))[0] != "text":
            problem(where, f"field {column.get('field')!r} is not a text field of [fields]")
        elif "links" in column and fields.get(column["links"], ("",))[0] != "links":
            problem(where, f"links {column['links']!r} is not a links field of [fields]")
        else:
            columns.append(Column(column["heading"], column["field"], column.get("links")))
    return tuple(columns)


def _value_problem(kind, value) -> str | None:
    """What is wrong with one field's value, or None."""
    if isinstance(kind, tuple):
        return None if value in kind else f"must be one of {', '.join(map(repr, kind))}"
    if kind == "text":
        ok = isinstance(value, str) and value.strip() and "\n" not in value
        return None if ok else "must be one line of text"
    if kind == "seconds":
        if isinstance(value, str):
            return None if value in NO_NUMBER else 'must be a number of seconds, "none" or "not stated"'
        ok = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) and value > 0
        return None if ok else 'must be a number of seconds above 0, "none" or "not stated"'
    if kind == "slugs":
        ok = isinstance(value, list) and value and all(isinstance(s, str) and SLUG.fullmatch(s) for s in value)
        return None if ok else 'must list page slugs, e.g. ["keepalive-timeouts"]'
    ok = isinstance(value, list) and value and all(_is_link(link) for link in value)
    return (
        None if ok else 'must list links such as { label = "docs", url = "https://..." } (in the URL, write ( ) | as %28 %29 %7C)'
    )


def _is_link(link) -> bool:
    return (
        isinstance(link, dict)
        and set(link) == {"label", "url"}
        and isinstance(link["label"], str)
        and link["label"].strip() != ""
        and isinstance(link["url"], str)
        and bool(_URL_RE.match(link["url"]))
    )


def _row_problems(row, fields: dict, columns: tuple[Column, ...]):
    """(field or "", message) for each problem of one row, one per mistake (no echoes)."""
    if not isinstance(row, dict):
        yield "", "must be a table of fields ([[row]] then name = ...)"
        return
    meant = set()  #: fields an unknown one probably misspells: not reported missing as well
    wrong = False
    for name in row:
        if name not in fields:
            wrong = True
            suggestion = did_you_mean(name, fields)
            meant.add(suggestion.removeprefix(" (did you mean ").removesuffix("?)"))
            yield name, f"unknown field{suggestion}; the fields are {', '.join(fields)}"
    for name, (kind, optional) in fields.items():
        if name not in row:
            wrong = wrong or not optional
            if not optional and name not in meant:
                yield "", f'missing field "{name}"'
        elif _value_problem(kind, row[name]):
            wrong = True
            yield name, _value_problem(kind, row[name])
    if wrong:
        return  # the placeholders would only echo a missing or wrong field
    shown = set()  #: the fields a column's text shows
    for name in (name for name, (kind, _) in fields.items() if kind == "text" and name in row):
        for placeholder in PLACEHOLDER_RE.finditer(row[name]):
            if placeholder[1] not in row or fields[placeholder[1]][0] in ("links", "slugs"):
                wrong = True
                yield name, f"{{{placeholder[1]}}} names no field of this row that holds a word or a number"
            elif any(column.field == name for column in columns):
                shown.add(placeholder[1])
    for name, (kind, _) in fields.items():
        if not wrong and kind == "seconds" and isinstance(row.get(name), (int, float)) and name not in shown:
            message = f"the table shows no {{{name}}}: write it in a column's text, so the page states the number the data holds"
            yield name, message


def load_table(path: str, log: ProblemLog) -> Table | None:
    """The table in ``path``, checked; None when it has problems (each one goes to ``log``)."""
    errors = len(log.errors)
    data = _read_toml(path, log)
    if data is None:
        return None

    def problem(where: str, message: str) -> None:
        log.add(path, where, message)

    for key in data:
        if key not in ("table", "fields", "row"):
            problem(
                key, f"unknown key{did_you_mean(key, ('table', 'fields', 'row'))}; a data table has [table], [fields] and [[row]]"
            )
    fields = _field_types(data.get("fields"), problem)
    declared = data["fields"] if isinstance(data.get("fields"), dict) else {}
    columns = _columns(data.get("table"), fields, declared, problem)
    rows = data.get("row")
    if not isinstance(rows, list) or not rows:
        problem("row", "no rows; add [[row]] tables")
    if len(log.errors) > errors:
        return None  # rows are judged by [fields] and [table]: with those wrong, their problems would be echoes
    for number, row in enumerate(rows, 1):
        label = f"row {number}" + (f" ({row['name']})" if isinstance(row, dict) and isinstance(row.get("name"), str) else "")
        for field, message in _row_problems(row, fields, columns):
            problem(f"{label}: {field}" if field else label, message)
    if len(log.errors) > errors:
        return None
    name = os.path.splitext(os.path.basename(path))[0]
    return Table(name, path, columns, fields, tuple(rows))


_loaded: dict[str, tuple[tuple[int, int], Table]] = {}  #: path -> ((mtime_ns, size), table): one read per change


def cached_table(folder: str | None, name: str) -> Table:
    """The table NAME of ``folder``, read once per change of its file; DataTableError when it cannot be."""
    if not folder:
        raise DataTableError(f"!data-table {name}: no data folder; build with the guide's plugin, which sets it")
    if not NAME_RE.match(name):
        raise DataTableError(f"!data-table {name}: a table's name is lowercase words joined by hyphens")
    path = table_path(folder, name)
    try:
        stat = os.stat(path)
    except OSError:
        raise DataTableError(f"!data-table {name}: no file {display_path(path)}") from None
    stamp = (stat.st_mtime_ns, stat.st_size)
    if path in _loaded and _loaded[path][0] == stamp:
        return _loaded[path][1]
    log = ProblemLog()
    table = load_table(path, log)
    if table is None:
        raise DataTableError(str(log.errors[0]))
    _loaded[path] = (stamp, table)
    return table


# Drawing a table


def parse_arguments(arguments: str | None) -> tuple[str, dict[str, str]]:
    """``NAME FIELD=VALUE...`` -> (name, filters); DataTableError when it is not that."""
    words = (arguments or "").split()
    if not words:
        raise DataTableError("!data-table needs a table's name: !data-table NAME, for the file data/NAME.toml")
    filters = {}
    for word in words[1:]:
        field, equals, value = word.partition("=")
        if not equals or not field or not value:
            raise DataTableError(f"!data-table {words[0]}: {word!r} is not FIELD=VALUE")
        filters[field] = value
    return words[0], filters


def select_rows(table: Table, filters: dict[str, str]) -> tuple[dict, ...]:
    for field in filters:
        if field not in table.fields:
            raise DataTableError(f"!data-table {table.name}: no field {field!r}{did_you_mean(field, table.fields)}")
    rows = tuple(row for row in table.rows if all(_matches(row.get(f), v) for f, v in filters.items()))
    if not rows:
        shown = " ".join(f"{f}={v}" for f, v in filters.items())
        raise DataTableError(f"!data-table {table.name} {shown}: no row matches")
    return rows


def _matches(value, wanted: str) -> bool:
    return wanted in value if isinstance(value, list) else str(value) == wanted


def _number(value, separators: bool) -> str:
    if isinstance(value, (int, float)) and separators:
        return f"{value:,}"
    return str(value)


def fill(text: str, row: dict) -> str:
    """A row's text with each ``{field}`` replaced by the row's value."""
    return PLACEHOLDER_RE.sub(lambda m: _number(row[m[1]], bool(m[2])), text)


def _cell(row: dict, column: Column) -> str:
    text = fill(row.get(column.field, ""), row)
    if column.links and row.get(column.links):
        text += " (" + ", ".join(f"[{link['label']}]({link['url']})" for link in row[column.links]) + ")"
    return text.replace("|", "\\|")  # a cell's own bar, not the next column


def markdown_lines(table: Table, rows: tuple[dict, ...]) -> list[str]:
    """The table as Markdown (the tables extension draws it like any table the author wrote)."""
    lines = ["| " + " | ".join(column.heading for column in table.columns) + " |", "|" + "---|" * len(table.columns)]
    lines += ["| " + " | ".join(_cell(row, column) for column in table.columns) + " |" for row in rows]
    return lines


class DataTablePreprocessor(Preprocessor):
    def __init__(self, md, folder: str | None) -> None:
        super().__init__(md)
        self.folder = folder

    def run(self, lines: list[str]) -> list[str]:
        result = []
        for line in lines:
            match = LINE_RE.match(line)
            if not match:
                result.append(line)
                continue
            name, filters = parse_arguments(match[2])
            table = cached_table(self.folder, name)
            drawn = markdown_lines(table, select_rows(table, filters))
            result += ["", *(match[1] + row for row in drawn), ""]  # indented as the line was (inside a callout)
        return result


class DataTablesExtension(Extension):
    def __init__(self, **kwargs) -> None:
        self.config = {"folder": ["", "the folder of the data tables (the content folder's data/)"]}
        super().__init__(**kwargs)

    def extendMarkdown(self, md) -> None:
        # After SuperFences (25) has put fenced blocks aside, so a line in a code block stays text.
        md.preprocessors.register(DataTablePreprocessor(md, self.getConfig("folder")), "guide_data_tables", 22)


def makeExtension(**kwargs):
    return DataTablesExtension(**kwargs)


# The build: check before reading, write the JSON at the end


def data_folder(settings) -> str:
    return os.path.join(settings["PATH"], DATA_FOLDER)


def use_data_tables(settings) -> None:
    """Give the extension the content tree's data folder (a new dict: pelicanconf's stays as written)."""
    markdown = settings.get("MARKDOWN", {})
    configs = {**markdown.get("extension_configs", {}), EXTENSION: {"folder": data_folder(settings)}}
    settings["MARKDOWN"] = {**markdown, "extension_configs": configs}


def table_lines(text: str):
    """(1-based line, its arguments) for each ``!data-table`` line outside fenced code blocks."""
    lines = text.split("\n")
    inside = set()
    for span in fence_spans(lines):
        inside.update(range(span.start, (span.end if span.end is not None else len(lines)) + 1))
    for number, line in enumerate(lines):
        match = None if number in inside else LINE_RE.match(line)
        if match:
            yield number + 1, match[2]


def _markdown_files(content_path: str):
    for folder, dirs, files in os.walk(content_path):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(folder, name)
            # Only regular files: opening a pipe named like a page would wait for a writer forever
            # (guide.content.source_files reports it).
            if name.endswith(MARKDOWN_SUFFIXES) and os.path.isfile(path):
                yield path


def load_tables(folder: str, log: ProblemLog) -> tuple[dict[str, Table], list[str]]:
    """The well-formed tables of ``folder`` by name, and the names of all its files."""
    tables = {}
    names = (
        sorted(name[: -len(".toml")] for name in os.listdir(folder) if name.endswith(".toml")) if os.path.isdir(folder) else []
    )
    for name in names:
        if not NAME_RE.match(name):
            log.add(table_path(folder, name), "file", "a table's file name is lowercase words joined by hyphens, then .toml")
            continue
        table = load_table(table_path(folder, name), log)
        if table:
            tables[name] = table
    return tables, names


def check_data_tables(settings, log: ProblemLog) -> dict[str, Table]:
    """At ``initialized``: every data table is well formed and every ``!data-table`` line names
    one and rows of it; the extension is given the data folder. The tables, by name."""
    use_data_tables(settings)
    folder = data_folder(settings)
    tables, names = load_tables(folder, log)
    enabled = EXTENSION in settings.get("MARKDOWN", {}).get("extensions", [])
    drawing = []
    for path in _markdown_files(settings["PATH"]):
        try:
            with open(path, encoding="utf-8") as file:
                text = file.read()
        except (OSError, UnicodeDecodeError):
            continue  # guide.content.validation says why
        for number, arguments in table_lines(text):
            drawing.append(os.path.abspath(path))
            _check_line(path, number, arguments, tables, names, folder, enabled, log)
    settings[PAGES_SETTING] = tuple(sorted(set(drawing)))
    return tables


def reread_table_pages(generator) -> None:
    """``page_generator_init``, ``article_generator_init``: the pages that draw a data table are
    read afresh, not taken from the content cache (`invoke serve`), whose entry is stamped with
    the page's file alone: an edited data file would leave the old table beside the new JSON."""
    for path in generator.settings.get(PAGES_SETTING, ()):
        forget_cached_read(generator.readers, path)


def _check_line(path, number, arguments, tables, names, folder, enabled, log: ProblemLog) -> None:
    where = f"line {number}"
    if not enabled:
        log.add(path, where, f"!data-table needs the extension {EXTENSION} in MARKDOWN's extensions (pelicanconf.py)")
        return
    try:
        name, filters = parse_arguments(arguments)
        if name not in names:
            known = f"; the tables are {', '.join(names)}" if names else f"; a table is a TOML file in {folder}/ ({HELP})"
            raise DataTableError(
                f"!data-table {name}: no file {display_path(table_path(folder, name))}{did_you_mean(name, names)}{known}"
            )
        if name in tables:  # else its file's problems are reported already
            select_rows(tables[name], filters)
    except DataTableError as error:
        log.add(path, where, str(error))


def json_rows(table: Table) -> list[dict]:
    """The rows as the tools read them: every field, text with its ``{field}`` filled in."""
    text = {name for name, (kind, _) in table.fields.items() if kind == "text"}
    return [{key: fill(value, row) if key in text else value for key, value in row.items()} for row in table.rows]


def write_data_tables(settings, output_path: str) -> list[str]:
    """At ``finalized``: ``data/NAME.json`` in the output for each table (checked at ``initialized``)."""
    written = []
    tables, _ = load_tables(data_folder(settings), ProblemLog())
    for name, table in sorted(tables.items()):
        target = os.path.join(output_path, DATA_FOLDER, f"{name}.json")
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "w", encoding="utf-8") as file:
            json.dump({"table": name, "rows": json_rows(table)}, file, ensure_ascii=False, separators=(",", ":"))
            file.write("\n")
        written.append(target)
    return written
