"""The registry: spaces, their visa terms and revisions, the spatial index and search over them."""
