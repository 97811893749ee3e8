"""Webhook tests deliver to a server on 127.0.0.1, which production refuses (integrations/targets.py)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _local_receivers_allowed(settings):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = True
