"""Outreach campaigns: every listed space is asked by mail to confirm its listing, and answers on /check/<token>."""
