"""The package version, read by the build and sent on the wire as the SDK marker."""

__version__ = "0.1.0"
