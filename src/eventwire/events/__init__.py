"""Event extraction and coding."""
