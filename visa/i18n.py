"""Which language a request is answered in, and the links that change it.

The order (issue 13): ``?lang=`` on any page, then the reader's saved choice
(the account's ``language`` for a signed-in host or admin, the ``lang`` cookie
for everyone else), then the browser's Accept-Language, then English.

A language is shipped when visa/translations (or another directory in
BABEL_TRANSLATION_DIRECTORIES) holds its ``LC_MESSAGES/messages.po``: a
translator adds a language by adding its catalogue, nothing else. The answer
keeps the region the reader asked for ("pt-BR", "en-GB") so that dates,
numbers and distances follow it, while the texts come from the language's
catalogue ("pt" serves both Portugal and Brazil).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterable
from typing import TypeVar
from urllib.parse import quote_plus, urlencode

from babel import Locale, UnknownLocaleError
from flask import Flask, current_app, g, has_request_context, request
from flask_babel import get_locale, get_translations, refresh

# Jinja's own newstyle wrappers (autoescaping, % formatting), as its install_gettext_callables applies them.
from jinja2.ext import _make_new_gettext, _make_new_ngettext
from markupsafe import Markup

#: English is the source language: it has no catalogue.
SOURCE_LANGUAGE = "en"
COOKIE = "lang"
COOKIE_MAX_AGE = 365 * 24 * 3600
#: Blueprints whose pages anyone may read: they carry hreflang alternates.
PUBLIC_BLUEPRINTS = frozenset({"directory", "reciprocity", "pages"})


@functools.cache
def _shipped(directories: tuple[str, ...]) -> tuple[str, ...]:
    found = {SOURCE_LANGUAGE}
    for directory in directories:
        if os.path.isdir(directory):
            found.update(name for name in os.listdir(directory)
                         if os.path.isfile(os.path.join(directory, name, "LC_MESSAGES", "messages.po")))
    return tuple(sorted(found, key=lambda code: (code != SOURCE_LANGUAGE, code)))


def languages(app: Flask | None = None) -> tuple[str, ...]:
    """The shipped languages, English first: ("en", "de", "es", ...)."""
    babel = (app or current_app).extensions["babel"]
    return _shipped(tuple(babel.translation_directories))


def parse_tag(tag: str | None, shipped: tuple[str, ...]) -> str | None:
    """ "pt-BR" -> "pt_BR" when Portuguese is shipped and Babel knows the locale; None otherwise."""
    found = _shipped_locale(tag, shipped)
    return str(found) if found else None


def _shipped_locale(tag: str | None, shipped: tuple[str, ...]) -> Locale | None:
    return _parse_tag(tag, shipped) if tag else None


@functools.lru_cache(maxsize=1024)  # every request negotiates; browsers send a few dozen distinct tags
def _parse_tag(tag: str, shipped: tuple[str, ...]) -> Locale | None:
    # The Locale itself is kept: Flask-Babel takes it as it is, where a code would be parsed again per request.
    try:
        locale = Locale.parse(tag.strip().replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return None
    if locale.language not in shipped and str(locale) not in shipped:
        return None
    return locale


def select_locale() -> Locale | None:
    """Flask-Babel's locale selector: the first of the four sources that names a shipped language."""
    # Outside a request (CLI mails, a test's app context) the default locale applies.
    if not has_request_context():
        return None
    shipped = languages()
    chosen = _shipped_locale(request.args.get("lang"), shipped)
    if chosen:
        if not reads_no_cookie():
            g.chosen_language = str(chosen)  # remembered by _remember_choice once the page is answered
        return chosen
    # The API reads no cookie (the map's scripts pass lang=), so its answers never vary on Cookie.
    saved = None if reads_no_cookie() else (_shipped_locale(_account_language(), shipped)
                                    or _shipped_locale(request.cookies.get(COOKIE), shipped))
    return saved or _accepted(request.accept_languages, shipped)


def _accepted(accept_languages: Iterable[tuple[str, float]], shipped: tuple[str, ...]) -> Locale:
    for tag, _quality in accept_languages:  # best first
        found = _shipped_locale(tag, shipped)
        if found:
            return found
    return _parse_tag(SOURCE_LANGUAGE, shipped)


def cookieless_locale(app: Flask, lang: str | None, accept_languages: Iterable[tuple[str, float]]) -> Locale:
    """The language :func:`select_locale` gives an API answer, from ``lang=`` and Accept-Language alone: for
    an answer made before Flask reads the request (visa.api.geocode_door)."""
    shipped = languages(app)
    return _shipped_locale(lang, shipped) or _accepted(accept_languages, shipped)


def cookieless(view):
    """Mark *view* as one whose answer reads no cookie and sets none, like the API: the language is ``?lang=``,
    else Accept-Language, and ``?lang=`` is not remembered. For what other sites embed (a badge, the map):
    their answers are cached by anyone, and a frame sets no cookie."""
    view.visa_cookieless = True
    return view


def reads_no_cookie() -> bool:
    """The API and the views marked :func:`cookieless`: no cookie read for the language, none set."""
    if request.path.startswith("/api/"):
        return True
    return getattr(current_app.view_functions.get(request.endpoint), "visa_cookieless", False)


def _account_language() -> str | None:
    from flask_login import current_user

    return getattr(current_user, "language", None) if current_user.is_authenticated else None


def save_account_choice() -> None:
    """A signed-in host's or admin's ``?lang=`` choice is kept on their account (their pages and mails use it).

    Written in a transaction of its own, on a connection of its own, before the view runs: it commits that one
    column and nothing else, whatever the request then does (an ``after_request`` commit of the request's
    session once saved half of a failed admin change with it). The request's session is never committed here.
    """
    if reads_no_cookie() or "lang" not in request.args:
        return
    chosen = parse_tag(request.args.get("lang"), languages())
    from flask_login import current_user

    if chosen is None or not current_user.is_authenticated or current_user.language == chosen:
        return
    import sqlalchemy as sa
    from sqlalchemy.orm.attributes import set_committed_value

    from visa.extensions import db

    user = current_user._get_current_object()
    table = sa.inspect(user).mapper.local_table
    try:
        with db.engine.begin() as connection:
            connection.execute(sa.update(table).where(table.c.id == user.id).values(language=chosen))
    except sa.exc.OperationalError as err:  # a locked SQLite file, say: the page and the cookie need no account
        current_app.logger.warning("language of account %s not saved: %r", user.id, err)
        return
    set_committed_value(user, "language", chosen)  # as saved: the request's session has nothing to write


def _remember_choice(response):
    """A ``?lang=`` choice outlives the page in the cookie (on the account: :func:`save_account_choice`)."""
    if "_flask_babel" in g and getattr(g._flask_babel, "babel_locale", None) is not None:
        # The answer was written in a negotiated language: caches must keep one copy per language. It
        # depends on a cookie only when one chose it (a signed-in reader's session varies anyway, and
        # anonymous pages are sent private, no-cache: visa.wire.session).
        response.vary.add("Accept-Language")
        if not reads_no_cookie() and COOKIE in request.cookies:
            response.vary.add("Cookie")
    chosen = g.pop("chosen_language", None)
    if chosen is None:
        return response
    response.set_cookie(COOKIE, chosen, max_age=COOKIE_MAX_AGE, samesite="Lax", httponly=True,
                        secure=current_app.config.get("SESSION_COOKIE_SECURE", False))
    return response


def html_lang() -> str:
    """The BCP 47 tag of the page's language for ``<html lang>``: "pt-BR", "de"."""
    return str(get_locale() or SOURCE_LANGUAGE).replace("_", "-")


def text_direction() -> str:
    """ "rtl" for a right-to-left language (Arabic, Hebrew), "ltr" otherwise."""
    locale = get_locale()
    return "rtl" if locale is not None and locale.character_order == "right-to-left" else "ltr"


def _this_page_with() -> str:
    """This page's path and query without ``lang``, ready for ``lang=``: "/?q=Lisbon&" (then "lang=de")."""
    args = [(key, value) for key, value in request.args.items(multi=True) if key != "lang"]
    return f"{request.path}?{urlencode(args)}&" if args else f"{request.path}?"


def current_catalog() -> str:
    """The shipped catalogue this page is written from: "pt_BR" when shipped for pt_BR, else "pt" for pt_PT."""
    current, shipped = get_locale(), languages()
    if current is None:
        return SOURCE_LANGUAGE
    return str(current) if str(current) in shipped else current.language


def language_name(code: str) -> str:
    """A shipped language named in itself, capitalised as a menu entry: "Português (Brasil)"."""
    name = Locale.parse(code).get_display_name(code)
    return name[:1].upper() + name[1:]


def language_choices() -> list[tuple[str, str]]:
    """(code, name in itself) of each shipped language, English first: a form's language select.

    Named once per process (Babel's display names are slow to look up, and every page's switcher shows them).
    """
    shipped = languages()
    named = current_app.extensions.setdefault(_NAMES, {})
    found = named.get(shipped)
    if found is None:
        found = named[shipped] = [(code, language_name(code)) for code in shipped]
    return found


_NAMES = "visa.i18n.language_names"
T = TypeVar("T")


def once_per_locale(name: str, render: Callable[[], T], version: object = None) -> T:
    """*render()* in the reader's language, kept on the app under *name* per locale and process.

    For fragments (or words) that are the same for every reader of a language: a page pays for them once, not on
    every request. *version* names what else they show (today's date in a form's defaults): a new version
    renders them again and drops the others.
    """
    kept = current_app.extensions.setdefault(name, {})
    key = (str(get_locale() or "en"), version)
    found = kept.get(key)
    if found is None:
        if any(other != version for _, other in list(kept)):
            kept.clear()  # yesterday's fields are never asked for again
        found = kept[key] = render()
    return found


def per_locale(name: str, macro: Callable[[], Markup]) -> Markup:
    """A template's *macro* (no arguments, nothing per reader in it) rendered once per locale and process.

    For the parts of every page that only say fixed words and link the app's own addresses (base.html's header
    and footer). Its links depend on the URL root the app is served under, so that is part of the key; debug
    mode renders every time, as its links look the files' hashes up again on every url_for.
    """
    if current_app.debug:
        return macro()
    return once_per_locale(f"visa.i18n.per_locale.{name}{request.script_root}", macro)


def language_links() -> list[dict]:
    """The switcher's entries: each language named in itself, with this page's link in it."""
    current, here = current_catalog(), _this_page_with()
    return [{"code": code, "tag": code.replace("_", "-"), "url": f"{here}lang={quote_plus(code)}", "is_current": code == current,
             "name": name} for code, name in language_choices()]


def alternates() -> list[dict]:
    """hreflang alternates of a public page (none on host and admin pages, which search engines cannot read)."""
    if request.blueprint not in PUBLIC_BLUEPRINTS or request.method != "GET":
        return []
    here = request.host_url.rstrip("/") + _this_page_with()
    links = [{"hreflang": code.replace("_", "-"), "href": f"{here}lang={quote_plus(code)}"} for code in languages()]
    base = [(key, value) for key, value in request.args.items(multi=True) if key != "lang"]
    links.append({"hreflang": "x-default",
                  "href": request.host_url.rstrip("/") + request.path + (f"?{urlencode(base)}" if base else "")})
    return links


def _render_translations() -> dict:
    """Jinja's gettext and ngettext for one render, bound to the catalogue of the reader's language.

    Flask-Babel's own, installed on the Jinja environment, look the catalogue up again for each text (about
    5 µs of Flask-Babel's context lookups each, some 30 texts a page). These are Jinja's same newstyle
    wrappers (autoescaping, ``%`` formatting) around the catalogue found once. Templates imported without
    the context (macros) keep Flask-Babel's, which give the same words.
    """
    translations = get_translations()
    return {"gettext": _make_new_gettext(translations.ugettext),
            "ngettext": _make_new_ngettext(translations.ungettext)}


def _choose_afresh() -> None:
    # Flask-Babel keeps the locale in g, which outlives a request served inside an app context that was
    # already pushed (a CLI command, tests): each request chooses afresh. A server's request has a g of its
    # own, with nothing to forget, and Flask-Babel's refresh() cost it more than looking.
    if g.get("_flask_babel") is not None:
        refresh()


def init_app(app: Flask) -> None:
    """Negotiation for Flask-Babel, the cookie and account memory, and the template helpers."""
    from visa.extensions import babel

    babel.init_app(app, locale_selector=select_locale)
    app.before_request(_choose_afresh)
    app.context_processor(_render_translations)
    app.before_request(save_account_choice)
    app.after_request(_remember_choice)
    app.jinja_env.globals.update(get_locale=get_locale, html_lang=html_lang, text_direction=text_direction,
                                 language_links=language_links, hreflang_alternates=alternates,
                                 per_locale=per_locale)
