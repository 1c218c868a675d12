"""The photo forms: shape only (the file itself is checked by visa.photos.images when processed)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from visa.photos.models import ALT_LENGTH, CAPTION_LENGTH


class PhotoForm(FlaskForm):
    photo = FileField(_l("Photo (JPEG, PNG or WebP, at most 10 MB)"),
                      validators=[FileRequired(_l("Choose a photo to add."))])
    alt = StringField(_l("What the photo shows, for people who cannot see it"),
                      description=_l("Required. For example: “Six people at a long table by a window, laptops open”."),
                      validators=[DataRequired(_l("Describe the photo: travellers who cannot see it read this.")),
                                  Length(max=ALT_LENGTH)])
    caption = StringField(_l("Caption (optional)"), validators=[Length(max=CAPTION_LENGTH)])


class PhotoReportForm(FlaskForm):
    message = TextAreaField(_l("What is wrong with this photo?"), validators=[DataRequired(), Length(max=2000)])


class TakeDownForm(FlaskForm):
    reason = StringField(_l("Reason (kept in the listing's history)"), validators=[DataRequired(), Length(max=2000)])
