"""Date formats where Django's defaults mislead (see en/formats.py)."""
