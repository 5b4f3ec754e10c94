"""Clip jobs for the queue, and `flask media process-pending` to (re)queue them."""

from __future__ import annotations

import logging

from flask import current_app

from ..db import get_session
from ..jobs import enqueue, job
from ..storage import get_storage
from .clips import Tools, apply_outcome, make_outputs, plan_processing
from .video import find_tool

log = logging.getLogger(__name__)
PROCESS_CLIP = "process_clip"


def current_tools() -> Tools:
    """The ffmpeg and ffprobe the configuration names, where installed."""
    config = current_app.config
    return Tools(find_tool(config["FFMPEG"]), find_tool(config["FFPROBE"]))


@job
def process_clip(clip_id: int) -> None:
    """Give a clip its duration, poster, phone rendition and low-data variant (all without
    the original's metadata); "ready", or "failed" and why."""
    session = get_session()
    work = plan_processing(session, clip_id)
    # End the read before the slow part: a transcode may take minutes, and no database
    # lock or snapshot may be held meanwhile.
    session.rollback()
    if work is None:
        return
    storage = get_storage()
    outcome = make_outputs(storage, work, current_tools())
    clip, unused = apply_outcome(session, clip_id, outcome)
    session.commit()
    for key in unused:  # a low-data version made before, with the original's metadata
        storage.delete(key)
    if clip is not None:
        log.info("clip %s: %s %s", clip_id, clip.state, clip.error)


def queue_processing(clip_id: int) -> bool:
    """Queue the processing job for a clip; False when the queue cannot be reached."""
    return enqueue(PROCESS_CLIP, clip_id)
