"""Mentor visits (ต3 and "Team Fast"): who is stuck and needs a visit, the printed visit
sheet, recorded visits, volunteers' devices and buddy pairs.

Importing the package connects its receiver: the home page shows a volunteer's buddy and
the link to the device page.
"""

from __future__ import annotations

from . import home as home
