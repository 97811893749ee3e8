"""The app channel: "report a problem" straight from a customer's app, authenticated by the brand's API key."""
