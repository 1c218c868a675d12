"""Accounts of hosts and admins (travellers need none)."""
