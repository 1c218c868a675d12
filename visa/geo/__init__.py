"""Pure geometry: coordinates, distances and country boundaries (no Flask)."""
