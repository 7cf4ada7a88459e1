"""Practitioner Evidence Graph: build, reason over, query and serve the evidence."""
__version__ = "0.1.0"
