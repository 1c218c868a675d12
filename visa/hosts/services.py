"""Host operations: placing a submitted address, submitting and claiming listings."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_login import current_user

from visa.accounts.models import SpaceHost
from visa.directory.locations import check_location
from visa.directory.models import Space, SpaceStatus
from visa.directory.services import create_space, find_duplicates
from visa.extensions import db
from visa.geo.boundaries import CoordinateError
from visa.geocoding.results import PlaceNotFound
from visa.geocoding.service import geocode
from visa.hosts.forms import SpaceForm
from visa.l10n import coordinate_problem


def locate(form: SpaceForm, exclude_id: int | None = None) -> bool:
    """Fill the point from the pin or, failing that, the address; check it. Errors go on the form."""
    if form.latitude.data is None or form.longitude.data is None:
        try:
            place = geocode(form.address_query())
        except PlaceNotFound:
            form.address_line1.errors.append(
                _("We could not place this address. Drag the pin on the map to your space."))
            return False
        form.latitude.data, form.longitude.data = place.lat, place.lon
        form.geocode_precision.data = place.precision
    try:
        check_location(form.latitude.data, form.longitude.data, form.country_code.data)
    except CoordinateError as err:
        form.latitude.errors.append(coordinate_problem(err))
        return False
    if not form.not_duplicate.data:
        twins = find_duplicates(form.name.data, form.latitude.data, form.longitude.data, exclude_id,
                                form.website.data or "", form.address_line1.data or "", form.city.data or "")
        if twins:
            form.duplicates = twins
            form.name.errors.append(
                _("“%(name)s” is already listed a few steps away. Claim it instead, or tick the box below "
                  "if yours is a different space.", name=twins[0].name))
            return False
    return True


def submit_space(form: SpaceForm) -> Space:
    """A new listing waits for an admin; its submitter becomes its host."""
    fields = form.space_fields() | {"status": SpaceStatus.PENDING, "geocode_source": "web"}
    space = create_space(fields, {}, source="web", user_id=current_user.id)
    db.session.add(SpaceHost(space_id=space.id, user_id=current_user.id, is_confirmed=True))
    return space


def claim_space(space: Space) -> None:
    """An existing listing; an admin confirms the claim."""
    db.session.add(SpaceHost(space_id=space.id, user_id=current_user.id, is_confirmed=False))
