"""The form that names a new API token."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from .tokens import NAME_MAX


class TokenForm(FlaskForm):
    """A name that says which system uses the token."""

    name = StringField(
        _l("Token name"),
        validators=[DataRequired(), Length(max=NAME_MAX)],
        filters=[lambda value: value.strip() if value else value],
    )
