"""Signals other features listen to (readiness), so quizzes never imports them."""

from blinker import Namespace

_signals = Namespace()

# Sent after an attempt is scored, before the view commits: sender=app, session=, attempt=.
attempt_submitted = _signals.signal("attempt-submitted")
