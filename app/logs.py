"""Logs without personal data: every log record, whichever logger writes it (the app's,
Werkzeug's access log, gunicorn's, SQLAlchemy's), is masked before any handler sees it:
Thai mobile numbers, 13-digit ID numbers, long digit runs, every query-string value and the
code in the path of the code routes (/check/<code>, /join/<code> ...). Statement parameters
are hidden by the engine (db.engine_options), and no view logs a form body."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask

MASK = "***"
# Mobile numbers (0X XXXX XXXX, +66 X XXXX XXXX, with or without dashes and spaces),
# 13-digit ID numbers (1-2345-67890-12-3) and any other run of 9 or more digits.
PHONE = re.compile(r"(?<![\w+])(?:\+?66[-\s]?|0)[1-9](?:[-\s]?\d){7,8}(?!\d)")
NATIONAL_ID = re.compile(r"(?<!\d)\d(?:[-\s]?\d){12}(?!\d)")
DIGITS = re.compile(r"(?<!\d)\d{9,}(?!\d)")
# Every query-string value: ?code=..., ?q=0812345678, ?phone=... (an officer's search).
QUERY_VALUE = re.compile(r"([?&][^=&\s\"'#]+=)[^&\s\"'#]*")
# Route arguments that hold a secret or personal value, wherever they sit in a path.
SENSITIVE_ARGUMENTS = frozenset({"code", "token", "phone", "national_id", "q"})
# Loggers whose handlers get the filter too (the record factory covers the rest).
LOGGERS = ("", "werkzeug", "gunicorn.error", "gunicorn.access", "sqlalchemy", "huey")

SEGMENT = r"[^/?\s\"'#]+"
_code_paths: list[re.Pattern[str]] = []


def code_path_patterns(rules: Iterable[str]) -> list[re.Pattern[str]]:
    """For each URL rule with a sensitive argument ("/check/<code>",
    "/certificates/<level>/<code>"), a pattern whose groups keep everything but that
    argument's path segment."""
    patterns = []
    for rule in rules:
        regex, found = "", False
        for part in re.split(r"(<[^>]+>)", rule):
            if not part.startswith("<"):
                regex += re.escape(part)
            elif part[1:-1].split(":")[-1] in SENSITIVE_ARGUMENTS and not found:
                regex = "(" + regex + ")" + SEGMENT
                found = True
                break
            else:
                regex += SEGMENT
        if found:
            patterns.append(re.compile(regex))
    return patterns


def mask(text: str) -> str:
    """The text with personal data and secrets replaced by ***."""
    for pattern in _code_paths:
        text = pattern.sub(r"\1" + MASK, text)
    text = QUERY_VALUE.sub(r"\1" + MASK, text)
    text = NATIONAL_ID.sub(MASK, text)
    text = PHONE.sub(MASK, text)
    return DIGITS.sub(MASK, text)


class PersonalDataFilter(logging.Filter):
    """Rewrite a record's message (and its traceback) masked; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Mask in place, once per record."""
        if getattr(record, "_bmn_masked", False):
            return True
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a bad format string: keep the raw text only
            message = str(record.msg)
        record.msg, record.args = mask(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask(record.exc_text)
        if record.stack_info:
            record.stack_info = mask(record.stack_info)
        record._bmn_masked = True  # type: ignore[attr-defined]
        return True


FILTER = PersonalDataFilter()


def _masking_factory(original: Callable[..., logging.LogRecord]) -> Callable[..., Any]:
    def make(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = original(*args, **kwargs)
        FILTER.filter(record)
        return record

    make._bmn_masking = True  # type: ignore[attr-defined]
    return make


def install(rules: Iterable[str] = ()) -> None:
    """Mask every record from now on: a record factory (all loggers, handlers added later
    included), and the filter on the handlers and loggers present (records made before)."""
    global _code_paths
    if rules:
        _code_paths = code_path_patterns(rules)
    factory = logging.getLogRecordFactory()
    if not getattr(factory, "_bmn_masking", False):
        logging.setLogRecordFactory(_masking_factory(factory))
    engine = logging.getLogger("sqlalchemy.engine")
    if engine.level == logging.NOTSET:
        # Statements' result rows are logged at DEBUG (names, mobiles): never by inheriting
        # a DEBUG root level; an operator may still set this logger's level on purpose.
        engine.setLevel(logging.WARNING)
    for name in LOGGERS:
        logger = logging.getLogger(name)
        if FILTER not in logger.filters:
            logger.addFilter(FILTER)
        for handler in logger.handlers:
            if FILTER not in handler.filters:
                handler.addFilter(FILTER)


def init_app(app: Flask) -> None:
    """Install the masking with the app's code routes (call after the URL map is built)."""
    install(rule.rule for rule in app.url_map.iter_rules())
