"""Volunteers ask about an indicator; their zone's team answers; answers become FAQ cards.

Importing the package connects its receiver: the home page shows a volunteer's new answers.
"""

from __future__ import annotations

from . import home as home
