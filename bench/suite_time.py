"""How long the whole test suite takes, on SQLite and (when reachable) PostgreSQL.

    python bench/suite_time.py                    # this checkout: `make test` on both databases
    python bench/suite_time.py --baseline 668185a # and an earlier revision, in the same run

The earlier revision is checked out in a temporary git worktree (sharing this checkout's
.venv) and run with its own test command (`python -m pytest`, which reads its own pyproject),
so the two figures come from the same machine in the same run; timings on a shared machine
are noisy, compare their ratio. Prints wall-clock seconds and the pytest summary line.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def postgres_up() -> bool:
    """True when PostgreSQL answers on 127.0.0.1:5432."""
    if shutil.which("pg_isready") is None:
        return False
    return subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1", "-p", "5432"]).returncode == 0


def timed(command: list[str], cwd: Path, database_url: str | None) -> tuple[float, str]:
    """Run a test command; return (seconds, its pytest summary line)."""
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    lines = [line for line in done.stdout.splitlines() if re.search(r"\d+ (passed|failed)", line)]
    summary = lines[-1].strip("= ") if lines else f"exit {done.returncode}: no summary"
    return seconds, summary


def baseline_tree(rev: str, into: Path) -> Path:
    """A worktree of `rev` beside nothing else, using this checkout's .venv."""
    tree = into / "baseline"
    subprocess.run(
        ["git", "worktree", "add", "--detach", str(tree), rev], cwd=ROOT, check=True,
        capture_output=True,
    )  # fmt: skip
    (tree / ".venv").symlink_to(ROOT / ".venv")
    subprocess.run(
        [str(ROOT / ".venv/bin/pybabel"), "compile", "--use-fuzzy", "-d", "app/translations"],
        cwd=tree, check=True, capture_output=True,
    )  # fmt: skip
    return tree


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", help="an earlier revision to time in the same run")
    args = parser.parse_args()
    databases = [("SQLite", None)] + ([("PostgreSQL", PG_URL)] if postgres_up() else [])
    python = str(ROOT / ".venv/bin/python")
    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        trees = [("this checkout", ROOT, ["make", "test", "PYTEST_ARGS=-p no:cacheprovider -q"])]
        if args.baseline:
            tree = baseline_tree(args.baseline, Path(tmp))
            trees.insert(
                0, (args.baseline, tree, [python, "-m", "pytest", "-p", "no:cacheprovider", "-q"])
            )
        try:
            for label, cwd, command in trees:
                for database, url in databases:
                    seconds, summary = timed(command, cwd, url)
                    runs.append((label, database, seconds, summary))
                    print(f"{label:<14} {database:<10} {seconds:7.0f} s   {summary}", flush=True)
        finally:
            if args.baseline:
                subprocess.run(
                    ["git", "worktree", "remove", "--force", str(Path(tmp) / "baseline")],
                    cwd=ROOT, capture_output=True,
                )  # fmt: skip
    if args.baseline:
        for database, _url in databases:
            before = next(s for label, d, s, _ in runs if d == database and label == args.baseline)
            after = next(s for label, d, s, _ in runs if d == database and label != args.baseline)
            print(f"{database}: {before / after:.1f} times faster")
    return 0


if __name__ == "__main__":
    sys.exit(main())
