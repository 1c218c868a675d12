"""Keeping the registry honest: imports, exports, reports, merges, freshness reminders and the review pages."""
