"""Whole-database backup and restore: the dump itself (``dump``) and its commands (``cli``)."""
