"""warmup: a process that takes in mail has imported the URL configuration before its first confirmation."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

SCRIPT = """
import sys, django
django.setup()
before = "anliegen.urls" in sys.modules
from anliegen.intake.warmup import warm_up
warm_up()
print(before, "anliegen.urls" in sys.modules)
"""


@pytest.mark.nodb
def test_warm_up_imports_the_url_configuration(tmp_path):
    env = os.environ | {"DJANGO_SETTINGS_MODULE": "anliegen.settings", "ANLIEGEN_DATA_DIR": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "True"]
