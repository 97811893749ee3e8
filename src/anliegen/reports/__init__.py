"""Reports for supervisors: service figures per brand, team, agent, channel and date range, as SQL aggregates."""
