"""The audit log: who did what to which case, contact or promise, and who looked at whose personal data."""
