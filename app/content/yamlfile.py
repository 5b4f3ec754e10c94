"""Versioned YAML: read with line numbers, so errors can name file, line and field, and
written back so that it reads back exactly (the content file formats' writers use it)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from ..errors import DomainError


class ContentError(DomainError):
    """A content file is malformed: names the file, the line where known, and the field."""

    def __init__(self, path: Path | str, field: str | None, message: str, line: int | None = None):
        self.path, self.field, self.line, self.message = str(path), field, line, message
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {field + ': ' if field else ''}{message}")


class Located:
    """A parsed YAML mapping plus the line of each key path ("questions.2.text" -> 41)."""

    def __init__(self, path: Path, data: Any, lines: dict[str, int]):
        self.path, self.data, self.lines = path, data, lines

    def line(self, field: str) -> int | None:
        """The line of field, or of its nearest parent that has one."""
        while field:
            if field in self.lines:
                return self.lines[field]
            field = field.rpartition(".")[0]
        return None

    def error(self, field: str, message: str) -> ContentError:
        """A ContentError pointing at field."""
        return ContentError(self.path, field, message, self.line(field))


def _walk(node: yaml.Node, prefix: str, lines: dict[str, int]) -> None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            path = f"{prefix}.{key.value}" if prefix else str(key.value)
            lines[path] = key.start_mark.line + 1
            _walk(value, path, lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            path = f"{prefix}.{index}" if prefix else str(index)
            lines[path] = item.start_mark.line + 1
            _walk(item, path, lines)


def _load_fast(text: str, lines: dict[str, int]) -> Any:
    """Parse once with libyaml when PyYAML has it (the content load reads hundreds of files):
    the line of each key path into `lines`, then the data built from the same nodes."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _walk(node, "", lines)
        return loader.construct_document(node)
    finally:
        loader.dispose()


def parse_yaml(path: Path, text: str | None = None, line_offset: int = 0) -> Located:
    """Parse YAML text (default: the file) into data and a key-path -> line map."""
    if text is None:
        text = read_text(path)
    lines: dict[str, int] = {}
    try:
        data = _load_fast(text, lines)
    except yaml.YAMLError:
        lines = {}
        try:  # the pure-Python parser again, for its error messages
            node = yaml.compose(text, Loader=yaml.SafeLoader)
            data = yaml.safe_load(text)
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark
            line = mark.line + 1 + line_offset if mark else None
            raise ContentError(path, None, f"invalid YAML: {error.problem}", line) from error
        if node is not None:
            _walk(node, "", lines)
    if line_offset:
        lines = {k: v + line_offset for k, v in lines.items()}
    located = Located(path, data, lines)
    if not isinstance(data, dict):
        raise ContentError(path, None, "must be a mapping of fields", 1 + line_offset)
    return located


def read_text(path: Path) -> str:
    """The file as UTF-8 text, or a ContentError naming it."""
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise ContentError(path, None, "is not UTF-8 text") from error


def require_version(doc: Located, supported: int = 1) -> None:
    """Every content file declares its format version."""
    if doc.data.get("version") != supported:
        raise doc.error("version", f"must be {supported} (the format this app reads)")


def require_text(doc: Located, field: str, *, optional: bool = False) -> str:
    """A non-empty string field (or '' when optional and absent)."""
    value = doc.data.get(field)
    if value is None and optional:
        return ""
    if not isinstance(value, str) or not value.strip():
        raise doc.error(field, "is required and must be text")
    return value.strip()


def require_indicator(doc: Located, number: int) -> None:
    """A file of an indicator's folder: its format version, and the folder's number."""
    require_version(doc)
    if doc.data.get("indicator") != number:
        raise doc.error("indicator", f"must be {number} (the folder's number)")


def require_int(doc: Located, field: str, low: int, high: int) -> int:
    """An integer field within [low, high]."""
    value = doc.data.get(field)
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise doc.error(field, f"must be a whole number from {low} to {high}")
    return value


# Writing. Scalars are plain where that is safe, double-quoted otherwise, and multi-line
# Markdown goes in `|` blocks. Each form is checked by parsing it back, with PyYAML's own
# quoting as the fallback, so what is written reads back exactly (after the strip the readers
# apply).


def _reads_back(text: str, value: str) -> bool:
    try:
        return yaml.safe_load(f"k: {text}") == {"k": value}
    except yaml.YAMLError:
        return False


def normal(value: str) -> str:
    """Text as the readers return it: Unix line ends, stripped."""
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


def scalar(value: str, style: str = "plain") -> str:
    """One line of YAML for a string: plain when it reads back the same (style "plain"),
    else double-quoted."""
    value = normal(value)
    if style == "plain" and value and "\n" not in value and _reads_back(value, value):
        return value
    quoted = json.dumps(value, ensure_ascii=False)
    if _reads_back(quoted, value):
        return quoted
    return yaml.safe_dump(value, allow_unicode=True, default_style='"', width=float("inf")).strip()


def block(value: str, indent: int, *, short: str = "block") -> str:
    """A `|` literal block (its lines indented by `indent` spaces) for multi-line text; a
    one-line value is a block too, or double-quoted when short == "quoted"."""
    value = normal(value)
    if "\n" not in value and short == "quoted":
        return scalar(value, "quoted")
    lines = "\n".join(" " * indent + line if line else "" for line in value.split("\n"))
    text = f"|\n{lines}"
    try:  # the block sits under a key indented by indent - 2 spaces
        parsed = yaml.safe_load(" " * (indent - 2) + f"k: {text}\n")
    except yaml.YAMLError:
        parsed = None
    return text if parsed == {"k": value + "\n"} else scalar(value, "quoted")


def flow(values: dict[str, str]) -> str:
    """A one-line flow mapping of values already written as YAML scalars."""
    return "{" + ", ".join(f"{k}: {v}" for k, v in values.items()) + "}"


def file_bytes(lines: list[str]) -> bytes:
    """A file's lines, each ended by a newline, as UTF-8."""
    return ("\n".join(lines) + "\n").encode()
