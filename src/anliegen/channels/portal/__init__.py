"""The case page channel: a customer's reply typed on their signed case page."""
