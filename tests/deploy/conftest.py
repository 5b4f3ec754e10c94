"""Fixtures the deployment tests borrow from other features' tests."""

from ..media.conftest import make_video  # noqa: F401
from ..support.conftest import put_question, zone_volunteer  # noqa: F401
