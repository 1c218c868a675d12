"""The traveller's pages that join the registry and reciprocity: the map search and a space's page.

Above both ``directory`` and ``reciprocity`` in the layers, so neither imports the other's pages.
"""
