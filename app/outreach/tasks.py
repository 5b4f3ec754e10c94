"""Pushing a queued reminder: the job the worker runs, and the same code run in the request
when the queue cannot be reached, LINE is off or LINE_SEND_INLINE is set."""

from __future__ import annotations

import logging

from flask import current_app

from ..db import get_session
from ..jobs import enqueue, job
from .line import LineSettings, push_text
from .services import finish_delivery, start_delivery

log = logging.getLogger(__name__)

SEND_LINE_MESSAGE = "send_line_message"


def line_settings() -> LineSettings:
    """The current app's LINE settings."""
    return LineSettings.from_config(current_app.config)


@job
def send_line_message(message_id: int) -> None:
    """Push one outbox message (retries inside; a message not queued any more is skipped)."""
    settings = line_settings()
    session = get_session()
    delivery = start_delivery(session, message_id, line_on=settings.ready)
    # Record "off" (or end the read) before the request: no transaction waits on LINE.
    session.commit()
    if delivery is None:
        return
    result = push_text(settings, delivery.to, delivery.text, delivery.retry_key)
    finish_delivery(session, message_id, result)
    session.commit()
    log.info("LINE message %s: %s (HTTP %s)", message_id, result.ok, result.status)


def dispatch(message_id: int) -> None:
    """Send a committed outbox message: in a job when LINE is on and the queue answers,
    otherwise at once in this request (which then records "LINE is off")."""
    settings = line_settings()
    inline = current_app.config.get("LINE_SEND_INLINE") or not settings.ready
    if inline or not enqueue(SEND_LINE_MESSAGE, message_id):
        send_line_message(message_id)
