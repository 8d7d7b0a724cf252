"""eventwire: news streams to coded, dated, provenance-tracked event data."""

__version__ = "0.1.0"
