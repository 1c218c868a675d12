"""The hosts' survey forms: open a wave, invite members. (Members' answers are read by the questionnaire itself.)"""

from __future__ import annotations

import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, TextAreaField
from wtforms.validators import DataRequired, Optional, ValidationError

from visa import emails
from visa.l10n import say
from visa.mailer import takes_smtputf8
from visa.surveys.services import MAX_ADDRESSES


class OpenWaveForm(FlaskForm):
    starts_on = DateField(_l("First day"), validators=[DataRequired()])
    ends_on = DateField(_l("Last day"), validators=[Optional()])


class InviteForm(FlaskForm):
    addresses = TextAreaField(_l("Members' e-mail addresses"), validators=[DataRequired()],
                              description=_l("One per line, or separated by commas. They are used for this mail "
                                             "only and never stored."))

    def validate_addresses(self, field) -> None:
        found = [a for a in re.split(r"[\s,;]+", field.data or "") if a]
        if len(found) > MAX_ADDRESSES:
            # Translators: %(count)s is the most addresses one form takes (500).
            raise ValidationError(_("At most %(count)s addresses at a time.", count=MAX_ADDRESSES))
        checked = []
        for address in found:
            try:
                checked.append(emails.check(address, smtputf8=takes_smtputf8()))
            except emails.AddressError as err:
                # Translators: %(address)s is an address the host pasted; %(problem)s says what is wrong with it.
                raise ValidationError(_("%(address)s: %(problem)s", address=address[:80],
                                         problem=say(err.message))) from None
        self.checked = list(dict.fromkeys(checked))
