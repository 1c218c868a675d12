"""Impact data: a host's record on its listing, impact figures and charts, the open data export, privacy.

``figures`` computes (a space's from its own rows, the network's from monthly
rollups kept by ``rollup``); ``suppression`` guards what is published;
``charts`` and ``maps`` draw; ``reminders`` and ``privacy`` are the cron and
operator tasks (`visa remind-hosts`, `visa forget EMAIL`).
"""
