"""Signals other features listen to (readiness), so quizzes never imports them."""

from blinker import Namespace

_signals = Namespace()

# Sent by `submit_attempt` once an attempt is scored and recorded (never for a repeat
# submit), inside the caller's transaction: sender=session, attempt=, now=. The readiness
# package connects its one receiver when it is imported.
attempt_submitted = _signals.signal("attempt-submitted")
