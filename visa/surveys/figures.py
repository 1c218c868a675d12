"""A wave's report and the network's survey tables, read from the database (figures computed in :mod:`.stats`).

The network's tables count closed waves only (an open wave's figures still move), by the year the wave opened
and the space's country; they are computed once per impact version (closing a wave bumps it) and kept on the app
(:func:`visa.impact.cache.cached`).
"""

from __future__ import annotations

import sqlalchemy as sa

from visa.directory.models import Space
from visa.extensions import db
from visa.impact.cache import cached
from visa.surveys.models import Channel, SurveyResponse, SurveyWave
from visa.surveys.stats import NetworkTable, Proportion, SpaceFigures, network_tables, space_figures


def wave_year(wave: SurveyWave) -> str:
    return str(wave.starts_on.year)


def wave_figures(wave: SurveyWave, kg_co2_per_km: float) -> SpaceFigures:
    rows = db.session.execute(sa.select(SurveyResponse.answers, SurveyResponse.channel)
                              .where(SurveyResponse.wave_id == wave.id)).all()
    verified = sum(1 for _answers, channel in rows if channel == Channel.INVITATION)
    return space_figures([answers for answers, _channel in rows], verified, wave.invited, kg_co2_per_km)


def comments(wave: SurveyWave) -> list[str]:
    """The open question's answers (its space's hosts only), in no particular order."""
    return [c for c in db.session.scalars(sa.select(SurveyResponse.comment).where(
        SurveyResponse.wave_id == wave.id, SurveyResponse.comment != "").order_by(sa.func.random()))]


def compute_network_tables() -> list[NetworkTable]:
    """Every closed wave's counts (made when it closed) by wave year and country, suppressed."""
    rows = db.session.execute(sa.select(SurveyWave.starts_on, Space.country_code, SurveyWave.counts)
                              .join(Space, Space.id == SurveyWave.space_id)
                              .where(SurveyWave.closed_at.is_not(None), SurveyWave.counts.is_not(None)))
    return network_tables((str(starts_on.year), country, counts) for starts_on, country, counts in rows)


def network() -> list[NetworkTable]:
    return cached(("survey-network",), compute_network_tables)


def network_proportions(year: str) -> dict[str, Proportion]:
    """The network's headline proportions for *year*'s waves, by indicator (those published)."""
    return {table.key: table.proportion for table in network() if table.wave == year and table.proportion}
