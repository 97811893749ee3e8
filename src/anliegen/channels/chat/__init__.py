"""The chat channel: a widget on the brand's own pages talks to a named person over a websocket."""
