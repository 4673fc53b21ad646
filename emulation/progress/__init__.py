"""Progress reports against registered targets, and their evidence files (minh chứng)."""
