"""No Django models: the search structures are database-side (see schema.py); this module lets post_migrate reach us."""
