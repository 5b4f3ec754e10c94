"""Signals other features listen to (readiness), so quizzes never imports them."""

from blinker import Namespace

_signals = Namespace()

# Sent by `submit_attempt` once an attempt is scored and recorded (never for a repeat
# submit), inside the caller's transaction: sender=session, attempt=, now=. The readiness
# package connects its one receiver when it is imported.
attempt_submitted = _signals.signal("attempt-submitted")

# Asked by a failed attempt's result page: may it show the right answers? sender=session,
# indicator_id=. A receiver returns True to allow it (readiness: the active plan's
# `show_answers_after_fail`); with no True answer they stay hidden until the quiz is passed.
answers_after_fail = _signals.signal("answers-after-fail")
