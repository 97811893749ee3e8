"""Demo data: the demo brand, its agents and the customer voices of the demo cases."""
