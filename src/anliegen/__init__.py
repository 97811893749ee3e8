"""Anliegen: omnichannel customer service with one case and one named owner per concern."""

__version__ = "0.1.0"
