"""Badges: a listing's visa status as an image for the host's own site, and the network's own mark."""
