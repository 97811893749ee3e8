"""`anliegen smtpd`, `mailgate`, `import`, `fetchmail`."""
