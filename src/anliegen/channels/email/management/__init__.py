"""Management commands of the e-mail channel."""
