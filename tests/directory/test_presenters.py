"""How the directory's pages word a space's terms."""

from __future__ import annotations

from flask_babel import gettext

from visa.directory import terms_schema
from visa.directory.presenters import term_labels, term_text, weekdays_text


def test_the_terms_labels_are_translated_once_per_locale(app):
    kept = {}
    for query in ("/", "/?lang=de"):
        with app.test_request_context(query):
            app.preprocess_request()
            kept[query] = term_labels()
            assert term_labels() is kept[query]
            assert kept[query] == [gettext(f.shown_label) for f in terms_schema.TERMS]
    assert kept["/"] != kept["/?lang=de"]


def test_the_terms_words_are_in_the_readers_language(app):
    weekdays = next(f for f in terms_schema.TERMS if isinstance(f.kind, terms_schema.Weekdays))
    yes_no = next(f for f in terms_schema.TERMS if isinstance(f.kind, terms_schema.YesNo))
    for query in ("/", "/?lang=de", "/"):
        with app.test_request_context(query):
            app.preprocess_request()
            assert weekdays_text(0b11) == f"{gettext('Mon')}, {gettext('Tue')}"
            assert term_text(yes_no, True) == gettext("yes") and term_text(weekdays, None) == gettext("not stated")
            assert term_text(yes_no, False) == gettext("no")


def test_a_headline_is_worded_once_per_locale_for_each_combination_of_the_terms_it_says(app):
    from types import SimpleNamespace

    from visa.directory.models import RequestMethod
    from visa.directory.presenters import _headline, headline

    base = dict(is_participating=True, request_method=RequestMethod.EMAIL, advance_notice_hours=48,
                free_days_per_visit=3, free_days_per_month=None, free_days_per_year=None)
    changed = dict(is_participating=False, request_method=RequestMethod.FORM, advance_notice_hours=0,
                   free_days_per_visit=1, free_days_per_month=5, free_days_per_year=20)
    for query in ("/", "/?lang=de"):
        with app.test_request_context(query):
            app.preprocess_request()
            terms = SimpleNamespace(**base)
            assert headline(terms) is headline(SimpleNamespace(**base)) and headline(None) == _headline(None)
            for name, value in changed.items():  # each term it says is part of what it is kept by
                other = SimpleNamespace(**{**base, name: value})
                assert headline(other) == _headline(other) != _headline(terms)
