"""Forms for infographic uploads and their alt texts (clip forms are in clip_forms.py)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import StringField
from wtforms.validators import DataRequired, Length, Optional

ALT_MAX = 500  # Infographic.alt_th / alt_en column length


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


class AltTextForm(FlaskForm):
    """What the picture shows, for people who cannot see it: Thai required, English optional."""

    alt_th = StringField(
        _l("Alt text (Thai)"),
        filters=[_strip],
        validators=[
            DataRequired(message=_l("Describe the picture in Thai (alt text is required).")),
            Length(max=ALT_MAX),
        ],
    )
    alt_en = StringField(
        _l("Alt text (English)"), filters=[_strip], validators=[Optional(), Length(max=ALT_MAX)]
    )


class InfographicUploadForm(AltTextForm):
    """One PNG, JPEG or WebP picture (checked by content, not by its name) and its alt texts."""

    file = FileField(
        _l("Image file (PNG, JPEG or WebP)"),
        id="infographic-file",
        validators=[FileRequired(message=_l("Choose an image file."))],
        render_kw={"accept": "image/png,image/jpeg,image/webp,.png,.jpg,.jpeg,.webp"},
    )
