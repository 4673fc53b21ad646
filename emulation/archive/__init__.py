"""Export and import of a whole campaign."""
