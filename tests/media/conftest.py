"""Studio fixtures: a logged-in trainer, a logged-in volunteer, indicator 0 without clips."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.auth.models import Role
from app.content.models import Indicator
from app.db import get_session


@pytest.fixture
def trainer(client: FlaskClient, areas: None, make_user: Callable, login: Callable) -> int:
    """Log the test client in as a trainer; returns the trainer's user id."""
    user_id = make_user(Role.TRAINER, full_name="ครูฝึก ทดสอบ")
    login(client, user_id)
    # Assertions read the English UI text (the message ids); the Thai catalogue is checked
    # for completeness by tests/test_translations.py and read in the browser tests.
    client.post("/language", data={"lang": "en"})
    return user_id


@pytest.fixture(scope="session")
def make_video(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Path]:
    """Make a real test-pattern video with ffmpeg (once per session and arguments):
    make_video("webm"), make_video(size="640x480", seconds=3, bitrate="4M", audio=True)."""
    if shutil.which("ffmpeg") is None:
        pytest.skip("ffmpeg is not installed (make ffmpeg)")
    folder = tmp_path_factory.mktemp("videos")
    made: dict[tuple[object, ...], Path] = {}

    def make(
        suffix: str = "mp4",
        size: str = "64x64",
        seconds: float = 1,
        bitrate: str = "200k",
        audio: bool = False,
    ) -> Path:
        key = (suffix, size, seconds, bitrate, audio)
        if key not in made:
            target = folder / f"video{len(made)}.{suffix}"
            args = ["ffmpeg", "-v", "error", "-y", "-f", "lavfi"]
            args += ["-i", f"testsrc=size={size}:rate=25:duration={seconds}"]
            if audio:
                args += ["-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}"]
            codec = ["libvpx", "libopus"] if suffix == "webm" else ["libx264", "aac"]
            args += ["-c:v", codec[0], "-b:v", bitrate, "-pix_fmt", "yuv420p"]
            args += ["-c:a", codec[1]] if audio else []
            subprocess.run([*args, str(target)], check=True, timeout=120)
            made[key] = target
        return made[key]

    return make


@pytest.fixture
def basics(app: Flask) -> int:
    """Indicator 0 (the survey basics lesson: no category) without any clip; its id."""
    with app.app_context():
        session = get_session()
        indicator = Indicator(number=0, title_th="พื้นฐาน", title_en="Basics", status="official")
        session.add(indicator)
        session.commit()
        return indicator.id
