#!/usr/bin/env python3
"""Write content/indicators/NN/recording.yaml for every carried-over indicator, from the
2560-2564 questionnaire (shared/data/bmn-2560-questionnaire.csv; see shared/data/SOURCES.md).

The generated part (version, indicator, edition, number_2560, title_2560, items) is taken from
the CSV exactly: items in CSV order, each answers_th split on " | ", skip_rule_th only where the
CSV has one. The hand-written Thai text (pass_rule_th, not_assessed_th, mistakes_th) already in a
file is kept, so the script can be run again at any time; a new file gets them empty.

    python3 scripts/make_recording_files.py            # write the 31 files
    python3 scripts/make_recording_files.py --check    # verify them, write nothing

The script refuses (exit 2, naming the CSV line) when the CSV is malformed, and --check fails
(exit 1, listing every problem) when a file's items differ from the CSV, a carried-over
indicator has no file, a provisional one has one, or a text field is missing.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the app's own definition of the questionnaire's columns

from app.content.files import ANSWER_SEPARATOR as SEPARATOR  # noqa: E402
from app.content.files import QUESTIONNAIRE_COLUMNS as COLUMNS  # noqa: E402

DEFAULT_CSV = ROOT.parent / "shared" / "data" / "bmn-2560-questionnaire.csv"
DEFAULT_INDICATORS = ROOT / "content" / "indicators.csv"
INDICATORS_DIR = ROOT / "content" / "indicators"

EDITION = "2560-2564"
HEAD_KEYS = ("version", "indicator", "edition", "number_2560", "title_2560", "items")
TEXT_KEYS = ("pass_rule_th", "not_assessed_th", "mistakes_th")
REQUIRED_TEXT = ("pass_rule_th", "mistakes_th")  # not_assessed_th is "" when always assessed
ITEM_KEYS = ("item", "question_th", "answers_th", "skip_rule_th")


class Refusal(Exception):
    """The input is malformed; the message says where."""


@dataclass
class Indicator:
    number: int
    number_2560: int
    title_2560: str
    first_line: int
    items: list[dict] = field(default_factory=list)


# ---------------------------------------------------------------- reading the CSVs


def read_statuses(path: Path) -> dict[int, str]:
    """indicator number -> status, from the indicator list."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if (
            not reader.fieldnames
            or "number" not in reader.fieldnames
            or "status" not in reader.fieldnames
        ):
            raise Refusal(f"{path}: needs the columns number and status")
        statuses: dict[int, str] = {}
        for raw in reader:
            where = f"{path}:{reader.line_num}"
            if not (raw["number"] or "").isdigit():
                raise Refusal(f"{where}: number {raw['number']!r} is not a whole number")
            statuses[int(raw["number"])] = raw["status"] or ""
    return statuses


def read_questionnaire(path: Path, statuses: dict[int, str]) -> dict[int, Indicator]:
    """The CSV's rows grouped by this project's indicator number, in file order; refuses a
    malformed CSV with a message naming the line, the number and the item."""
    indicators: dict[int, Indicator] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames != COLUMNS:
            raise Refusal(
                f"{path}:1: the columns must be {','.join(COLUMNS)} (found {reader.fieldnames})"
            )
        previous = None
        end = 1  # the physical line where the previous row ended (fields may span lines)
        for raw in reader:
            start, end = end + 1, reader.line_num
            where = f"{path}:{start}"
            if None in raw:
                raise Refusal(f"{where}: more fields than the {len(COLUMNS)} columns")
            missing = [c for c in COLUMNS if raw.get(c) is None]
            if missing:
                raise Refusal(f"{where}: missing field(s) {', '.join(missing)}")
            where = f"{where} (number {raw['number']!r}, item {raw['item']!r})"
            for column in COLUMNS:
                value = raw[column]
                if value != value.strip() or "\r" in value:
                    raise Refusal(f"{where}: {column} has leading or trailing white space")
            if not raw["number"].isdigit():
                raise Refusal(f"{where}: number must be a whole number")
            number = int(raw["number"])
            if number not in statuses:
                raise Refusal(f"{where}: number {number} is not in the indicator list")
            if statuses[number] != "carried-over":
                raise Refusal(
                    f"{where}: indicator {number} is {statuses[number]!r}, not carried-over"
                )
            if not raw["number_2560"].isdigit() or not 1 <= int(raw["number_2560"]) <= 99:
                raise Refusal(f"{where}: number_2560 must be a whole number 1-99")
            for column in ("title_2560", "question_th", "pass_rule_th", "source"):
                if not raw[column]:
                    raise Refusal(f"{where}: {column} is empty")
            answers = raw["answers_th"].split(SEPARATOR) if raw["answers_th"] else []
            for position, answer in enumerate(answers, start=1):
                if not answer or answer != answer.strip() or "|" in answer:
                    raise Refusal(
                        f"{where}: answers_th option {position} is empty or badly separated "
                        f"(options are separated by {SEPARATOR!r})"
                    )
            indicator = indicators.get(number)
            if indicator is None:
                indicator = indicators[number] = Indicator(
                    number, int(raw["number_2560"]), raw["title_2560"], start
                )
            elif previous != number:
                raise Refusal(
                    f"{where}: the rows of indicator {number} are not together "
                    f"(it started at line {indicator.first_line})"
                )
            if (
                int(raw["number_2560"]) != indicator.number_2560
                or raw["title_2560"] != indicator.title_2560
            ):
                raise Refusal(
                    f"{where}: number_2560/title_2560 differ from the indicator's first row "
                    f"(line {indicator.first_line})"
                )
            if any(item["item"] == raw["item"] for item in indicator.items):
                raise Refusal(
                    f"{where}: item label {raw['item']!r} is used twice in indicator {number}"
                )
            item = {"item": raw["item"], "question_th": raw["question_th"], "answers_th": answers}
            if raw["skip_rule_th"]:
                item["skip_rule_th"] = raw["skip_rule_th"]
            indicator.items.append(item)
            previous = number
    carried = sorted(n for n, s in statuses.items() if s == "carried-over")
    lacking = [n for n in carried if n not in indicators]
    if lacking:
        raise Refusal(f"{path}: no rows for the carried-over indicator(s) {lacking}")
    return indicators


# ---------------------------------------------------------------- writing YAML


def _reads_back(text: str, value) -> bool:
    try:
        return yaml.safe_load(f"k: {text}\n") == {"k": value}
    except yaml.YAMLError:
        return False


def quoted(value: str) -> str:
    """A double-quoted YAML scalar that reads back exactly."""
    text = json.dumps(value, ensure_ascii=False)
    if _reads_back(text, value):
        return text
    text = yaml.safe_dump(value, allow_unicode=True, default_style='"', width=float("inf")).strip()
    assert _reads_back(text, value), value
    return text


def literal(value: str) -> str:
    """Hand-written Markdown as a `|` block (indented 2), "" when empty; double-quoted when a
    block would not read back the same text."""
    if not value.strip():
        return '""'
    body = value.rstrip("\n")
    text = "|\n" + "\n".join("  " + line if line else "" for line in body.split("\n"))
    if _reads_back(text, body + "\n") and value == body + "\n":
        return text
    return quoted(value)


def render(indicator: Indicator, texts: dict[str, str]) -> str:
    lines = [
        "version: 1",
        f"indicator: {indicator.number}",
        f"edition: {quoted(EDITION)}",
        f"number_2560: {indicator.number_2560}",
        f"title_2560: {quoted(indicator.title_2560)}",
        "items:",
    ]
    for item in indicator.items:
        answers = ", ".join(quoted(a) for a in item["answers_th"])
        lines += [
            f"  - item: {quoted(item['item'])}",
            f"    question_th: {quoted(item['question_th'])}",
            f"    answers_th: [{answers}]",
        ]
        if "skip_rule_th" in item:
            lines.append(f"    skip_rule_th: {quoted(item['skip_rule_th'])}")
    for key in TEXT_KEYS:
        lines.append(f"{key}: {literal(texts.get(key, ''))}")
    return "\n".join(lines) + "\n"


def expected_head(indicator: Indicator) -> dict:
    return {
        "version": 1,
        "indicator": indicator.number,
        "edition": EDITION,
        "number_2560": indicator.number_2560,
        "title_2560": indicator.title_2560,
        "items": indicator.items,
    }


# ---------------------------------------------------------------- existing files


def recording_path(number: int) -> Path:
    return INDICATORS_DIR / f"{number:02d}" / "recording.yaml"


def load_existing(path: Path, number: int) -> dict | None:
    """The parsed file, or None when there is none; refuses one that is not a recording file of
    this indicator (so its hand-written text is never silently lost)."""
    if not path.exists():
        return None
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise Refusal(f"{path}: not valid YAML ({error}); fix it by hand first") from error
    if not isinstance(data, dict):
        raise Refusal(f"{path}: must be a YAML mapping")
    unknown = sorted(set(data) - set(HEAD_KEYS) - set(TEXT_KEYS))
    if unknown:
        raise Refusal(
            f"{path}: unknown field(s) {unknown}; move their text into {', '.join(TEXT_KEYS)}"
        )
    if data.get("indicator") != number:
        raise Refusal(f"{path}: indicator is {data.get('indicator')!r}, expected {number}")
    for key in TEXT_KEYS:
        if data.get(key) is not None and not isinstance(data[key], str):
            raise Refusal(f"{path}: {key} must be text")
    return data


def texts_of(data: dict | None) -> dict[str, str]:
    return {key: (data or {}).get(key) or "" for key in TEXT_KEYS}


# ---------------------------------------------------------------- commands


def write(indicators: dict[int, Indicator], statuses: dict[int, str]) -> int:
    plan = []
    for number, indicator in sorted(indicators.items()):
        path = recording_path(number)
        plan.append((path, render(indicator, texts_of(load_existing(path, number)))))
    stray = [
        n for n, s in sorted(statuses.items()) if s != "carried-over" and recording_path(n).exists()
    ]
    if stray:
        raise Refusal(
            f"recording.yaml exists for non-carried-over indicator(s) {stray}; remove it by hand"
        )
    changed = 0
    for path, text in plan:  # everything was read and rendered before anything is written
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            changed += 1
    print(f"{len(plan)} recording files, {changed} written, {len(plan) - changed} unchanged")
    return 0


def check(indicators: dict[int, Indicator], statuses: dict[int, str]) -> int:
    problems: list[str] = []
    for number, status in sorted(statuses.items()):
        path = recording_path(number)
        if status != "carried-over":
            if path.exists():
                problems.append(
                    f"{path}: indicator {number} is {status}; it must have no recording file"
                )
            continue
        if not path.exists():
            problems.append(f"{path}: missing (indicator {number} is carried-over)")
            continue
        try:
            data = load_existing(path, number)
        except Refusal as refusal:
            problems.append(str(refusal))
            continue
        before = len(problems)
        indicator = indicators[number]
        head = expected_head(indicator)
        for key in HEAD_KEYS[:-1]:
            if data.get(key) != head[key]:
                problems.append(f"{path}: {key} is {data.get(key)!r}, the CSV gives {head[key]!r}")
        items = data.get("items")
        if not isinstance(items, list):
            problems.append(f"{path}: items must be a list")
            items = []
        if len(items) != len(indicator.items):
            problems.append(f"{path}: {len(items)} items, the CSV has {len(indicator.items)}")
        for index, (got, want) in enumerate(zip(items, indicator.items, strict=False)):
            if not isinstance(got, dict) or set(got) - set(ITEM_KEYS):
                problems.append(
                    f"{path}: items[{index}] must be a mapping of {', '.join(ITEM_KEYS)}"
                )
                continue
            for key in ITEM_KEYS:
                if got.get(key) != want.get(key):
                    problems.append(
                        f"{path}: items[{index}] (item {want['item']!r}) {key} is "
                        f"{got.get(key)!r}, the CSV gives {want.get(key)!r}"
                    )
        for key in TEXT_KEYS:
            if key not in data or not isinstance(data[key], str):
                problems.append(f'{path}: {key} is missing (use "" for none)')
            elif key in REQUIRED_TEXT and not data[key].strip():
                problems.append(f"{path}: {key} is empty")
            elif " : " in data[key]:
                problems.append(f"{path}: {key} has ' : ' (write the question without it)")
        if len(problems) == before:
            if path.read_text(encoding="utf-8") != render(indicator, texts_of(data)):
                problems.append(
                    f"{path}: not as the generator writes it; run scripts/make_recording_files.py"
                )
    for problem in problems:
        print(problem, file=sys.stderr)
    carried = sum(1 for s in statuses.values() if s == "carried-over")
    print(f"checked {carried} carried-over indicators against the CSV: {len(problems)} problem(s)")
    return 1 if problems else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="verify the files, write nothing")
    parser.add_argument(
        "--csv", type=Path, default=DEFAULT_CSV, help="the 2560-2564 questionnaire CSV"
    )
    parser.add_argument(
        "--indicators", type=Path, default=DEFAULT_INDICATORS, help="the indicator list"
    )
    args = parser.parse_args(argv)
    try:
        statuses = read_statuses(args.indicators)
        indicators = read_questionnaire(args.csv, statuses)
        return check(indicators, statuses) if args.check else write(indicators, statuses)
    except Refusal as refusal:
        print(f"refused: {refusal}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
