"""Content files with Windows line endings (CRLF, as a Windows checkout gives them): a load,
an export and a load again report no change, and the export writes nothing."""

from __future__ import annotations

from pathlib import Path

from app.content_io.check import check_content

TEXT_SUFFIXES = (".yaml", ".md", ".csv", ".vtt")


def _to_crlf(root: Path) -> int:
    """Rewrite every text file under root with CRLF line endings; how many."""
    count = 0
    for path in root.rglob("*"):
        if path.is_file() and path.suffix in TEXT_SUFFIXES:
            data = path.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
            path.write_bytes(data)
            count += 1
    return count


def test_a_crlf_checkout_round_trips_without_a_change(app, runner, content_copy):
    content, quizzes = content_copy
    assert _to_crlf(content) + _to_crlf(quizzes) > 100
    first = runner.invoke(args=["content", "load"])
    assert first.exit_code == 0, first.output
    export = runner.invoke(args=["content", "export"])
    assert export.exit_code == 0, export.output
    assert "export: 0 written" in export.output and "0 removed" in export.output
    assert b"\r\n" in (content / "indicators.csv").read_bytes()  # left as the checkout has it
    again = runner.invoke(args=["content", "load"])
    assert again.output.strip() == "content: no changes"
    assert all(not r.gaps for r in check_content(content, quizzes))  # media not "older"


def test_the_same_content_with_other_line_endings_loads_as_no_change(app, runner, content_copy):
    content, quizzes = content_copy
    assert runner.invoke(args=["content", "load"]).exit_code == 0
    _to_crlf(content)
    _to_crlf(quizzes)
    again = runner.invoke(args=["content", "load"])
    assert again.output.strip() == "content: no changes"
    export = runner.invoke(args=["content", "export"])
    assert "export: 0 written" in export.output, export.output
