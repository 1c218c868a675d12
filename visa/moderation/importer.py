"""Import a legacy list (CSV or GeoJSON) into the registry, idempotently, with a report.

Each row is cleaned (visa.moderation.rows), placed (its coordinates checked
against its country and against the geocoded address, or geocoded offline
when missing), matched (an import key from the website plus the city, or the
name plus the city, so a second run creates nothing twice and branches never
swap), checked for duplicates, then created or updated with a revision. Rows
flagged for a reviewer are imported as pending.

Terms say what the source said and nothing else: a term the row does not state
stays "not stated", and "terms last confirmed" stays empty unless a column
gives the date.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import BinaryIO
from urllib.parse import urlsplit

import sqlalchemy as sa

from visa.directory import terms_schema
from visa.directory.duplicates import Likeness, Listing, Match, compare
from visa.directory.locations import check_location, namesakes
from visa.directory.models import LISTED_OR_PENDING, Space, SpaceStatus, VisaTerms, bump_registry_version
from visa.directory.revisions import record_new_spaces, record_revision, snapshot
from visa.directory.services import slug_base, slugify
from visa.extensions import db
from visa.geo.boundaries import CoordinateError
from visa.geocoding.normalize import name_key
from visa.geocoding.results import PlaceNotFound
from visa.geocoding.service import geocode, geocoder
from visa.messages import N_, AllOf, Message, define
from visa.moderation.coordinate_check import distance_flag
from visa.moderation.rows import CleanRow, FileRejected, RowError, clean, read_sheet
from visa.timeutil import utcnow

#: Given coordinates further than this from the geocoded city are flagged for review.
MAX_KM_FROM_CITY = 50.0
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
_BATCH = 500

define({
    "file_too_large": N_("the file is larger than %(mb)s MB"),
    "no_country": N_("no country, and none could be found from the city"),
    "not_geocoded": N_("no coordinates, and “%(query)s” could not be geocoded"),
    "already_listed": N_("“%(name)s” is already listed as “%(other)s”"),
    "possible_duplicate": N_("“%(name)s” is near “%(other)s” (%(slug)s) but has %(differences)s"),
    "shared_point": N_("same coordinates as “%(other)s”, a different space: a placeholder or a city centre? "
                       "Set each space's own point"),
})


@dataclass
class Problem:
    """One line of the report; *reason* prints in English (a :class:`Message` is a ``str``), and
    ``visa.l10n.say`` writes it in the reader's language."""

    line: int
    reason: str | CoordinateError


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: list[Problem] = field(default_factory=list)
    possible_duplicates: list[Problem] = field(default_factory=list)
    rejected: list[Problem] = field(default_factory=list)
    flagged: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)  # values left out; the row was imported
    unmapped: list[str] = field(default_factory=list)  # columns the import did not read
    file_error: Problem | None = None  # the whole file could not be read
    dry_run: bool = False

    def lines(self) -> list[str]:
        """The summary, then each group's lines in file order (what the CLI prints)."""
        if self.file_error is not None:
            return [f"rejected the file: {self.file_error.reason}"]
        out = [self.summary()]
        for _kind, label, problems in self.groups():
            out += [f"line {p.line}: {label}: {p.reason}" for p in problems]
        if self.unmapped:
            out.append(f"columns not read: {', '.join(self.unmapped)}")
        return out

    def summary(self) -> str:
        return (f"{'DRY RUN: nothing was saved. ' if self.dry_run else ''}{self.rows} rows: {self.created} created, "
                f"{self.updated} updated, {self.unchanged} unchanged, {len(self.duplicates)} skipped as duplicates, "
                f"{len(self.rejected)} rejected, {len(self.flagged)} flagged for review (imported as pending), "
                f"{len(self.possible_duplicates)} possible duplicates kept.")

    def groups(self) -> list[tuple[str, str, list[Problem]]]:
        """(kind, its words, its problems in file order) for every kind that has some."""
        kinds = (("rejected", "rejected", self.rejected), ("flagged", "flagged", self.flagged),
                 ("duplicates", "duplicate", self.duplicates),
                 ("possible_duplicates", "possible duplicate, kept", self.possible_duplicates),
                 ("warnings", "value left out", self.warnings))
        return [(kind, label, sorted(problems, key=lambda p: p.line)) for kind, label, problems in kinds if problems]


def import_key(row: CleanRow, country: str) -> str:
    """The website plus the city, or the name plus the city: branches sharing a website keep their own keys."""
    site = row.fields.get("website")
    if site:
        return f"{_site_key(site)}:{country}:{slugify(row.fields['city'])}"
    return f"name:{country}:{slugify(row.fields['city'])}:{slugify(row.fields['name'])}"


def _site_key(site: str) -> str:
    """The key imports before 2026-11-24 gave a space: its website alone."""
    parts = urlsplit(site)
    return "web:" + parts.netloc.lower().removeprefix("www.") + parts.path.rstrip("/").lower()


class _Registry:
    """What the import needs to know about existing spaces, held in memory for speed."""

    def __init__(self) -> None:
        rows = db.session.execute(sa.select(Space.id, Space.slug, Space.import_key, Space.name, Space.latitude,
                                            Space.longitude, Space.status, Space.website, Space.address_line1,
                                            Space.city)).all()
        self.slugs = {r.slug for r in rows}
        self.by_key = {r.import_key: r.id for r in rows if r.import_key}
        self.cells: dict[tuple[int, int], list[Listing]] = {}
        for r in rows:
            if r.status in LISTED_OR_PENDING:
                self.add(Listing(r.name, r.latitude, r.longitude, r.website or "", r.address_line1 or "",
                                 r.city or "", r.slug))

    @staticmethod
    def _cell(lat: float, lon: float) -> tuple[int, int]:
        return int(lat * 100), int(lon * 100)  # about 1 km: neighbours cover 300 m

    def add(self, listing: Listing) -> None:
        self.cells.setdefault(self._cell(listing.lat, listing.lon), []).append(listing)

    def likest(self, listing: Listing) -> tuple[Match, Listing] | None:
        """The listed space most like *listing* (the same space first, then a possible one, then a shared point)."""
        cx, cy = self._cell(listing.lat, listing.lon)
        found = []
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                for other in self.cells.get((cx + dx, cy + dy), ()):
                    match = compare(listing, other)
                    if match is not None:
                        found.append((match, other))
        order = (Likeness.SAME, Likeness.POSSIBLE, Likeness.SHARED_POINT)
        return min(found, key=lambda pair: order.index(pair[0].likeness), default=None)

    def unique_slug(self, name: str, city: str) -> str:
        base = slug_base(name, city)
        slug, n = base, 2
        while slug in self.slugs:
            slug, n = f"{base}-{n}", n + 1
        self.slugs.add(slug)
        return slug


def _country(row: CleanRow) -> str | None:
    """The row's country code; a constituent country ("England") or another region alone names its country."""
    text = row.country_text.strip()
    if not text:
        return None
    if len(text) == 2 and text.isalpha():
        return text.upper()
    gazetteer = geocoder().offline.gazetteer
    code = gazetteer.country_code(name_key(text))
    if code is None:
        regions = gazetteer.regions(name_key(text))
        if len({country for country, _ in regions}) == 1:
            code = regions[0][0]
            row.fields["region"] = row.fields["region"] or text  # "England" helps place the city
    return code


class _Geocoder:
    """The app's geocoder, remembering answers for this import: rows repeat their cities."""

    def __init__(self) -> None:
        self.answers: dict[str, object] = {}

    def __call__(self, query: str):
        if query not in self.answers:
            try:
                self.answers[query] = geocode(query)
            except PlaceNotFound as missing:
                self.answers[query] = missing
        answer = self.answers[query]
        if isinstance(answer, PlaceNotFound):
            raise answer
        return answer


def _place(row: CleanRow, country: str | None, geocode=geocode) -> tuple[str, list[Message]]:
    """Fill the point and country of *row*; returns (country, flags). :raise RowError:."""
    f, flags = row.fields, []
    city_query = ", ".join(p for p in (f["city"], f["region"], country or row.country_text) if p)
    address_query = ", ".join(p for p in (f["address_line1"], f"{f['postcode']} {f['city']}".strip(), f["region"],
                                          country or row.country_text) if p)
    try:
        city_place = geocode(city_query) if f["city"] else None
    except PlaceNotFound:
        city_place = None
    country = country or (city_place.country if city_place else None)
    if not country:
        raise RowError(row.line, Message("no_country"))
    if not row.has_point:
        place = _first_place(geocode, [address_query, city_query,
                                       ", ".join(p for p in (f["address_line2"], f["city"], f["region"],
                                                             country or row.country_text) if p)])
        if place is None:
            raise RowError(row.line, Message("not_geocoded", query=address_query))
        f.update(latitude=place.lat, longitude=place.lon, geocode_precision=place.precision,
                 geocode_source=f"import:{place.source}", timezone=place.timezone)
    else:
        f.update(geocode_precision="exact", geocode_source="import")
    try:
        check_location(f["latitude"], f["longitude"], country)
    except CoordinateError as err:
        raise RowError(row.line, err) from None
    if row.has_point:
        flags += _distance_flags(row, country, city_place)
    return country, flags


def _distance_flags(row: CleanRow, country: str, city_place) -> list[Message]:
    """Flag a given point far from every town of the row's name (visa.moderation.coordinate_check)."""
    f = row.fields
    same_country = city_place if city_place is not None and city_place.country == country else None
    if same_country is not None and not f.get("timezone"):
        f["timezone"] = same_country.timezone
    flag = distance_flag(f["latitude"], f["longitude"], f["city"], f["region"], country, namesakes(),
                         same_country, MAX_KM_FROM_CITY)
    return [flag] if flag else []


def _first_place(geocode, queries: list[str]):
    """The first of *queries* (the address, then the city, then the second line) that the geocoder places."""
    for query in dict.fromkeys(q for q in queries if q):
        try:
            return geocode(query)
        except PlaceNotFound:
            continue
    return None


def import_file(stream: BinaryIO, filename: str, dry_run: bool = False, user_id: int | None = None,
                progress: Callable[[str], None] | None = None) -> ImportReport:
    """Import every row; the caller commits (or rolls back a dry run)."""
    report = ImportReport(dry_run=dry_run)
    data = stream.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        report.file_error = Problem(0, Message("file_too_large", mb=MAX_UPLOAD_BYTES // (1024 * 1024)))
        return report
    registry = _Registry()
    cached_geocode = _Geocoder()
    batch: list[tuple[dict, dict]] = []
    now = utcnow()
    source_file = PurePath(filename or "").name[:200]  # what the listings' provenance names: "imported from FILE"
    try:
        sheet = read_sheet(data, filename)
    except FileRejected as err:
        report.file_error = Problem(err.line, err.reason)
        return report
    rows, report.unmapped = sheet.rows, sheet.unmapped
    for i, raw in enumerate(rows, start=1):
        report.rows += 1
        try:
            row = clean(raw, sheet)
            country, flags = _place(row, _country(row), cached_geocode)
        except RowError as err:
            report.rejected.append(Problem(err.line, err.reason))
            continue
        report.warnings += [Problem(row.line, warning) for warning in row.warnings]
        key = import_key(row, country)
        fields = row.fields | {"country_code": country, "import_key": key}
        existing_id = registry.by_key.get(key)
        if existing_id is None and row.fields.get("website") and registry.by_key.get(_site_key(row.fields["website"])):
            existing_id = registry.by_key.pop(_site_key(row.fields["website"]))  # keyed by an older import
            registry.by_key[key] = existing_id
        if existing_id is not None:
            _update(db.session.get(Space, existing_id), fields, row.terms, user_id, report)
        else:
            if _is_duplicate(registry, row.line, fields, flags, report):
                continue
            status = SpaceStatus.PENDING if flags else SpaceStatus.APPROVED
            space_values = fields | {"slug": registry.unique_slug(fields["name"], fields["city"]), "status": status,
                                     "lock_version": 1, "is_demo": False, "import_file": source_file}
            terms_values = _TERMS_NOT_STATED | row.terms
            batch.append((space_values, terms_values))
            registry.by_key[key] = None  # a second row with the same key in this file updates nothing
            registry.add(_listing(space_values))
            report.created += 1
            report.flagged += [Problem(row.line, flag) for flag in flags]
        if i % _BATCH == 0:
            _insert(batch, user_id, now)
            batch = []
            if progress:
                progress(f"  {i:,}/{len(rows):,} rows")
    _insert(batch, user_id, now)
    db.session.flush()
    return report


def _listing(fields: dict) -> Listing:
    return Listing(fields["name"], fields["latitude"], fields["longitude"], fields.get("website") or "",
                   fields.get("address_line1") or "", fields.get("city") or "", fields.get("slug") or "")


def _is_duplicate(registry: _Registry, line: int, fields: dict, flags: list[Message], report: ImportReport) -> bool:
    """Skip a row that is a listed space again; report a possible duplicate and keep it; flag a shared point."""
    found = registry.likest(_listing(fields))
    if found is None:
        return False
    match, other = found
    if match.likeness is Likeness.SAME:
        report.duplicates.append(Problem(line, Message("already_listed", name=fields["name"], other=other.name)))
        return True
    if match.likeness is Likeness.POSSIBLE:
        report.possible_duplicates.append(Problem(line, Message(
            "possible_duplicate", name=fields["name"], other=other.name, slug=other.slug,
            differences=AllOf(match.reasons))))
    else:
        flags.append(Message("shared_point", other=other.name))
    return False


#: A new space's terms: none stated until the row states them.
_TERMS_NOT_STATED = dict.fromkeys(terms_schema.FIELD_NAMES)
_SPACE_DEFAULTS = {"description": "", "address_line2": "", "terms_confirmed_at": None, "region": "", "postcode": "",
                   "timezone": "",
                   "website": "", "email": "", "phone": "", "price_amount": None, "price_currency": "",
                   "price_unit": "", "geocode_precision": "city", "geocode_source": "import", "terms_confirmed_by": None,
                   "terms_confirmed_via": "", "import_file": ""}


def _insert(batch: list[tuple[dict, dict]], user_id: int | None, now) -> None:
    """Write new spaces, their terms and their first revisions in three bulk statements.

    The ORM's unit of work costs about a millisecond a row; imports of tens of
    thousands of rows go through Core inserts instead, with the same revisions.
    """
    if not batch:
        return
    session = db.session
    session.flush()
    spaces = [_SPACE_DEFAULTS | values | {"created_at": now, "updated_at": now} for values, _ in batch]
    ids = session.execute(sa.insert(Space.__table__).returning(Space.__table__.c.id, sort_by_parameter_order=True),
                          spaces).scalars().all()
    session.execute(sa.insert(VisaTerms.__table__), [terms | {"space_id": space_id}
                                                     for space_id, (_, terms) in zip(ids, batch, strict=True)])
    record_new_spaces([(space_id, space, terms) for space_id, space, (_, terms) in zip(ids, spaces, batch, strict=True)],
                      user_id, "import", now)
    bump_registry_version(session.connection())


def _update(space: Space | None, fields: dict, terms: dict, user_id: int | None, report: ImportReport) -> None:
    if space is None:  # the same key twice in one file: the first row wins
        report.unchanged += 1
        return
    before = snapshot(space)
    for name, value in fields.items():
        if name in ("geocode_precision", "geocode_source", "timezone") and space.geocode_source == "web":
            continue  # a host's own pin beats an imported guess
        setattr(space, name, value)
    for name, value in terms.items():
        setattr(space.terms, name, value)
    if record_revision(space, before, user_id, "import") is None:
        report.unchanged += 1
        return
    report.updated += 1
