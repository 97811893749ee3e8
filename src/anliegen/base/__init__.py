"""What every layer may use and that names no layer above it: a batch's unit of work, parsed messages, desk pushes."""
