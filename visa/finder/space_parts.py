"""The parts of a space page that every reader of a language sees alike, rendered once per edit of the listing.

A listing's photos, description, facts (address, contact, links) and terms table change only when the listing or
its photos do, and every such write gives the registry a new version, hence a new spatial index
(:mod:`visa.directory.spatial_index`). The parts are kept beside that index, per space, edit, locale and URL
root, and go with it. What differs per reader, per day or per visit (the verdict, the pass box, the staleness note, the
host's record, the report and claim forms) is rendered on every request by ``directory/space.html``.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import get_template_attribute, request
from flask_babel import get_locale
from markupsafe import Markup

from visa.directory.models import Space
from visa.directory.presenters import link_items, term_rows, terms_all_unstated
from visa.directory.spatial_index import SpatialIndex
from visa.photos.presenters import first_thumbnails, gallery, shown_photos

#: Parts kept per registry version before they are all dropped: the most read spaces are rendered again at once.
MAX_KEPT = 2000
_TEMPLATE = "directory/_space_parts.html"


@dataclass(frozen=True)
class SpaceParts:
    about: Markup  # the photos and the description
    facts: Markup  # address, contact, links, when the terms were last confirmed
    terms: Markup  # the visa terms
    has_photos: bool


def space_parts(space: Space, index: SpatialIndex, preview: bool = False) -> SpaceParts:
    """*space*'s parts in the reader's language, rendered once per registry version (*index*) and edit of the
    listing (its ``lock_version``, which every edit of the space or its terms moves on: a page that read the
    listing before an edit and the index after it keeps what it rendered under the older edit's key).

    A host's preview is rendered every time: its listing may not be public, and its photos get no report links.
    """
    if preview:
        return _render(space, index, preview=True)
    key = (space.id, space.lock_version, str(get_locale() or "en"), request.script_root)
    return index.kept("finder.space_parts", key, lambda: _render(space, index, preview=False), MAX_KEPT)


def _render(space: Space, index: SpatialIndex, preview: bool) -> SpaceParts:
    # Most listings have no photo, which the registry version's first photos tell without a query.
    photos = gallery(shown_photos([space.id]).get(space.id, [])) if space.id in first_thumbnails(index) else []
    terms = space.terms
    unstated = terms_all_unstated(terms)
    return SpaceParts(
        about=get_template_attribute(_TEMPLATE, "about")(space, photos, preview),
        facts=get_template_attribute(_TEMPLATE, "facts")(space, link_items(space.links)),
        terms=get_template_attribute(_TEMPLATE, "terms_section")(
            terms, term_rows(terms) if terms else [], unstated, space.email or space.phone or space.website),
        has_photos=bool(photos))
