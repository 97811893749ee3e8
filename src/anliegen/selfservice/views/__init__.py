"""Public self-service pages: no login, cached, in German and English."""
