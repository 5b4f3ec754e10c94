"""Image uploads cost bounded memory (issue 14, defect 5): the pixel limit is set by memory
and not only by the bomb check, the largest picture allowed stays within that memory, and
uploads are processed one at a time."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from PIL import Image

from app.content.models import Infographic
from app.media import images
from app.media.images import ImageRefused, pixel_limit, processing_slot

from ..conftest import thai
from .test_images import bomb_png
from .test_infographic_upload import count, indicator, upload  # noqa: F401 (a fixture)

MB = 1024 * 1024
MEMORY = 256 * MB  # the default IMAGE_MAX_MEMORY
ROOT = Path(__file__).resolve().parents[2]


def test_a_7000_square_upload_under_the_pixel_limit_is_refused_for_its_memory(
    app,
    client,
    trainer,
    indicator,  # noqa: F811
):
    assert 7000 * 7000 < app.config["IMAGE_MAX_PIXELS"]  # the bomb check lets it through
    data = bomb_png(7000, 7000)
    started = time.monotonic()
    response = upload(client, data)
    assert time.monotonic() - started < 2
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "The image is 7000 × 7000 pixels; processing it needs about" in page
    assert f"at most {pixel_limit(50_000_000, MEMORY):,} pixels" in page
    assert count(app, Infographic) == 0


def test_the_message_is_in_thai(app):
    text = thai(
        app,
        "The image is %(width)d × %(height)d pixels; processing it needs about %(need)s MB "
        "of memory and the limit is %(limit)s MB. Make it smaller (at most %(pixels)s "
        "pixels in all) and upload it again.",
        width=7000,
        height=7000,
        need="467",
        limit="256",
        pixels="26,843,545",
    )
    assert "7000 × 7000" in text and "พิกเซล" in text


def test_the_upload_page_states_the_memory_bound_pixel_limit(app, client, trainer, indicator):  # noqa: F811
    page = client.get(f"/studio/indicators/{indicator}/infographics/new").get_data(as_text=True)
    assert f"{pixel_limit(50_000_000, MEMORY):,}" in page


@pytest.mark.parametrize("mode", ["RGBA", "RGB"])
def test_the_largest_picture_allowed_stays_within_the_memory_budget(tmp_path, mode):
    """Cleaned and its variants made in a fresh process: its peak stays under the budget."""
    side = int(pixel_limit(50_000_000, MEMORY) ** 0.5)
    grey = Image.linear_gradient("L").resize((side, side))
    bands = (grey,) * 3 + (
        (grey.transpose(Image.Transpose.FLIP_LEFT_RIGHT),) if mode == "RGBA" else ()
    )
    path = tmp_path / "large.png"
    Image.merge(mode, bands).save(path, compress_level=1)
    del grey, bands
    script = textwrap.dedent(
        f"""
        import resource, sys, tempfile
        from pathlib import Path
        from app.media import images
        from app.storage import LocalStorage
        data = Path({str(path)!r}).read_bytes()
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        cleaned = images.clean_upload(data, 50_000_000, {MEMORY})
        images.make_variants(LocalStorage(Path(tempfile.mkdtemp())), cleaned.image)
        after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print((after - before) * 1024)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    grew = int(done.stdout.split()[-1])
    assert grew < MEMORY, f"{grew / MB:.0f} MB for {side}x{side} {mode}"


def test_uploads_are_processed_one_at_a_time():
    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        with processing_slot():
            held.set()
            release.wait(5)

    thread = threading.Thread(target=hold)
    thread.start()
    held.wait(5)
    try:
        with pytest.raises(ImageRefused):
            with processing_slot(wait=0.1):
                pass
    finally:
        release.set()
        thread.join()
    with processing_slot(wait=0.1):  # free again
        pass
    assert images._SLOT._value == 1
