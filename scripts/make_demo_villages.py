"""Generate app/areas/data/nan-demo-villages.csv: 923 made-up villages at Nan's real scale.

Usage: python scripts/make_demo_villages.py [--out PATH]

Nan's 2568 campaign counted 923 villages and 113,571 households over its 99 subdistricts; the real
village list is not public here, so this script spreads that many demo villages (5-15 per
subdistrict) with made-up northern Thai names and household counts summing to exactly 113,571.
A fixed seed makes the file byte-identical on every run and machine. `flask areas load` loads it
with is_demo=True.
"""

from __future__ import annotations

import argparse
import csv
import math
import random
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
AREAS = ROOT / "app" / "areas" / "data" / "nan-areas.csv"
OUT = ROOT / "app" / "areas" / "data" / "nan-demo-villages.csv"

VILLAGES = 923
HOUSEHOLDS = 113_571
PER_SUBDISTRICT = (5, 15)
MIN_HOUSEHOLDS = 25
SEED = 5_568  # Nan's code and the campaign year: any fixed number would do

# Common northern Thai place-name stems and tails (made-up combinations, not real villages).
STEMS = [
    "ดอน", "นา", "ห้วย", "ป่า", "สบ", "ทุ่ง", "น้ำ", "หนอง", "ปง", "แม่", "ผา", "ท่า",
    "วัง", "ม่วง", "ต้น", "โป่ง", "ฝาย", "ปาง", "ร้อง", "เชียง",
]  # fmt: skip
TAILS = [
    "ใหม่", "เหนือ", "ใต้", "หลวง", "งาม", "แก้ว", "ทอง", "สัก", "ไคร้", "คำ", "ยาง", "ขาม",
    "ตึง", "เกี๋ยง", "ปุก", "ฮ่อ", "ดู่", "เย็น", "ลี่", "แดง",
]  # fmt: skip


def subdistrict_codes(path: Path) -> list[str]:
    """The subdistrict codes of the area CSV, sorted."""
    with path.open(encoding="utf-8", newline="") as handle:
        return sorted(row["subdistrict_code"] for row in csv.DictReader(handle))


def spread_villages(rng: random.Random, subdistricts: int, total: int) -> list[int]:
    """Villages per subdistrict, each within PER_SUBDISTRICT, summing to `total`."""
    low, high = PER_SUBDISTRICT
    counts = [round(rng.triangular(low, high, 9)) for _ in range(subdistricts)]
    while (diff := total - sum(counts)) != 0:
        step = 1 if diff > 0 else -1
        i = rng.randrange(subdistricts)
        if low <= counts[i] + step <= high:
            counts[i] += step
    return counts


def spread_households(rng: random.Random, villages: int, total: int) -> list[int]:
    """Households per village: a skewed spread scaled to sum to exactly `total`."""
    raw = [rng.lognormvariate(math.log(total / villages), 0.45) for _ in range(villages)]
    scale = total / sum(raw)
    counts = [max(MIN_HOUSEHOLDS, round(value * scale)) for value in raw]
    while (diff := total - sum(counts)) != 0:
        step = 1 if diff > 0 else -1
        i = rng.randrange(villages)
        if counts[i] + step >= MIN_HOUSEHOLDS:
            counts[i] += step
    return counts


def make_rows(codes: list[str], seed: int = SEED) -> list[tuple[str, int, str, int]]:
    """(village_code, moo, name_th, households) for every demo village, in code order."""
    rng = random.Random(seed)
    per_sub = spread_villages(rng, len(codes), VILLAGES)
    households = iter(spread_households(rng, VILLAGES, HOUSEHOLDS))
    combos = [stem + tail for stem in STEMS for tail in TAILS]
    rows = []
    for code, count in zip(codes, per_sub, strict=True):
        for moo, name in enumerate(rng.sample(combos, count), start=1):
            rows.append((f"{code}{moo:02d}", moo, f"บ้าน{name}", next(households)))
    return rows


def main() -> None:
    """Write the CSV."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    rows = make_rows(subdistrict_codes(AREAS))
    with args.out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["village_code", "moo", "name_th", "households"])
        writer.writerows(rows)
    print(f"{args.out}: {len(rows)} villages, {sum(r[3] for r in rows)} households")


if __name__ == "__main__":
    main()
