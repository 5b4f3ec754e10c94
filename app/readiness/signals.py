"""Signals the home page sends, so readiness never imports the features above it."""

from blinker import Namespace

_signals = Namespace()

# Asked by the home page for panels to show a logged-in user: sender=session, user_id=. A
# receiver returns (template name, its context) or None (support: answers not seen yet).
home_panels = _signals.signal("home-panels")
