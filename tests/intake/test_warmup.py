"""warmup: a process that takes in mail has imported the URL configuration before its first confirmation."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

SCRIPT = """
import sys, django
django.setup()
names = ["anliegen.urls", "anliegen.channels.email.parse", "django.conf.locale.de.formats"]
before = [name in sys.modules for name in names]
from anliegen.intake.warmup import warm_up
warm_up()  # without a migrated database too: the holiday calendars are then left for later
print(*before, *[name in sys.modules for name in names])
"""


@pytest.mark.nodb
def test_warm_up_imports_the_url_configuration_parsers_and_formats(tmp_path):
    env = os.environ | {"DJANGO_SETTINGS_MODULE": "anliegen.settings", "ANLIEGEN_DATA_DIR": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False"] * 3 + ["True"] * 3
