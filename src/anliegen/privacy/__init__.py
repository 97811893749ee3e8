"""Personal data of a contact: export (ZIP), erasure, and retention periods per brand."""
