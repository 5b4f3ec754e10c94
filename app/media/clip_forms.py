"""Forms for clip uploads and their captions."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired


class ClipUploadForm(FlaskForm):
    """One MP4 or WebM video (checked by content, not by its name)."""

    file = FileField(
        _l("Video file (MP4 or WebM)"),
        id="clip-file",
        validators=[FileRequired(message=_l("Choose a video file."))],
        render_kw={"accept": "video/mp4,video/webm,.mp4,.webm"},
    )


class CaptionsForm(FlaskForm):
    """A WebVTT caption file for a clip."""

    file = FileField(
        _l("WebVTT file (.vtt)"),
        id="captions-file",
        validators=[FileRequired(message=_l("Choose a .vtt caption file."))],
        render_kw={"accept": "text/vtt,.vtt"},
    )
