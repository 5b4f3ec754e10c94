"""Re-uploading a list with a few new names: people registered in the same village already
are skipped when the officer asks, instead of every row being refused."""

from __future__ import annotations

import io

from .conftest import MUEANG, new_id
from .test_import import (
    URL,
    add_volunteer,
    count_volunteers,
    csv_bytes,
    mueang,  # noqa: F401 - fixture
    problems,
    token,
)


def upload(client, data: bytes, skip: bool):
    form = {"file": (io.BytesIO(data), "volunteers.csv")}
    if skip:
        form["skip_registered"] = "y"
    return client.post(URL, data=form, content_type="multipart/form-data")


def _confirm(client, page: str):
    skip = 'name="skip_registered" type="hidden" value="1"' in page or (
        'type="hidden" name="skip_registered" value="1"' in page
    )
    return client.post(URL, data={"token": token(page), "skip_registered": "1" if skip else ""})


def test_reupload_skips_people_registered_in_the_same_village(app, officer_client, mueang):  # noqa: F811
    here, there, _pua = mueang
    officer = officer_client(MUEANG)
    known_id = new_id()
    first = [
        ["หนึ่ง ทดสอบ", "0899580001", "osm", here, known_id],
        ["สอง ทดสอบ", "0899580002", "osm", here, ""],
        ["สาม ทดสอบ", "0899580003", "osm", there, ""],
    ]
    page = upload(officer, csv_bytes(first), skip=False).get_data(as_text=True)
    assert _confirm(officer, page).status_code == 200
    assert count_volunteers(app) == 3
    again = [
        ["หนึ่ง ทดสอบ", "0899589999", "osm", here, known_id],  # same ID, new mobile
        *first[1:],
        ["สี่ ใหม่", "0899580004", "osm", here, ""],
        ["ห้า ใหม่", "0899580005", "kpsm", there, ""],
    ]
    refused = upload(officer, csv_bytes(again), skip=False).get_data(as_text=True)
    assert set(problems(refused)) == {2, 3, 4}  # without the option: refused as before
    page = upload(officer, csv_bytes(again), skip=True).get_data(as_text=True)
    assert problems(page) == {}
    assert "Import 2 volunteers" in page
    assert "3 people are registered in their villages already and will be skipped." in page
    response = _confirm(officer, page)
    assert response.status_code == 200
    assert count_volunteers(app) == 5


def test_someone_registered_in_another_village_is_still_refused(app, officer_client, mueang):  # noqa: F811
    here, there, _pua = mueang
    add_volunteer(app, "0899580010")  # in the first village of the area fixture
    rows = [["สิบ ย้าย", "0899580010", "osm", there, ""], ["ใหม่ จริง", "0899580011", "osm", here, ""]]
    page = upload(officer_client(MUEANG), csv_bytes(rows), skip=True).get_data(as_text=True)
    assert problems(page) == {2: {"mobile_registered"}}


def test_a_file_of_registered_people_only_has_nothing_to_import(app, officer_client, mueang):  # noqa: F811
    here, _there, _pua = mueang
    officer = officer_client(MUEANG)
    rows = [["หนึ่ง ทดสอบ", "0899580021", "osm", here, ""]]
    _confirm(officer, upload(officer, csv_bytes(rows), skip=False).get_data(as_text=True))
    page = upload(officer, csv_bytes(rows), skip=True).get_data(as_text=True)
    assert 'name="token"' not in page
    assert count_volunteers(app) == 1
