"""Names people read for the audit trail's actions and the roles of who acted."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..auth.models import Role

ACTION_LABELS: dict[str, object] = {
    "volunteer.view": _l("Opened the volunteer's page"),
    "volunteers.list": _l("Viewed a list of volunteers"),
    "volunteers.export": _l("Exported or printed a list of volunteers"),
    "volunteer.register": _l("Registered the volunteer"),
    "volunteers.import": _l("Imported volunteers from a file"),
    "volunteer.edit": _l("Changed the volunteer's details"),
    "volunteer.deactivate": _l("Deactivated the account"),
    "volunteer.reactivate": _l("Reactivated the account"),
    "volunteer.password_reset": _l("Issued a password reset code"),
    "volunteer.slip": _l("Issued a new activation slip"),
    "volunteer.erase": _l("Erased the volunteer's personal data"),
    "self.download": _l("The volunteer downloaded their own data"),
    "audit.export": _l("Exported the audit log"),
}

ROLE_LABELS: dict[str, object] = {
    Role.VOLUNTEER.value: _l("Volunteer"),
    Role.TRAINER.value: _l("Trainer"),
    Role.OFFICER.value: _l("Officer"),
    Role.ADMIN.value: _l("Administrator"),
}


def action_label(action: str) -> str:
    """The action in the UI language (the code itself for an action no longer listed)."""
    return str(ACTION_LABELS.get(action, action))


def role_label(role: str | None) -> str:
    """The role in the UI language."""
    return str(ROLE_LABELS.get(role or "", role or ""))
