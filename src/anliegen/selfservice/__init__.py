"""Self-service: incident updates and their fan-out, the public status page, the knowledge base and deflection."""
