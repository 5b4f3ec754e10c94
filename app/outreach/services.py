"""LINE groups in an officer's scope, the reminder text, and the outbox of pushed reminders."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, literal, select
from sqlalchemy.orm import Session

from ..areas.access import OutOfScope, Scope, code_range, volunteers_in_scope
from ..areas.models import ZONES
from ..auth.models import User
from ..db import utcnow
from ..errors import DomainError
from ..officers.filters import Filters
from ..readiness.models import Readiness, TrainingPlan
from ..readiness.progress import is_expired, volunteer_rows
from .line import PushResult
from .models import LineGroup, LineMessage

# LINE's Messaging API: "groupId" in a webhook event's source, "C" and 32 lowercase hex digits
# (user ids start with "U", multi-person chats with "R"); never the LINE ID people type.
GROUP_ID = re.compile(r"C[0-9a-f]{32}")
AREA_CODE_LENGTHS = (4, 6, 8)  # district, subdistrict, village
OUTBOX_LIMIT = 100
LINE_OFF = "not sent: LINE is off"
THAI_MONTHS = (
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
)  # fmt: skip


class BadGroup(DomainError):
    """A LINE group's id or area is not valid (the form shows why)."""


def is_group_id(value: str) -> bool:
    """True for a LINE group id: "C" and 32 lowercase hex digits (33 characters)."""
    return GROUP_ID.fullmatch(value) is not None


def may_use(scope: Scope, area_code: str, zone: str | None) -> bool:
    """True when the viewer may register or message a group of this area: the area lies in
    the scope; a zone's group only for admins and officers of the whole province."""
    if not scope.allows(area_code):
        return False
    return zone is None or len(scope.prefix or "") <= 2


def check_area(scope: Scope, area_code: str, zone: str | None) -> None:
    """Raise BadGroup for a malformed area, OutOfScope for one outside the viewer's scope."""
    if zone is not None:
        if zone not in ZONES or not (len(area_code) == 2 and area_code.isdigit()):
            raise BadGroup("zone")
    elif not (area_code.isdigit() and len(area_code) in AREA_CODE_LENGTHS):
        raise BadGroup("area")
    if not may_use(scope, area_code, zone):
        raise OutOfScope(area_code)


def add_group(
    session: Session,
    scope: Scope,
    *,
    area_code: str,
    zone: str | None,
    group_id: str,
    name: str,
    created_by_id: int,
) -> LineGroup:
    """Register a LINE group for an area in the viewer's scope (BadGroup, OutOfScope)."""
    if not is_group_id(group_id):
        raise BadGroup("group_id")
    check_area(scope, area_code, zone)
    group = LineGroup(
        area_code=area_code, zone=zone, group_id=group_id, name=name, created_by_id=created_by_id
    )
    session.add(group)
    session.flush()
    return group


def groups_in_scope(session: Session, scope: Scope) -> list[LineGroup]:
    """The registered (not removed) groups the viewer may message, by area."""
    prefix = scope.prefix
    if prefix is None:
        return []
    stmt = select(LineGroup).where(
        LineGroup.removed_at.is_(None), code_range(prefix, LineGroup.area_code)
    )
    if len(prefix) > 2:
        stmt = stmt.where(LineGroup.zone.is_(None))
    return list(session.scalars(stmt.order_by(LineGroup.area_code, LineGroup.id)))


def get_group(session: Session, scope: Scope, group_pk: int) -> LineGroup:
    """A registered group the viewer may message; OutOfScope (404) otherwise."""
    group = session.get(LineGroup, group_pk)
    if group is None or group.removed_at is not None:
        raise OutOfScope(group_pk)
    if not may_use(scope, group.area_code, group.zone):
        raise OutOfScope(group_pk)
    return group


def remove_group(session: Session, group: LineGroup) -> None:
    """Stop offering a group (its sent reminders stay in the outbox)."""
    group.removed_at = utcnow()


@dataclass(frozen=True)
class GroupCounts:
    """Volunteers of a group's area in the viewer's scope: registered, and not ready."""

    registered: int
    not_ready: int


def count_not_ready(
    session: Session, scope: Scope, group: LineGroup, plan: TrainingPlan | None, today: date
) -> GroupCounts:
    """How many volunteers of the group's area are registered, and how many are not ready
    under the active plan (everyone, without a plan or once it has expired)."""
    filters = Filters(zone=group.zone or "")
    counting_ready = plan is not None and not is_expired(plan, today)
    if plan is not None and counting_ready:
        stmt = volunteer_rows(plan, scope, func.count(User.id), func.count(Readiness.id))
    else:
        stmt = volunteers_in_scope(select(func.count(User.id), literal(0)), scope)
    stmt = filters.areas(stmt.where(code_range(group.area_code)), session)
    registered, ready = session.execute(stmt).one()
    return GroupCounts(registered=registered, not_ready=registered - (ready or 0))


def thai_date(day: date) -> str:
    """A date as Thai readers write it: "31 มีนาคม 2570" (Buddhist era)."""
    return f"{day.day} {THAI_MONTHS[day.month - 1]} {day.year + 543}"


def compose_reminder(area_name: str, not_ready: int, deadline: date | None, link: str) -> str:
    """The reminder's Thai text: counts only, never names."""
    lines = [f"แจ้งเตือนการอบรมอาสาสมัครจัดเก็บข้อมูล จปฐ. {area_name}"]
    if not_ready:
        lines.append(f"ยังมีอาสาสมัครอีก {not_ready} คนที่ยังไม่ผ่านการอบรม")
    else:
        lines.append("อาสาสมัครทุกคนผ่านการอบรมแล้ว ขอบคุณทุกท่าน")
    if deadline is not None:
        lines.append(f"กรุณาเรียนและทำแบบทดสอบให้ผ่านภายในวันที่ {thai_date(deadline)}")
    lines.append(f"เรียนได้ที่ {link}")
    return "\n".join(lines)


def queue_reminder(
    session: Session, group: LineGroup, text: str, created_by_id: int
) -> LineMessage:
    """An outbox row for a reminder, queued with its own retry key."""
    message = LineMessage(
        group=group,
        area_code=group.area_code,
        created_by_id=created_by_id,
        text=text,
        status="queued",
        retry_key=str(uuid.uuid4()),
    )
    session.add(message)
    session.flush()
    return message


def messages_in_scope(session: Session, scope: Scope, limit: int = OUTBOX_LIMIT) -> list:
    """The latest reminders to groups the viewer may message, newest first."""
    prefix = scope.prefix
    if prefix is None:
        return []
    stmt = (
        select(LineMessage)
        .join(LineGroup, LineGroup.id == LineMessage.group_pk)
        .where(code_range(prefix, LineMessage.area_code))
        .order_by(LineMessage.created_at.desc(), LineMessage.id.desc())
        .limit(limit)
    )
    if len(prefix) > 2:
        stmt = stmt.where(LineGroup.zone.is_(None))
    return list(session.scalars(stmt))


@dataclass(frozen=True)
class Delivery:
    """What one push needs, read before the request so no transaction stays open during it."""

    message_id: int
    to: str
    text: str
    retry_key: str


def start_delivery(session: Session, message_id: int, *, line_on: bool) -> Delivery | None:
    """The push to make for a queued message; None when there is nothing to send (already
    handled, or LINE is off, which is recorded on the message)."""
    message = session.get(LineMessage, message_id)
    if message is None or message.status != "queued":
        return None
    if not line_on:
        message.status = "off"
        message.error = LINE_OFF
        return None
    return Delivery(message.id, message.group.group_id, message.text, message.retry_key)


def finish_delivery(session: Session, message_id: int, result: PushResult) -> LineMessage:
    """Record a push's outcome on its message."""
    message = session.get_one(LineMessage, message_id)
    message.attempts += result.attempts
    message.response_code = result.status
    message.status = "sent" if result.ok else "failed"
    message.error = result.reason[:200]
    if result.ok:
        message.sent_at = utcnow()
    return message
