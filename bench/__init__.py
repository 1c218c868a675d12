"""``make bench``: performance figures on a 100,000-space network (not part of the tests)."""

