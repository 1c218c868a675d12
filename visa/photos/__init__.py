"""A listing's photos: upload, checks and renditions, the store, approval, the gallery and the open data."""
