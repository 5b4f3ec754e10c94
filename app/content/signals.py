"""Signals the lesson page sends, so content never imports the features above it."""

from blinker import Namespace

_signals = Namespace()

# Asked by the lesson page for the logged-in volunteer's status in this lesson: sender=session,
# user_id=, indicator_id=. A receiver returns "not_started", "in_progress" or "passed"
# (readiness answers from the volunteer's progress under the active plan); None: unknown.
lesson_status = _signals.signal("lesson-status")
