"""The promise ledger: what was promised to a customer, by whom, by when, and whether it was kept."""
