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


FREEZE = """
import gc, django
django.setup()
from anliegen.intake.warmup import warm_up
before = gc.get_freeze_count()
warm_up()
frozen = gc.get_freeze_count()
junk = [[n] for n in range(1000)]
warm_up()  # a second warm-up freezes nothing more: what the process makes later stays collectable
print(before, frozen, gc.get_freeze_count() - frozen)
"""


@pytest.mark.nodb
def test_warm_up_freezes_what_the_process_loaded_once(tmp_path):
    env = os.environ | {"DJANGO_SETTINGS_MODULE": "anliegen.settings", "ANLIEGEN_DATA_DIR": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", FREEZE], env=env, capture_output=True, text=True, check=True)
    before, frozen, later = map(int, out.stdout.split())
    assert before == 0
    assert frozen > 20_000  # Django's URL configuration, models, templates and catalogues
    assert later <= 0  # (frozen objects freed by their reference count leave it)
