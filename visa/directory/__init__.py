"""The directory: the registry of spaces and the traveller's map search."""
