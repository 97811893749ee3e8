"""One module per pipeline stage; each exports one function named like the module."""
