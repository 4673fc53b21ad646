"""Shared core every area builds on: configuration, extensions, errors, language, text, numbers and
the clock."""
