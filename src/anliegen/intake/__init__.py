"""Intake: the durable Inbound store and the pipeline that turns an Inbound into a case message."""
