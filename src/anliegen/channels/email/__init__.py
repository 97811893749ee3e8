"""The e-mail channel: SMTP/LMTP listener, mail gate, IMAP poller, importer, parser and outbound mail."""
