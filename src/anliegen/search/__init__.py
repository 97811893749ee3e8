"""Full-text search for agents over cases, messages and contacts, scoped to the agent's brands."""
