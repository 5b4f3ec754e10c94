"""How an indicator is recorded on the questionnaire: loading recording.yaml into the
database, and the trainers' confirmations of its items against the 2566-2570 manual."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from .files import RecordingItemSpec, RecordingSpec
from .models import AuditEntry, Indicator, Recording, RecordingItem
from .rules import items_hash
from .services import Changes, assign

CONFIRM_ACTION = "recording.confirm"


def upsert_recording(
    session: Session, indicator: Indicator, spec: RecordingSpec | None, changes: Changes
) -> None:
    """Copy recording.yaml onto the indicator's Recording and its items (by label); without
    a file the indicator has no recording (nothing refers to the rows, so they go)."""
    recording = session.scalar(
        select(Recording)
        .where(Recording.indicator_id == indicator.id)
        .options(selectinload(Recording.items))
    )
    if spec is None:
        if recording is not None:
            session.delete(recording)
            changes.note("recordings", False, True)
        return
    created = recording is None
    if recording is None:
        recording = Recording(indicator=indicator)
        session.add(recording)
    changed = assign(
        recording,
        edition=spec.edition,
        number_2560=spec.number_2560,
        title_2560=spec.title_2560,
        pass_rule_th=spec.pass_rule_th,
        not_assessed_th=spec.not_assessed_th,
        mistakes_th=spec.mistakes_th,
    )
    changes.note("recordings", created, changed)
    existing = {item.label: item for item in recording.items}
    for position, item in enumerate(spec.items, start=1):
        row = existing.pop(item.label, None)
        item_created = row is None
        if row is None:
            row = RecordingItem(label=item.label)
            recording.items.append(row)
        item_changed = assign(
            row,
            position=position,
            question_th=item.question_th,
            answers=list(item.answers),
            skip_rule_th=item.skip_rule_th,
        )
        changes.note("recording_items", item_created, item_changed)
    for row in existing.values():
        recording.items.remove(row)
        changes.note("recording_items", False, True)
    session.flush()


def recording_spec(recording: Recording) -> RecordingSpec:
    """A Recording row as the file it was loaded from (export writes it back)."""
    items = tuple(
        RecordingItemSpec(i.label, i.question_th, tuple(i.answers), i.skip_rule_th)
        for i in sorted(recording.items, key=lambda i: i.position)
    )
    return RecordingSpec(
        indicator=recording.indicator.number,
        edition=recording.edition,
        number_2560=recording.number_2560,
        title_2560=recording.title_2560,
        items=items,
        pass_rule_th=recording.pass_rule_th,
        not_assessed_th=recording.not_assessed_th,
        mistakes_th=recording.mistakes_th,
    )


def recording_hash(items: list[RecordingItem] | tuple[RecordingItemSpec, ...]) -> str:
    """The fingerprint a confirmation is recorded against (rows or file items alike)."""
    return items_hash((i.label, i.question_th, i.answers) for i in items)


def confirmed_recordings(session: Session) -> dict[int, set[str]]:
    """Per indicator number, the item fingerprints trainers confirmed against the manual."""
    stmt = (
        select(Indicator.number, AuditEntry.detail)
        .join(Indicator, Indicator.id == AuditEntry.indicator_id)
        .where(AuditEntry.action == CONFIRM_ACTION)
    )
    confirmed: dict[int, set[str]] = {}
    for number, detail in session.execute(stmt):
        if isinstance(detail, dict) and detail.get("items_hash"):
            confirmed.setdefault(number, set()).add(detail["items_hash"])
    return confirmed
