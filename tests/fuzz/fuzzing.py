"""What the fuzz tests share: the bounded, reproducible Hypothesis settings, the hostile
values they send, and the checks every answer must pass.

`BMN_FUZZ_EXAMPLES` sets the examples per target; by default 25 per API operation and mode
and 5 per page or form, which keeps tests/fuzz under a minute per database. `make fuzz` runs
500. `BMN_FUZZ_TIMES=1` prints each form target's time and failures as they come.
"""

from __future__ import annotations

import os
import re

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

EXAMPLES = int(os.environ.get("BMN_FUZZ_EXAMPLES", "0"))
API_EXAMPLES = EXAMPLES or 25  # per API operation and mode
FORM_EXAMPLES = EXAMPLES or 5  # per page or form (about 175 of them)


def fuzz_settings(examples: int) -> settings:
    return settings(
        max_examples=examples,
        derandomize=True,  # the same examples on every run: CI is reproducible
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        print_blob=True,
    )


# Markup whose raw form must never come back in a page: escaped text shows `&lt;script`.
SCRIPT = "<script>bmnfz()</script>"
IMG = '"><img src=x onerror=bmnfz()>'
MARKUP = (SCRIPT, IMG, "[link](javascript:bmnfz())", "<a href=javascript:bmnfz()>x</a>")
RAW_MARKUP = re.compile(r"<script>bmnfz|<img src=x onerror|<a [^>]*href=\"?javascript:bmnfz", re.I)
# Two of them in one short text, for the example that fills every text field of a form.
MARKED = f"ทดสอบ{SCRIPT}[x](javascript:bmnfz())"

# Text that only a database error, a traceback or a debugger shows.
LEAKS = re.compile(
    r"sqlalchemy|psycopg|sqlite3|Traceback \(most recent|OperationalError|IntegrityError"
    r"|DataError|ProgrammingError|syntax error at or near|unterminated quoted|"
    r"invalid input syntax for|werkzeug\.debug",
    re.I,
)

SQL = (
    "' OR '1'='1",
    "1; DROP TABLE users; --",
    "' UNION SELECT NULL--",
    "\\'; SELECT pg_sleep(0)--",
    "%",
    "_",
    "1' AND 1=CAST('a' AS int)--",
)
EDGES = (
    "",
    " ",
    "\x00",
    "a\x00b",
    "\r\n",
    "\x1b[31m",
    "\ufeff",
    "\u202e",
    "\u200b",
    "\ud7ff",
    "\U0001f600",
    "e\u0301",
    "ﷺ",
    "Ⅻ",
    "١٢٣",
    "๑๒๓",
    "-1",
    "0",
    "-0",
    "1e309",
    "NaN",
    "inf",
    "9" * 40,
    str(2**63),
    str(-(2**63) - 1),
    "1.5",
    "0x10",
    "2024-02-30",
    "2567-13-01",
    "0000-00-00",
    "9999-12-31T23:59:59",
    "1970-01-01",
    "null",
    "true",
    "[]",
    "{}",
    "../../etc/passwd",
    "//evil.example/",
    "https://evil.example/",
    "javascript:alert(1)",
)
THAI = "กขฃคฅฆงจฉชซฌญฎฏฐฑฒณดตถทธนบปผฝพฟภมยรลวศษสหฬอฮะาำิีึืุูเแโใไๅ่้๊๋์๏๐"


def hostile_text() -> st.SearchStrategy[str]:
    """Strings a form or a query string may be sent: the lists above, Thai, control
    characters, NUL bytes, huge and negative numbers, long runs, and random Unicode."""
    return st.one_of(
        st.sampled_from(MARKUP),
        st.sampled_from(MARKUP).map(lambda markup: f"ทดสอบ {markup} **ข**"),
        st.sampled_from(SQL + EDGES),
        st.text(alphabet=THAI + " ", max_size=60),
        st.text(alphabet=st.characters(max_codepoint=0x1F), max_size=10),
        st.integers(min_value=-(2**70), max_value=2**70).map(str),
        st.sampled_from(("x", "ก", "9", "<b>")).map(lambda s: s * 5000),
        st.text(max_size=40),
        st.dates().map(str),
    )


def problems(response_text: str, status: int, mimetype: str) -> list[str]:
    """What is wrong with an answer: a 5xx, database or traceback text, or (in a page)
    raw markup."""
    found = []
    if status >= 500:
        found.append(f"status {status}")
    if leak := LEAKS.search(response_text):
        found.append(f"error text {leak.group(0)!r}")
    if mimetype == "text/html" and (markup := RAW_MARKUP.search(response_text)):
        found.append(f"raw markup {markup.group(0)!r}")
    return found
