"""The visa terms form, built from :mod:`visa.directory.terms_schema`, with conflicts rejected per field.

One form field per terms field, chosen by its kind. Every field can be left
"not stated": yes/no questions and choices offer it, numbers and texts may be
blank, and no day ticked means the days are not stated.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    Field,
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.validators import Length, NumberRange, Optional

from visa.directory import terms_schema as schema
from visa.directory.models import VisaTerms
from visa.directory.presenters import REQUEST_LABELS, WEEKDAY_LABELS  # the words the pages use for them

_NOT_STATED = ""


class CheckboxesField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def _form_field(f: schema.TermField) -> Field:
    kind, label = f.kind, _l(f.label)
    if isinstance(kind, schema.YesNo):
        return SelectField(label, choices=[SelectChoice(_NOT_STATED, _l("not stated")), SelectChoice("yes", _l("yes")),
                                           SelectChoice("no", _l("no"))], default=_NOT_STATED)
    if isinstance(kind, schema.Count):
        return IntegerField(label, validators=[Optional(), NumberRange(kind.low, kind.high)])
    if isinstance(kind, schema.Choice):
        return SelectField(label, choices=[SelectChoice(_NOT_STATED, _l("not stated"))]
                           + [SelectChoice(c.value, REQUEST_LABELS.get(c.value, c.value)) for c in kind.choices],
                           default=_NOT_STATED)
    if isinstance(kind, schema.Weekdays):
        return CheckboxesField(label, choices=[SelectChoice(k, WEEKDAY_LABELS[k]) for k in schema.WEEKDAY_BITS],
                               default=[])
    if isinstance(kind, schema.MonthDay):
        return StringField(label, validators=[Optional(), Length(max=5)])
    if isinstance(kind, schema.Periods):
        return TextAreaField(label, validators=[Length(max=4000)])
    if isinstance(kind, schema.Text):
        return (StringField(label, validators=[Length(max=kind.max_length)]) if kind.max_length
                else TextAreaField(label, validators=[Length(max=2000)]))
    raise TypeError(f"no form field for {type(kind).__name__}")  # a new kind needs its form field here


class _TermsFormBase(FlaskForm):
    @classmethod
    def from_terms(cls, terms: VisaTerms) -> _TermsFormBase:
        """The form filled with *terms*, as a host edits them."""
        form = cls()
        for f in schema.TERMS:
            value, field = getattr(terms, f.name), form[f.name]
            if isinstance(f.kind, schema.Weekdays):
                field.data = schema.names_of_weekdays(value) if value is not None else []
            elif isinstance(f.kind, schema.Periods):
                field.data = "\n".join(f"{p['start']} to {p['end']}" for p in value or [])
            elif isinstance(f.kind, schema.Count):
                field.data = value
            else:
                field.data = f.to_cell(value)
        return form

    def groups(self) -> list[tuple[str, list[Field]]]:
        """(legend, fields) in the schema's order, for the template."""
        out: dict[str, list[Field]] = {}
        for f in schema.TERMS:
            out.setdefault(f.group, []).append(self[f.name])
        return [(_l(schema.GROUPS[group]), fields) for group, fields in out.items()]

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        return self._check_conflicts() and ok

    def _error(self, field: Field, message: str) -> None:
        field.errors = [*field.errors, str(message)]

    def values(self) -> dict:
        """The validated form as terms values (None where not stated)."""
        out = {}
        for f in schema.TERMS:
            data, kind = self[f.name].data, f.kind
            if isinstance(kind, schema.YesNo):
                out[f.name] = {"yes": True, "no": False}.get(data)
            elif isinstance(kind, schema.Choice):
                out[f.name] = kind.choices(data) if data else None
            elif isinstance(kind, schema.Weekdays):
                out[f.name] = sum(schema.WEEKDAY_BITS[d] for d in data) or None
            elif isinstance(kind, schema.MonthDay):
                out[f.name] = schema.month_day(data or "")
            elif isinstance(kind, schema.Periods):
                out[f.name] = [schema.period(line) for line in (data or "").splitlines() if line.strip()] or None
            elif isinstance(kind, schema.Text):
                out[f.name] = (data or "").strip() or None
            else:
                out[f.name] = data
        return out

    def _check_conflicts(self) -> bool:
        before = sum(len(f.errors) for f in self)
        for f in schema.TERMS:
            field = self[f.name]
            if isinstance(f.kind, schema.MonthDay) and (field.data or "").strip() and schema.month_day(field.data) is None:
                self._error(field, _l("Write the day as MM-DD, for example 09-01."))
            if isinstance(f.kind, schema.Periods):
                lines = [line for line in (field.data or "").splitlines() if line.strip()]
                for number, line in enumerate(lines, start=1):
                    if schema.period(line) is None:
                        # Translators: %(n)d is the line number in the text box of periods.
                        self._error(field, _l("Line %(n)d: write a period as 2026-12-24 to 2027-01-02, start first.",
                                              n=number))
        if before != sum(len(f.errors) for f in self):
            return False
        v = self.values()
        per_visit, per_month, per_year = v["free_days_per_visit"], v["free_days_per_month"], v["free_days_per_year"]
        if v["is_participating"] and per_visit == 0:
            self._error(self["free_days_per_visit"], _l("A participating space offers at least one free day."))
        if per_visit and per_month is not None and per_visit > per_month:
            self._error(self["free_days_per_month"],
                        # Translators: %(n)d is the number of free days per visit the host
                        # entered.
                        _l("Per month must be at least the free days per visit (%(n)d).", n=per_visit))
        if per_year is not None and max(per_visit or 0, per_month or 0) > per_year:
            self._error(self["free_days_per_year"], _l("Per year must be at least the free days per visit and per month."))
        if (v["season_start"] is None) != (v["season_end"] is None):
            self._error(self["season_end"] if v["season_start"] else self["season_start"],
                        _l("Give both ends of the season."))
        return sum(len(f.errors) for f in self) == before


#: The form class: one field per entry of the terms schema.
TermsForm = type("TermsForm", (_TermsFormBase,), {f.name: _form_field(f) for f in schema.TERMS})
