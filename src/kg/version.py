"""The package's version, shared by every layer (it is stamped into the manifest)."""
__version__ = "0.1.0"
