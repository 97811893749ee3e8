"""The web form channel: a public form per brand, no login, answered by a named person at once."""
