"""Routing: who owns a case, who can decide, who is available, how long the wait is."""
