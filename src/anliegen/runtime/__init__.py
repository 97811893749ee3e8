"""A running installation: its processes (web, intake and task workers, SMTP listener), their commands, the demo."""
