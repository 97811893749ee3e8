"""The agent desk: inboxes, case view, replies, live updates."""
