"""Channels: one package per way a customer reaches the team; see registry.py for the list."""
