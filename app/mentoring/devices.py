"""Volunteers' devices (ต3): what each says they use, the check their phone ran with their
consent, and, for officers, who in each village lacks a usable device."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..areas.access import Scope
from ..errors import DomainError
from ..officers.filters import Filters
from ..readiness.models import TrainingPlan
from . import rules
from .models import DEVICE_KINDS, Device
from .services import _devices, scoped_volunteers

# A browser summary keeps letters, digits, spaces and a few signs, 40 characters at most.
_SUMMARY = re.compile(r"[^A-Za-z0-9 ./()_-]")


class BadDevice(DomainError):
    """An unknown device kind, a check without consent, or a check without results."""


def get_device(session: Session, user_id: int) -> Device | None:
    """The volunteer's own device record, if any."""
    return session.get(Device, user_id)


def save_device(session: Session, *, user_id: int, kind: str, now: datetime) -> Device:
    """Record which device the volunteer uses (own smartphone, shared, none)."""
    if kind not in DEVICE_KINDS:
        raise BadDevice(kind)
    device = session.get(Device, user_id)
    if device is None:
        device = Device(user_id=user_id, kind=kind)
        session.add(device)
    if device.kind != kind:  # a new device: the old check says nothing about it
        device.checked_at = device.browser = device.free_mb = None
        device.offline_ok = device.check_ok = None
    device.kind = kind
    device.updated_at = now
    session.flush()
    return device


def save_check(
    session: Session,
    *,
    user_id: int,
    consent: bool,
    browser: str,
    free_mb: int | None,
    offline_ok: bool,
    min_free_mb: int,
    now: datetime,
) -> Device:
    """Record the summary the volunteer's phone posted (only with their consent): the
    device is then their own smartphone, the one the check ran on."""
    if not consent:
        raise BadDevice("consent")
    summary = _SUMMARY.sub("", browser or "").strip()[:40]
    if not summary:
        raise BadDevice("empty")
    device = session.get(Device, user_id) or Device(user_id=user_id, kind="own")
    if device not in session:
        session.add(device)
    device.kind = device.kind if device.kind in ("own", "shared") else "own"
    device.browser = summary
    device.free_mb = None if free_mb is None else max(int(free_mb), 0)
    device.offline_ok = offline_ok
    device.check_ok = rules.check_passes(device.free_mb, offline_ok, min_free_mb)
    device.checked_at = device.updated_at = now
    session.flush()
    return device


@dataclass
class VillageDevices:
    """One village's volunteers without a usable device, and those who have not said."""

    code: str
    label: str
    registered: int
    usable: int
    lacking: list[tuple[int, str, str]]  # (user id, name, why in Thai)
    unknown: list[tuple[int, str]]


def _why(device: Device) -> str:
    if device.kind == "none":
        return "ไม่มีอุปกรณ์"
    if device.kind == "shared":
        return "ใช้เครื่องร่วมกับผู้อื่น"
    return "เครื่องไม่ผ่านการตรวจ"


def device_gaps(
    session: Session, *, plan: TrainingPlan | None, scope: Scope, filters: Filters, today: date
) -> list[VillageDevices]:
    """Per village in scope (with volunteers), who lacks a usable device (none, shared, a
    failed check) and who has not recorded one: the villages with most gaps first."""
    people = scoped_volunteers(session, plan, scope, filters, today)
    devices = _devices(session, [row[0] for row in people])
    villages: dict[str, VillageDevices] = {}
    for uid, name, _phone, _created, _vid, code, moo, vname, _sub, _ready in people:
        entry = villages.setdefault(code, VillageDevices(code, f"หมู่ {moo} {vname}", 0, 0, [], []))
        entry.registered += 1
        device = devices.get(uid)
        usable = rules.usable_device(device.kind if device else None, _ok(device))
        if usable is None:
            entry.unknown.append((uid, name))
        elif usable:
            entry.usable += 1
        else:
            entry.lacking.append((uid, name, _why(device)))  # type: ignore[arg-type]
    return sorted(villages.values(), key=lambda v: (-len(v.lacking), -len(v.unknown), v.code))


def _ok(device: Any) -> bool | None:
    return device.check_ok if device is not None else None


def device_kinds(session: Session, user_ids: list[int]) -> dict[int, str]:
    """{user id: device kind} (for tests and summaries)."""
    stmt = select(Device.user_id, Device.kind).where(Device.user_id.in_(user_ids))
    return dict(session.execute(stmt).all())
