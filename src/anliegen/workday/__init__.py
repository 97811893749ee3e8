"""The agent's working day: macros (text blocks with actions), tags, saved views and bulk actions on cases."""
