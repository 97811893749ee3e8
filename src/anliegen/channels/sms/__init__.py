"""SMS: the transport that carries text messages (verification codes now, the SMS channel later)."""
