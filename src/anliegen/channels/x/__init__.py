"""X (Twitter): mentions and replies as public posts, direct messages as private ones (Account Activity API)."""
