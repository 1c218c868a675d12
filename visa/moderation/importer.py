"""Import a legacy list (CSV or GeoJSON) into the registry, idempotently, with a report.

Each row is cleaned (visa.moderation.rows), placed (its coordinates checked
against its country and against the geocoded address, geocoded offline when
missing, and placed from the address when impossible or in another country),
matched (an import key from the website plus the city, or the name plus the
city, with the street and the name for branches that share those, so a second
run creates nothing twice and branches never swap), checked for duplicates,
then created or updated with a revision. Rows flagged for a reviewer are
imported as pending. One import runs at a time (visa.moderation.import_lock).

Terms say what the source said and nothing else: a term the row does not state
stays "not stated", and "terms last confirmed" stays empty unless a column
gives the date.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Container
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
from visa.messages import N_, AllOf, Message, Place, define
from visa.moderation.coordinate_check import distance_flag
from visa.moderation.rows import CleanRow, FileRejected, RowError, clean, read_sheet
from visa.timeutil import utcnow

#: Given coordinates further than this from the geocoded city are flagged for review.
MAX_KM_FROM_CITY = 50.0
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
_BATCH = 500
_KEY_LENGTH = 300  # Space.import_key's column
#: An import waits this long for a geocoding slot (the map's lookups come and go; an import is one thread).
_GEOCODE_WAIT = 60.0

define({
    # Translators: %(mb)s is the largest file size allowed, in megabytes.
    "file_too_large": N_("the file is larger than %(mb)s MB"),
    "no_country": N_("no country, and none could be found from the city"),
    # Translators: %(query)s is the address that was given to the geocoder.
    "not_geocoded": N_("no coordinates, and “%(query)s” could not be geocoded"),
    # Translators: %(name)s is the space's name in the file; %(other)s the
    # name of the space already listed.
    "already_listed": N_("“%(name)s” is already listed as “%(other)s”"),
    # Translators: %(name)s is the space's name in the file; %(other)s the
    # name of a listed space nearby; %(slug)s that space's slug;
    # %(differences)s what differs (“a different website”).
    "possible_duplicate": N_("“%(name)s” is near “%(other)s” (%(slug)s) but has %(differences)s"),
    # Translators: %(first)s is the number of the earlier line of the file;
    # %(why)s what the two lines share (“the same website and city”).
    "same_key": N_("the same space as line %(first)s (%(why)s); only line %(first)s is imported"),
    "same_site_and_city": N_("the same website and city"),
    "same_site_city_street_name": N_("the same website, city, street and name"),
    "same_name_and_city": N_("the same name and city"),
    "same_name_city_street": N_("the same name, city and street"),
    # Translators: %(place)s is the place found for the address; %(reason)s
    # why the given point was not used (a translated phrase).
    "point_replaced": N_("placed from the address (%(place)s) instead of the given point; check it: %(reason)s"),
    # Translators: %(reason)s is why the given point was not used (a
    # translated phrase).
    "point_kept": N_("the listing keeps its point instead of the given one: %(reason)s"),
    # Translators: %(other)s is the name of another space with the same
    # coordinates.
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
    repaired: list[Problem] = field(default_factory=list)  # values read after a sure repair
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
                 ("warnings", "value left out", self.warnings), ("repaired", "value repaired", self.repaired))
        return [(kind, label, sorted(problems, key=lambda p: p.line)) for kind, label, problems in kinds if problems]


def import_key(row: CleanRow, country: str, branch: bool = False) -> str:
    """The website plus the city, or the name plus the city; for a *branch* also the street address and the name.

    A row is a branch when another row of its file has the same short key: The Creative Farm's Colfax and
    Highlands houses share a website and Denver, so each is told apart by its street and its name. Long
    websites are cut to the column's length with a digest of the rest, so a key never overflows the column.
    """
    f = row.fields
    site = f.get("website")
    if site:
        key = f"{_site_key(site)}:{country}:{slugify(f['city'])}"
        if branch:
            key += f":{slugify(f['address_line1'])}:{slugify(f['name'])}"
    else:
        key = f"name:{country}:{slugify(f['city'])}:{slugify(f['name'])}"
        if branch:
            key += f":{slugify(f['address_line1'])}"
    if len(key) > _KEY_LENGTH:
        key = key[:_KEY_LENGTH - 17] + ":" + hashlib.sha256(key.encode()).hexdigest()[:16]
    return key


def _site_key(site: str) -> str:
    """The key imports before 2026-11-24 gave a space: its website alone."""
    parts = urlsplit(site)
    return "web:" + parts.netloc.lower().removeprefix("www.") + parts.path.rstrip("/").lower()


#: What placing a row sets: left out of an update whose given point was wrong.
_POINT_FIELDS = ("latitude", "longitude", "geocode_precision", "geocode_source", "timezone")
#: Why two rows are one space, by (has a website, is a branch).
_SAME = {(True, False): "same_site_and_city", (True, True): "same_site_city_street_name",
         (False, False): "same_name_and_city", (False, True): "same_name_city_street"}


def _identity(row: CleanRow) -> tuple[str, str]:
    """What tells branches apart: the name and the street address."""
    return slugify(row.fields["name"]), slugify(row.fields["address_line1"])


class _Registry:
    """What the import needs to know about existing spaces, held in memory for speed."""

    def __init__(self) -> None:
        rows = db.session.execute(sa.select(Space.id, Space.slug, Space.import_key, Space.name, Space.latitude,
                                            Space.longitude, Space.status, Space.website, Space.address_line1,
                                            Space.city)).all()
        self.slugs = {r.slug for r in rows}
        self.by_key = {r.import_key: r.id for r in rows if r.import_key}
        self.identity = {r.id: (slugify(r.name), slugify(r.address_line1 or "")) for r in rows}
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

    def find(self, row: CleanRow, country: str, key: str, branch: bool, claimed: Container[int]) -> int | None:
        """The listing this row updates: by its key, by the other form of its key, or by a website-only key
        (imports before 2026-11-24); never one an earlier row of the file took.

        A branch takes a listing keyed without its street and name (before its sister branch came) only when
        that listing's name and street are the row's: the other branch is a new space, never written over it.
        """
        candidates = [(key, False)]
        if branch:
            candidates.append((import_key(row, country), True))
        else:
            candidates.append((import_key(row, country, branch=True), False))
        if row.fields.get("website"):
            candidates.append((_site_key(row.fields["website"]), branch))
        for candidate, same_branch_only in candidates:
            found = self.by_key.get(candidate)
            if found is None or found in claimed:
                continue
            if same_branch_only and self.identity.get(found) != _identity(row):
                continue
            return found
        return None

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
                self.answers[query] = geocode(query, wait=_GEOCODE_WAIT)
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
    queries = [address_query, city_query,
               ", ".join(p for p in (f["address_line2"], f["city"], f["region"], country or row.country_text) if p)]
    if row.has_point:
        try:
            check_location(f["latitude"], f["longitude"], country)
        except CoordinateError as err:
            # Scaled by 10^5, a lost sign, the latitude written twice, another country: the address still
            # says where the space is. Placed from it, the row waits for a reviewer; without it, it is rejected.
            place = _first_place(geocode, queries)
            if place is None:
                raise RowError(row.line, err) from None
            flags.append(Message("point_replaced", reason=err, place=_named_place(place)))
            row.has_point = False
            _set_point(f, place)
        else:
            f.update(geocode_precision="exact", geocode_source="import")
            return country, flags + _distance_flags(row, country, city_place)
    else:
        place = _first_place(geocode, queries)
        if place is None:
            raise RowError(row.line, Message("not_geocoded", query=address_query))
        _set_point(f, place)
    try:
        check_location(f["latitude"], f["longitude"], country)
    except CoordinateError as err:
        raise RowError(row.line, err) from None
    return country, flags


def _named_place(place) -> Place:
    """A geocoder's answer as a town in a message; the gazetteer's "town, region, country" is said in the
    reader's language (a remote provider's label is shown as it came)."""
    parts = [p.strip() for p in place.label.split(",")]
    if place.source == "offline" and len(parts) >= 2 and place.country:
        return Place(place.label, parts[0], ", ".join(parts[1:-1]), place.country)
    return Place(place.label)


def _set_point(f: dict, place) -> None:
    f.update(latitude=place.lat, longitude=place.lon, geocode_precision=place.precision,
             geocode_source=f"import:{place.source}", timezone=place.timezone)


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
    """Import every row; the caller commits (or rolls back a dry run).

    Every row is cleaned and placed first, so that each one's key is known before anything is written: rows
    sharing a website and a city are branches (see :func:`import_key`), rows sharing the whole key are one
    space written twice and are reported together. The registry version is written once, at the end: it is
    one row that every write to a listing updates, and holding its lock through a long import would make
    every host's save wait for the import's commit.
    """
    report = ImportReport(dry_run=dry_run)
    data = stream.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        report.file_error = Problem(0, Message("file_too_large", mb=MAX_UPLOAD_BYTES // (1024 * 1024)))
        return report
    try:
        sheet = read_sheet(data, filename)
    except FileRejected as err:
        report.file_error = Problem(err.line, err.reason)
        return report
    bumped_before = db.session.info.get("registry_bumped")
    db.session.info["registry_bumped"] = True  # the ORM's per-flush bump waits for the end (see below)
    registry = _Registry()
    cached_geocode = _Geocoder()
    rows, report.unmapped = sheet.rows, sheet.unmapped
    placed: list[tuple[CleanRow, str, list[Message]]] = []
    for raw in rows:
        report.rows += 1
        try:
            row = clean(raw, sheet)
            country, flags = _place(row, _country(row), cached_geocode)
        except RowError as err:
            report.rejected.append(Problem(err.line, err.reason))
            continue
        report.warnings += [Problem(row.line, warning) for warning in row.warnings]
        report.repaired += [Problem(row.line, repair) for repair in row.repairs]
        placed.append((row, country, flags))
    # A short key that names several spaces (told apart by street and name) is shared by branches.
    short_keys = Counter(short for short, _ in {(import_key(row, country), _identity(row)) for row, country, _ in placed})
    first_line: dict[str, int] = {}  # key -> the line that took it
    claimed: dict[int, int] = {}  # listing id -> the line that updates it
    batch: list[tuple[dict, dict]] = []
    now = utcnow()
    source_file = PurePath(filename or "").name[:200]  # what the listings' provenance names: "imported from FILE"
    for i, (row, country, flags) in enumerate(placed, start=1):
        branch = short_keys[import_key(row, country)] > 1
        key = import_key(row, country, branch)
        first = first_line.get(key)
        if first is not None:
            why = Message(_SAME[bool(row.fields.get("website")), branch])
            report.duplicates.append(Problem(row.line, Message("same_key", first=first, why=why)))
            continue
        first_line[key] = row.line
        existing_id = registry.find(row, country, key, branch, claimed)
        fields = row.fields | {"country_code": country, "import_key": key}
        if existing_id is not None:
            claimed[existing_id] = row.line
            replaced = [flag for flag in flags if flag.code == "point_replaced"]
            if replaced:  # a listing's point is never overwritten by a guess from its address
                fields = {k: v for k, v in fields.items() if k not in _POINT_FIELDS}
                report.warnings.append(Problem(row.line, Message("point_kept", reason=replaced[0].params["reason"])))
            _update(db.session.get(Space, existing_id), fields, row.terms, user_id, report)
        else:
            if _is_duplicate(registry, row.line, fields, flags, report):
                continue
            status = SpaceStatus.PENDING if flags else SpaceStatus.APPROVED
            space_values = fields | {"slug": registry.unique_slug(fields["name"], fields["city"]), "status": status,
                                     "lock_version": 1, "is_demo": False, "import_file": source_file}
            terms_values = _TERMS_NOT_STATED | row.terms
            batch.append((space_values, terms_values))
            registry.add(_listing(space_values))
            report.created += 1
            report.flagged += [Problem(row.line, flag) for flag in flags]
        if i % _BATCH == 0:
            _insert(batch, user_id, now)
            batch = []
            if progress:
                progress(f"  {i:,}/{len(placed):,} rows")
    _insert(batch, user_id, now)
    db.session.flush()
    if report.created or report.updated:
        bump_registry_version(db.session.connection())
    elif not bumped_before:
        db.session.info.pop("registry_bumped", None)  # nothing written: the caller's own writes bump as usual
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
                   "website": "", "links": {}, "email": "", "phone": "", "price_amount": None, "price_currency": "",
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


def _update(space: Space | None, fields: dict, terms: dict, user_id: int | None, report: ImportReport) -> None:
    if space is None:  # deleted since the import read the registry
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
