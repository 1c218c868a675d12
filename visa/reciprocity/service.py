"""Reciprocity for the app: rules from the database, verdicts, the map filter, network reach.

Every answer comes from :mod:`visa.reciprocity.rules`; this module only loads
the spaces and hands them over.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial

import numpy as np
import sqlalchemy as sa
from rapidfuzz import fuzz, process
from rapidfuzz.utils import default_process

from visa.directory import terms_schema
from visa.directory.models import Space, VisaTerms, terms_excluded_spaces
from visa.directory.spatial_index import SpatialIndex, get_index
from visa.extensions import db
from visa.reciprocity.rule_columns import city_code, city_key, rule_columns
from visa.reciprocity.rules import SpaceRules, Terms, Verdict, decide, honoring_mask


def _season(terms: VisaTerms) -> tuple[tuple[int, int], tuple[int, int]] | None:
    if terms.season_start and terms.season_end:
        return (terms.season_start.month, terms.season_start.day), (terms.season_end.month, terms.season_end.day)
    return None


def _blackouts(raw: list) -> tuple[tuple[date, date], ...]:
    periods = []
    for item in raw or []:
        try:
            periods.append((date.fromisoformat(item["start"]), date.fromisoformat(item["end"])))
        except (KeyError, TypeError, ValueError):
            continue  # the terms form never stores such an entry; an old import might
    return tuple(periods)


def rules_for(space: Space) -> SpaceRules:
    """The space as the rules see it: each terms field with a ``rule`` name in the terms schema, as a plain value."""
    t = space.terms
    terms = Terms(
        **{rule: f.to_plain(getattr(t, f.name)) for rule, f in terms_schema.BY_RULE.items()},
        season=_season(t), blackouts=_blackouts(t.blackout_dates),
        excluded_ids=frozenset(s.id for s in t.excluded_spaces),
    ) if t else Terms(participates=None)
    contact = (t.request_contact if t else "") or space.email or space.phone or space.website
    return SpaceRules(space.id, space.slug, space.name, space.latitude, space.longitude,
                      city_key(space.country_code, space.city), space.is_visible, terms, contact)


def find_home(slug_or_name: str) -> Space | None:
    """An approved space by slug, or by its exact name when only one has it."""
    text = (slug_or_name or "").strip()
    if not text:
        return None
    found = db.session.scalars(Space.visible().where(Space.slug == text)).unique().one_or_none()
    if found is not None:
        return found
    named = db.session.scalars(Space.visible().where(sa.func.lower(Space.name) == text.lower())).unique().all()
    return named[0] if len(named) == 1 else None


@dataclass(frozen=True)
class HomeCandidate:
    slug: str
    name: str
    city: str
    country_code: str


#: Candidates offered when a typed home space name is ambiguous or misspelt.
MAX_HOME_CANDIDATES = 8
#: Below this likeness (rapidfuzz WRatio, 0-100) a name is not offered: "Nowhere Hub" should not suggest "Hub 9".
_HOME_LIKENESS = 70


def home_candidates(text: str, limit: int = MAX_HOME_CANDIDATES) -> list[HomeCandidate]:
    """Approved spaces whose name is like *text*, most similar first (same-named ones by city).

    Only names, slugs and cities are read, so this stays cheap with tens of thousands of spaces.
    """
    text = (text or "").strip()
    if not text:
        return []
    rows = db.session.execute(sa.select(Space.slug, Space.name, Space.city, Space.country_code)
                              .where(Space.is_visible)).all()
    # Case and punctuation do not tell two names apart for a person typing one.
    scored = process.extract(text, [r.name for r in rows], scorer=fuzz.WRatio, processor=default_process,
                             score_cutoff=_HOME_LIKENESS, limit=None)
    scored.sort(key=lambda hit: (-hit[1], rows[hit[2]].name, rows[hit[2]].city))
    return [HomeCandidate(*rows[index]) for _name, _score, index in scored[:limit]]


def verdict(home: Space, host: Space, on_date: date | None = None) -> Verdict:
    return decide(rules_for(home), rules_for(host), on_date)


def _hosts_excluding(home_id: int) -> np.ndarray:
    ids = db.session.scalars(sa.select(terms_excluded_spaces.c.space_id)
                             .where(terms_excluded_spaces.c.excluded_space_id == home_id)).all()
    return np.array(ids, dtype=np.int64)


def honor_mask(index: SpatialIndex, home: Space) -> np.ndarray:
    """Rows of *index* whose space honors members of *home*; cached for the index's version."""
    columns = rule_columns(index, db.session)

    def compute() -> np.ndarray:
        home_rules = rules_for(home)
        return honoring_mask(home_rules, columns.hosts, _hosts_excluding(home.id), city_code(home_rules.city_key))

    return columns.masks.get(home.id, compute)


def search_filter(home: Space | None) -> Callable[[SpatialIndex], np.ndarray] | None:
    """The search's ``honors`` filter: hosts that honor members of *home* (None: no filter)."""
    return None if home is None else partial(honor_mask, home=home)


def date_range(start: date, end: date) -> list[date]:
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


@dataclass
class Reach:
    hosts_honoring: list[Space]  # where this space's members may go
    countries: list[str]
    homes_hosted: list[Space]  # whose members this space hosts


def network_reach(space: Space) -> Reach:
    """Both directions of a space's place in the network."""
    index = get_index(db.session)
    mask = honor_mask(index, space)
    honoring_ids = index.ids[mask]
    hosts = db.session.scalars(sa.select(Space).where(Space.id.in_(honoring_ids.tolist()))
                               .order_by(Space.country_code, Space.name)).unique().all() if len(honoring_ids) else []
    me = rules_for(space)
    others = db.session.scalars(Space.visible().where(Space.id != space.id).join(VisaTerms)
                                .where(VisaTerms.is_participating)).unique().all()
    homes = [other for other in others if decide(rules_for(other), me).honored]
    return Reach(list(hosts), sorted({h.country_code for h in hosts}), sorted(homes, key=lambda s: (s.country_code, s.name)))
