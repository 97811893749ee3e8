"""Customer pages: the web form, the case page behind a signed link, the status page."""
