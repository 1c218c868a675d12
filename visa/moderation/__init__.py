"""Keeping the registry honest: revisions of every change (review tools build on it)."""
