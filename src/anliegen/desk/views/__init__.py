"""Desk views, one module per job."""
