"""`flask content export`: the published content written back in the files `content load` reads.

Each file is written by its feature's writer (content, quizzes, media), composed in memory and
read back with the loaders' own readers (in a scratch folder) before anything is written, so an
export that would not load writes nothing; each file is then written to a temporary name and
renamed into place. Plans (content/plans) are not edited in the studio and are left alone.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..content.files import (
    Faq,
    IndicatorRow,
    Lesson,
    RecordingSpec,
    faq_md,
    indicator_csv,
    lesson_yaml,
    read_indicator_csv,
    read_recording,
    recording_yaml,
)
from ..content.models import Indicator, Recording
from ..content.recording import recording_spec
from ..content.yamlfile import ContentError
from ..errors import DomainError
from ..media.captions import normalised
from ..media.export import IMAGE_SUFFIXES, MEDIA_NAMES, TEXT_MEDIA, file_sha256, plan_media
from ..quizzes.files import (
    CHOICE_KEYS,
    TRUE_FALSE,
    Bank,
    ChoiceSpec,
    QuestionSpec,
    bank_yaml,
    record_from_data,
)
from ..quizzes.models import Question, Quiz
from ..storage import LocalStorage
from .load import read_unit, unit_numbers


class ExportError(DomainError):
    """The published content cannot be written as files that load (names what to fix)."""


@dataclass
class ExportReport:
    """What an export wrote, left as it was, removed, and could not represent."""

    written: list[Path] = field(default_factory=list)
    unchanged: int = 0
    removed: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class ExportPlan:
    """The export composed in memory; paths are relative to the export folder
    ("content/..." or "quizzes/...")."""

    texts: dict[str, bytes] = field(default_factory=dict)
    media: dict[str, str] = field(default_factory=dict)  # path -> media storage key
    # folder -> the file names it keeps; other files of the kind are removed
    faq_folders: dict[str, set[str]] = field(default_factory=dict)
    media_folders: dict[str, set[str]] = field(default_factory=dict)
    gone_banks: list[str] = field(default_factory=list)
    gone_recordings: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def indicator_row(indicator: Indicator) -> IndicatorRow:
    """An indicator's wording as a row of indicators.csv."""
    category = indicator.category
    return IndicatorRow(
        number=indicator.number,
        category=category.number if category else 0,
        category_th=category.name_th if category else "",
        category_en=category.name_en if category else "",
        title_th=indicator.title_th,
        title_en=indicator.title_en,
        target_group_th=indicator.target_group_th,
        criterion_th=indicator.criterion_th,
        status=indicator.status,
    )


def _lesson(indicator: Indicator) -> Lesson:
    return Lesson(
        indicator=indicator.number,
        measures=indicator.measures,
        target_group=indicator.target_group,
        how_to_ask=indicator.how_to_ask,
        how_to_record=indicator.how_to_record,
        pitfalls=indicator.pitfalls,
        title_th=indicator.title_th,
        title_en=indicator.title_en,
    )


def _spec(question: Question) -> QuestionSpec:
    if question.type == "truefalse":
        # "ถูก" (true) is correct exactly when the answer is true; choice a says "ถูก"
        labels = {label: value for label, value in TRUE_FALSE}
        right = next((c for c in question.choices if c.correct), None)
        answer = labels.get(right.text, right.key == "a") if right else False
        choices = tuple(
            ChoiceSpec(CHOICE_KEYS[i], label, value == answer)
            for i, (label, value) in enumerate(TRUE_FALSE)
        )
    else:
        choices = tuple(ChoiceSpec(c.key, c.text, c.correct) for c in question.choices)
    return QuestionSpec(
        question.key,
        question.type,
        question.text,
        choices,
        question.explanation,
        question.see,
        record_from_data(question.record),
    )


def _published_banks(session: Session) -> tuple[dict[int, Quiz], dict[int, list[Question]]]:
    """Quiz settings, and per indicator id the latest published version of each question in
    position order."""
    quizzes = {q.indicator_id: q for q in session.scalars(select(Quiz))}
    stmt = (
        select(Question)
        .where(Question.published.is_(True), Question.archived_at.is_(None))
        .order_by(Question.version)
        .options(selectinload(Question.choices))
    )
    latest = {(q.indicator_id, q.key): q for q in session.scalars(stmt)}
    banks: dict[int, list[Question]] = {}
    for question in sorted(latest.values(), key=lambda q: (q.position, q.id)):
        banks.setdefault(question.indicator_id, []).append(question)
    return quizzes, banks


def _csv(rows: list[IndicatorRow], existing: Path) -> bytes:
    """The indicator list; an existing file that already says the same is kept as written."""
    if existing.is_file():
        try:
            if read_indicator_csv(existing) == rows:
                return existing.read_bytes()
        except ContentError:
            pass
    return indicator_csv(rows)


def _recording(spec: RecordingSpec, candidates: list[Path]) -> bytes:
    """recording.yaml; the first existing file that already says the same is kept as written
    (so a load and an export give back the very bytes)."""
    for path in candidates:
        if path.is_file():
            try:
                if read_recording(path, spec.indicator) == spec:
                    return path.read_bytes()
            except ContentError:
                continue
    return recording_yaml(spec)


def plan_export(
    session: Session,
    content_root: Path,
    references: list[Path],
    where: Callable[[str], str] = str,
) -> ExportPlan:
    """Compose every file of the export; media keep the hashes of a reference media.yaml
    (the first of `references` holding the same files). Published media left out get a
    warning per file saying where it is kept (where: storage key -> place)."""
    plan = ExportPlan()
    stmt = (
        select(Indicator)
        .order_by(Indicator.number)
        .options(
            selectinload(Indicator.category),
            selectinload(Indicator.faq_cards),
            selectinload(Indicator.clips),
            selectinload(Indicator.infographics),
            selectinload(Indicator.recording).selectinload(Recording.items),
        )
    )
    indicators = list(session.scalars(stmt))
    rows = [indicator_row(i) for i in indicators if not i.is_basics]
    plan.texts["content/indicators.csv"] = _csv(rows, content_root / "indicators.csv")
    quizzes, banks = _published_banks(session)
    for indicator in indicators:
        unit = f"indicators/{indicator.number:02d}"
        folder = f"content/{unit}"
        lesson = None
        if indicator.has_lesson:
            lesson = lesson_yaml(_lesson(indicator), basics=indicator.is_basics)
            plan.texts[f"{folder}/lesson.yaml"] = lesson
        elif indicator.is_basics:
            continue  # without its lesson the loader skips the basics folder
        cards = [c for c in indicator.faq_cards if c.published and c.archived_at is None]
        cards.sort(key=lambda c: (c.position, c.id))
        for order, card in enumerate(cards, start=1):
            faq = Faq(card.slug, order, card.title_th, card.body)
            plan.texts[f"{folder}/faq/{card.slug}.md"] = faq_md(faq)
        plan.faq_folders[f"{folder}/faq"] = {f"{c.slug}.md" for c in cards}
        if indicator.recording is not None:
            candidates = [r / unit / "recording.yaml" for r in references]
            spec = recording_spec(indicator.recording)
            plan.texts[f"{folder}/recording.yaml"] = _recording(spec, candidates)
        else:
            plan.gone_recordings.append(f"{folder}/recording.yaml")
        row = None if indicator.is_basics else asdict(indicator_row(indicator))
        media = plan_media(indicator, [r / unit / "media" for r in references], row, lesson, where)
        plan.warnings += media.warnings
        plan.media_folders[f"{folder}/media"] = set(media.files)
        plan.media.update({f"{folder}/media/{n}": key for n, key in media.files.items()})
        if media.yaml is not None:
            plan.texts[f"{folder}/media/media.yaml"] = media.yaml
            plan.media_folders[f"{folder}/media"].add("media.yaml")
        bank_file = f"quizzes/{indicator.number:02d}.yaml"
        quiz, questions = quizzes.get(indicator.id), banks.get(indicator.id, [])
        if quiz is None or not questions:
            plan.gone_banks.append(bank_file)
            continue
        specs = tuple(_spec(q) for q in questions)
        bank = Bank(indicator.number, quiz.pass_mark, quiz.draw_size, specs)
        plan.texts[bank_file] = bank_yaml(bank)
    return plan


def _target(relative: str, content_root: Path, quiz_root: Path) -> Path:
    top, _, rest = relative.partition("/")
    return (content_root if top == "content" else quiz_root) / rest


def check_plan(
    plan: ExportPlan, storage: LocalStorage, content_root: Path, quiz_root: Path
) -> None:
    """Read the composed files back with the loaders' readers; ExportError on any problem."""
    with tempfile.TemporaryDirectory(prefix="bmn-export-") as scratch:
        root = Path(scratch)
        for relative, data in plan.texts.items():
            (root / relative).parent.mkdir(parents=True, exist_ok=True)
            (root / relative).write_bytes(data)
        for relative, key in plan.media.items():
            (root / relative).parent.mkdir(parents=True, exist_ok=True)
            (root / relative).symlink_to(storage.path(key))
        try:
            rows = read_indicator_csv(root / "content" / "indicators.csv")
            for number in unit_numbers(root / "content", rows):
                read_unit(root / "content", root / "quizzes", number)
        except ContentError as error:
            message = str(error).replace(f"{root}/content", str(content_root))
            raise ExportError(message.replace(f"{root}/quizzes", str(quiz_root))) from error


def _replace(path: Path, write: Callable[[Path], object]) -> None:
    """Write through a temporary name in the same folder, then rename: never a half file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(f".{path.name}.{uuid.uuid4().hex}.part")
    try:
        write(part)
        os.replace(part, path)
    finally:
        part.unlink(missing_ok=True)


def _same_text(path: Path, stored: Path) -> bool:
    """True when a text medium (captions) differs from the stored one in line endings only."""
    if path.suffix not in TEXT_MEDIA or not path.is_file() or not stored.is_file():
        return False
    return normalised(path.read_bytes()) == normalised(stored.read_bytes())


def _managed_media(name: str) -> bool:
    suffix = name.rsplit(".", 1)[-1]
    return name in (*MEDIA_NAMES, "media.yaml") or (
        name.startswith("infographic.") and suffix in IMAGE_SUFFIXES
    )


def write_plan(
    plan: ExportPlan, storage: LocalStorage, content_root: Path, quiz_root: Path
) -> ExportReport:
    """Write what differs, each file through a temporary name; remove what is gone."""
    report = ExportReport(warnings=list(plan.warnings))
    for relative, data in plan.texts.items():
        path = _target(relative, content_root, quiz_root)
        # A checkout with CRLF line endings says the same: its files are left as they are.
        if path.is_file() and normalised(path.read_bytes()) == normalised(data):
            report.unchanged += 1
            continue
        _replace(path, lambda part, data=data: part.write_bytes(data))
        report.written.append(path)
    for relative, key in plan.media.items():
        path = _target(relative, content_root, quiz_root)
        if file_sha256(path) == Path(key).stem or _same_text(path, storage.path(key)):
            report.unchanged += 1  # keys are <2 hex>/<sha256>.<suffix>
            continue
        _replace(path, lambda part, key=key: storage.copy_out(key, part))
        report.written.append(path)
    stale: list[Path] = []
    kinds = ((plan.faq_folders, lambda n: n.endswith(".md")), (plan.media_folders, _managed_media))
    for folders, managed in kinds:
        for relative, keep in folders.items():
            folder = _target(relative, content_root, quiz_root)
            if folder.is_dir():
                stale += [p for p in folder.iterdir() if managed(p.name) and p.name not in keep]
    gone = plan.gone_banks + plan.gone_recordings
    stale += [_target(path, content_root, quiz_root) for path in gone]
    for path in sorted(stale):
        if path.is_file():
            path.unlink()
            report.removed.append(path)
    return report


def export_content(
    session: Session,
    content_root: Path,
    quiz_root: Path,
    storage: LocalStorage,
    reference: Path | None = None,
) -> ExportReport:
    """Write the published content into content_root and quiz_root.

    Media byte for byte those named by the media.yaml in content_root (or else in
    `reference`, the folder the content was loaded from) keep its source_hash and text_hash.
    Raises ExportError, writing nothing, when the result would not load.
    """
    references = [content_root] + ([reference] if reference is not None else [])
    plan = plan_export(session, content_root, references, lambda key: str(storage.path(key)))
    check_plan(plan, storage, content_root, quiz_root)
    return write_plan(plan, storage, content_root, quiz_root)
