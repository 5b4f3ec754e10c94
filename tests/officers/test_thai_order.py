"""Names in Thai dictionary order (leading vowels sort by their consonant), in the list,
across pages, in the exports and the print-out; and mobile search typed as +66."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from sqlalchemy import select

from app.areas.access import Scope
from app.auth.models import User
from app.db import get_session, thai_sort_key
from app.officers.filters import Filters, search_digits
from app.officers.lists import readiness_page
from app.readiness.services import active_plan

from .conftest import MUEANG, MUEANG_SUB

# Dictionary order: every ก-word (consonant or vowel after it) before เก/แก/โก/ใก/ไก, all
# before ข; ไ-words sort by their consonant, not after ฮ.
DICTIONARY = [
    "กนก ทดสอบ",
    "กิตติ ทดสอบ",
    "เกษม ทดสอบ",
    "แก้ว ทดสอบ",
    "โกศล ทดสอบ",
    "ไกรสร ทดสอบ",
    "ขวัญ ทดสอบ",
    "ใจดี ทดสอบ",
    "ฉัตร ทดสอบ",
    "ไพโรจน์ ทดสอบ",
    "ฮานะ ทดสอบ",
]


def test_key_sorts_leading_vowels_by_their_consonant():
    shuffled = sorted(DICTIONARY)  # code-point order: เ แ โ ใ ไ after ฮ
    assert shuffled[-1].startswith("ไ") and shuffled != DICTIONARY
    assert sorted(shuffled, key=thai_sort_key) == DICTIONARY


@pytest.fixture
def named(app, plan, make_volunteer, village_codes) -> None:
    for name in reversed(DICTIONARY):
        make_volunteer(village_codes[MUEANG_SUB][0], name)


def _names(app, page: int, per_page: int, sort: str = "name") -> list[str]:
    with app.app_context():
        session = get_session()
        result = readiness_page(
            session,
            plan=active_plan(session),
            scope=Scope("officer", MUEANG),
            filters=Filters(),
            today=date(2026, 11, 25),
            sort=sort,
            page=page,
            per_page=per_page,
        )
        return [row.full_name for row in result.rows]


def test_list_pages_follow_thai_order_in_the_query(app, named):
    pages = [_names(app, page, 4) for page in (1, 2, 3)]
    assert [name for page in pages for name in page] == DICTIONARY
    assert _names(app, 1, 50, sort="-name") == DICTIONARY[::-1]


def test_exports_and_print_follow_thai_order(named, officer_client):
    client = officer_client(MUEANG)
    body = client.get("/officer/volunteers/export.csv").get_data().decode("utf-8-sig")
    assert [row[0] for row in list(csv.reader(io.StringIO(body)))[1:]] == DICTIONARY
    html = client.get("/officer/volunteers/print").get_data(as_text=True)
    positions = [html.index(name) for name in DICTIONARY]
    assert positions == sorted(positions)


@pytest.mark.parametrize(
    ("typed", "digits"),
    [
        ("+66 81 234 5678", "0812345678"),
        ("+66812345678", "0812345678"),
        ("+66 (0)81 234 5678", "0812345678"),
        ("66812345678", "0812345678"),
        ("081-234-5678", "0812345678"),
        ("5678", "5678"),
        ("668", "668"),
    ],
)
def test_search_digits(typed, digits):
    assert search_digits(typed) == digits


def test_list_finds_a_mobile_typed_as_plus_66(app, named, officer_client):
    with app.app_context():
        user = get_session().scalar(select(User).where(User.full_name == "ใจดี ทดสอบ"))
        phone = user.phone
    typed = f"+66 {phone[1:3]} {phone[3:6]} {phone[6:]}"
    html = officer_client(MUEANG).get("/officer/volunteers", query_string={"q": typed})
    text = html.get_data(as_text=True)
    assert "ใจดี ทดสอบ" in text and "ฮานะ ทดสอบ" not in text
