"""Leaderboards: standings computed from the sheets, cached under a version token, their exports
and the unit profiles."""
