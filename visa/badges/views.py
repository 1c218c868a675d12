"""The badge of a listing, the network's mark, and the host's page that hands out the code for both.

Both images are drawn on each request from the current record (shields.io's way: no stored image to
purge), sent for five minutes of caching with an ETag, and read no cookie and set none.
"""

from __future__ import annotations

from collections import OrderedDict

import segno
import sqlalchemy as sa
from flask import Blueprint, Response, abort, current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from markupsafe import Markup

from visa.accounts.permissions import require
from visa.badges.facts import badge_facts
from visa.badges.layout import QR_SIZE, SIZES, Drawing, Texts, draw
from visa.badges.words import listing_texts, mark_texts
from visa.directory.models import Space
from visa.extensions import db
from visa.i18n import cookieless, html_lang, text_direction
from visa.web import params
from visa.web.errors import error_response
from visa.web.params import ParamError

bp = Blueprint("badges", __name__)

SHAPES = tuple(SIZES)
KNOWN_PARAMS = {"shape", "size", "lang"}
MAX_AGE = 300  # seconds: a change to a listing shows on every badge within five minutes


@bp.errorhandler(ParamError)
def _bad_param(err: ParamError):
    return error_response(400, err.code, err.message, err.field)


def _shape_and_size(args) -> tuple[str, int]:
    params.refuse_unknown(args, KNOWN_PARAMS)
    shape = params.choice(args, "shape", "wide", SHAPES)
    low, high, default = SIZES[shape]
    return shape, params.whole_number(args, "size", default, low, high)


def _space(slug: str) -> Space | None:
    return db.session.scalars(sa.select(Space).where(Space.slug == slug)).unique().one_or_none()


def _caption(url: str) -> str:
    """An address as a caption under the QR code: without its scheme."""
    return url.split("://", 1)[-1]


#: QR codes kept per process, the oldest made dropped first (segno takes about 15 ms to make one, and a
#: listing's address seldom changes).
QR_CACHE_SIZE = 4096


def _qr(url: str) -> Markup:
    """The QR code of *url* as inline SVG, :data:`visa.badges.layout.QR_SIZE` units wide, from the app's cache."""
    cache: OrderedDict[str, Markup] = current_app.extensions.setdefault("visa.badge_qr", OrderedDict())
    found = cache.get(url)
    if found is None:
        code = segno.make(url, error="m")
        scale = QR_SIZE / code.symbol_size(scale=1, border=2)[0]
        found = Markup(code.svg_inline(scale=scale, border=2, light="#fff", svgclass=None, lineclass=None))
        cache[url] = found
        if len(cache) > QR_CACHE_SIZE:
            cache.popitem(last=False)
    return found


def _svg(shape: str, texts: Texts, size: int, qr_url: str) -> Response:
    drawing: Drawing = draw(shape, texts, size, rtl=text_direction() == "rtl")
    qr = _qr(qr_url) if drawing.qr_box is not None else None
    # Without the context processors: they load the signed-in user, and an image must not depend on the session
    # (nor be sent private for having read it).
    body = current_app.jinja_env.get_template("badges/badge.svg").render(d=drawing, qr=qr, lang=html_lang())
    response = Response(body, mimetype="image/svg+xml")
    response.cache_control.public = True
    response.cache_control.max_age = MAX_AGE
    response.add_etag()
    return response.make_conditional(request)


@bp.get("/spaces/<slug>/badge.svg")
@cookieless
def badge(slug: str):
    """``shape`` wide, square or card; ``size`` in pixels within :data:`visa.badges.layout.SIZES`; ``lang``."""
    shape, size = _shape_and_size(request.args)
    space = _space(slug)
    facts = badge_facts(space) if space is not None else None
    if facts is None:
        # Translators: %(slug)s is the listing's address part (slug) as given, in quotes.
        return error_response(404, "not_found", _("No listing with slug %(slug)s.", slug=repr(slug)), "slug")
    # The QR code leads to the listing while it is on the map, else to the directory.
    url = url_for("directory.space_page" if space.is_visible else "directory.search_page",
                  **({"slug": slug} if space.is_visible else {}), _external=True)
    return _svg(shape, listing_texts(facts, space.name, _caption(url)), size, url)


@bp.get("/we-are-coworking.svg")
@cookieless
def mark():
    """The network's "We are coworking" mark, for any space, in the badge's shapes and sizes."""
    shape, size = _shape_and_size(request.args)
    url = url_for("directory.search_page", _external=True)
    return _svg(shape, mark_texts(_caption(url), shape == "card"), size, url)


@bp.get("/host/spaces/<slug>/badge")
@login_required
def badge_page(slug: str):
    """Add the badge to your site: each shape's preview and the HTML to copy, the mark's too."""
    space = _space(slug)
    if space is None:
        abort(404)
    require("edit_space", space)
    lang = html_lang()
    listing = url_for("directory.space_page", slug=slug, _external=True)
    home = url_for("directory.search_page", _external=True)
    has_badge = badge_facts(space) is not None
    # Translators: %(name)s is the name of a coworking space; the text of the badge image for screen readers.
    badges = [_snippet(shape, url_for("badges.badge", slug=slug, shape=shape, lang=lang, _external=True), listing,
                       _("Coworking Visa status of %(name)s", name=space.name)) for shape in SHAPES] if has_badge else []
    marks = [_snippet(shape, url_for("badges.mark", shape=shape, lang=lang, _external=True), home,
                      _("We are coworking")) for shape in SHAPES]
    return render_template("badges/host_badge.html", space=space, badges=badges, marks=marks, sizes=SIZES)


def _shape_label(shape: str) -> str:
    """Each shape's name as the badge page shows it."""
    return {"wide": _("Wide, one line"), "square": _("Square"), "card": _("Card with a QR code")}[shape]


def _snippet(shape: str, image: str, link: str, alt: str) -> dict:
    """One shape's preview and the HTML a host pastes: a link around the image."""
    code = Markup('<a href="{link}"><img src="{image}" alt="{alt}"></a>').format(link=link, image=image, alt=alt)
    return {"shape": shape, "label": _shape_label(shape), "image": image, "code": str(code), "alt": alt}
