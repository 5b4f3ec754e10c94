"""The erasure confirmation form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, ValidationError

CONFIRM_WORD = "ลบข้อมูล"


class EraseForm(FlaskForm):
    """Erasing cannot be undone: the admin types the word to confirm."""

    confirm = StringField(
        _l("Type %(word)s to confirm", word=CONFIRM_WORD), validators=[DataRequired()]
    )

    def validate_confirm(self, field: StringField) -> None:
        if (field.data or "").strip() != CONFIRM_WORD:
            raise ValidationError(_l("Type %(word)s exactly to confirm.", word=CONFIRM_WORD))
