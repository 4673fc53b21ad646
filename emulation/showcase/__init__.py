"""The public showcase of typical examples (điển hình tiên tiến)."""
