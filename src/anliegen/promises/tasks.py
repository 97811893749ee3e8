"""The promise check as a background task, for deployments that schedule work through the task queue."""

from __future__ import annotations

from django_tasks import task

from .checks import check_due


@task(queue_name="periodic")
def check_promises() -> dict:
    result = check_due()
    return {"reminded": result.reminded, "alarmed": result.alarmed}
