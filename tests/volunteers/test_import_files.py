"""The kept import file (it holds full ID card numbers): private to the app's user, gone as
soon as the import reads it, and never kept longer than an hour."""

from __future__ import annotations

import os
import stat
import time

import pytest

from app.volunteers import importfile

from ..conftest import thai
from .conftest import MUEANG, MUEANG_SUB, new_id
from .test_import import URL, count_volunteers, csv_bytes, token, upload


@pytest.fixture
def mueang(village_codes):
    """A village code in Mueang (as the import tests' fixture of the same name)."""
    return village_codes[MUEANG_SUB][0], None, None


def kept(folder) -> list:
    return sorted(folder.glob("*")) if folder.exists() else []


def checked(officer_client, mueang, phone: str = "0899630001"):
    """An officer's client after a clean dry run, and the token of its kept file."""
    here, _, _ = mueang
    officer = officer_client(MUEANG)
    rows = [["ก ข", phone, "osm", here, new_id()]]
    page = upload(officer, csv_bytes(rows)).get_data(as_text=True)
    return officer, token(page)


def test_the_kept_file_is_readable_by_the_app_only(officer_client, mueang, import_folder):
    checked(officer_client, mueang)
    (path,) = kept(import_folder)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_the_file_is_created_private_not_narrowed_afterwards(tmp_path, monkeypatch):
    """os.open gets mode 0600 and O_EXCL: no moment where the file is wider."""
    calls = []
    real_open = os.open

    def spy(path, flags, mode=0o777, *args, **kwargs):
        calls.append((flags, mode))
        return real_open(path, flags, mode, *args, **kwargs)

    monkeypatch.setattr(importfile.os, "open", spy)
    importfile.save_upload(tmp_path, 1, b"data")
    ((flags, mode),) = calls
    assert flags & os.O_EXCL and flags & os.O_CREAT and mode == 0o600


def test_the_file_is_gone_after_a_successful_import(app, officer_client, mueang, import_folder):
    officer, kept_token = checked(officer_client, mueang)
    response = officer.post(URL, data={"token": kept_token})
    assert response.status_code == 200
    assert count_volunteers(app) == 1
    assert kept(import_folder) == []


def test_the_file_is_gone_after_a_refused_import(app, officer_client, mueang, import_folder):
    from .test_import import add_volunteer

    officer, kept_token = checked(officer_client, mueang, phone="0899630002")
    add_volunteer(app, "0899630002")  # registered between the dry run and the import
    assert officer.post(URL, data={"token": kept_token}).status_code == 409
    assert kept(import_folder) == []
    # Sending the confirmation again finds nothing to import.
    response = officer.post(URL, data={"token": kept_token})
    assert response.status_code == 302
    assert count_volunteers(app) == 1


def test_a_file_over_an_hour_old_is_refused_and_deleted(
    app, officer_client, mueang, import_folder, monkeypatch
):
    officer, kept_token = checked(officer_client, mueang)
    later = time.time() + importfile.KEEP_SECONDS + 1
    monkeypatch.setattr(importfile, "clock", lambda: later)
    officer.post("/language", data={"lang": "th"})
    response = officer.post(URL, data={"token": kept_token})
    assert response.status_code == 302
    page = officer.get(URL).get_data(as_text=True)
    assert thai(app, "The file has expired. Please upload it again.") in page
    assert "ไฟล์หมดอายุ กรุณาอัปโหลดใหม่" in page
    assert kept(import_folder) == []
    assert count_volunteers(app) == 0


def test_a_file_under_an_hour_old_still_imports(app, officer_client, mueang, monkeypatch):
    officer, kept_token = checked(officer_client, mueang)
    later = time.time() + importfile.KEEP_SECONDS - 60
    monkeypatch.setattr(importfile, "clock", lambda: later)
    assert officer.post(URL, data={"token": kept_token}).status_code == 200
    assert count_volunteers(app) == 1


def test_old_files_are_swept_when_another_is_saved(
    officer_client, mueang, import_folder, monkeypatch
):
    checked(officer_client, mueang, phone="0899630003")
    later = time.time() + importfile.KEEP_SECONDS + 1
    monkeypatch.setattr(importfile, "clock", lambda: later)
    checked(officer_client, mueang, phone="0899630004")
    assert len(kept(import_folder)) == 1  # only the new one


def test_the_purge_command_deletes_files_over_an_hour_old(app, runner, import_folder):
    import_folder.mkdir(parents=True)
    old, fresh = import_folder / "1-old.upload", import_folder / "1-fresh.upload"
    old.write_bytes(b"x")
    fresh.write_bytes(b"y")
    an_hour_ago = time.time() - importfile.KEEP_SECONDS - 5
    os.utime(old, (an_hour_ago, an_hour_ago))
    result = runner.invoke(args=["volunteers", "purge-imports"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("1 ")
    assert kept(import_folder) == [fresh]
