"""Reciprocity: will this host honor a member of that home space, on that day, and why."""
