"""SMS through a Twilio-compatible API: signed form webhooks in, status callbacks, long texts in segments out."""
