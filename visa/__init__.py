"""Coworking Visa Directory: the registry of participating spaces and the map to find them.

Deliberately empty: importing a pure module (``visa.reciprocity.rules``,
``visa.geo.distance``, ...) must not load Flask. The app factory is ``visa.app.create_app``.
"""
