"""Parsing ahead on other cores: payloads parsed in separate processes while this one writes the batch before.

MIME parsing, HTML sanitising and trimming take about a third of a mail's intake time and need nothing but the
payload, so a bulk import hands each chunk to a process pool as soon as it is stored and runs the chunk before
through the pipeline meanwhile. The parse stage takes a result when one is waiting for its Inbound (with the
same payload and meta it would have parsed); anything else, a failed parse or a pool that died included, is
parsed in this process as before, so a result here only ever saves time and never changes what a message gets.

Only channels whose spec says `parses_ahead` (the parser reads the payload alone, no database) are handed out.
The pool's processes are forked from the importing process (see pool() for when that is safe).
"""

from __future__ import annotations

import atexit
import logging
import multiprocessing
import os
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import TypeVar

from django.conf import settings
from django.db import connections

from anliegen.channels import registry

log = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")
# (Inbound id, channel, raw payload, meta) as the parse stage would see them.
Job = tuple[int, str, bytes, dict]


@dataclass
class _Waiting:
    future: Future
    index: int
    digest: tuple[int, int]  # length and hash of the payload it parsed
    meta: dict


_pool: ProcessPoolExecutor | None = None
_failed = False  # a pool died or could not start: this process parses by itself from now on
_waiting: dict[int, _Waiting] = {}


def processes() -> int:
    """How many parse processes to start (settings.INTAKE_PARSE_PROCESSES; 0: none, parse in this process)."""
    wanted = settings.INTAKE_PARSE_PROCESSES
    if wanted is None:
        wanted = (os.cpu_count() or 1) - 1  # the other cores; this one writes
    return max(0, int(wanted))


def pool() -> ProcessPoolExecutor | None:
    """The parse processes, started on first use by forking this one (no start-up: Django is loaded already).

    A fork is only safe from a single thread and without open database connections (the child would share
    their sockets), so they are closed first, and there is no pool inside a transaction or beside other threads.
    """
    global _pool
    if processes() == 0:
        return None
    if _pool is None and not _failed and _may_fork():
        connections.close_all()  # reopened on the next query; nothing is open outside a transaction
        _pool = ProcessPoolExecutor(processes(), mp_context=multiprocessing.get_context("fork"))
        atexit.register(shutdown)
    return _pool


def _may_fork() -> bool:
    return _threads() == 1 and not any(c.in_atomic_block for c in connections.all(initialized_only=True))


def _threads() -> int:
    return threading.active_count()


def _give_up(exc: BaseException) -> None:
    global _failed
    log.warning("parse processes failed, parsing in this process: %s", exc)
    _failed = True
    shutdown()


def shutdown() -> None:
    """Stop the pool (at exit, and in tests); results not taken yet are dropped and parsed here."""
    global _pool
    if _pool is not None:
        _pool.shutdown(wait=False, cancel_futures=True)
        _pool = None
    _waiting.clear()


def submit(jobs: Iterable[Job]) -> int:
    """Start parsing these in the pool; returns how many were handed out (0 without a pool)."""
    jobs = [job for job in jobs if registry.spec(job[1]).parses_ahead]
    executor = pool() if jobs else None
    if executor is None:
        return 0
    try:
        future = executor.submit(parse_many, [(channel, raw, meta) for _pk, channel, raw, meta in jobs])
    except (BrokenProcessPool, RuntimeError) as exc:
        _give_up(exc)
        return 0
    for index, (pk, _channel, raw, meta) in enumerate(jobs):
        _waiting[pk] = _Waiting(future, index, _digest(raw), meta)
    return len(jobs)


def shared_map(fn: Callable[[T], R], items: list[T], chunksize: int = 100) -> list[R]:
    """fn over items (a module-level function of the payload alone), the pool taking its share of them
    while this process does the rest."""
    executor = pool()
    if executor is None or len(items) < 2 * chunksize:
        return [fn(item) for item in items]
    share = len(items) * processes() // (processes() + 1)
    try:
        theirs = executor.map(fn, items[:share], chunksize=chunksize)  # submitted now, collected below
    except (BrokenProcessPool, RuntimeError) as exc:
        _give_up(exc)
        return [fn(item) for item in items]
    mine = [fn(item) for item in items[share:]]
    try:
        return [*theirs, *mine]
    except Exception as exc:  # noqa: BLE001 - a dead pool costs time: do its share here
        _give_up(exc)
        return [*(fn(item) for item in items[:share]), *mine]


def take(pk: int | None, raw: bytes, meta: dict):  # noqa: ANN201 - ParsedMessage | None
    """The message parsed ahead for this Inbound, or None (not handed out, other input, failed): parse it here."""
    waiting = _waiting.pop(pk, None) if pk is not None else None
    if waiting is None or waiting.digest != _digest(raw) or waiting.meta != meta:
        return None
    try:
        results = waiting.future.result()
    except Exception as exc:  # noqa: BLE001 - a dead pool costs time, not the message: parse it here
        _give_up(exc)
        return None
    return results[waiting.index]


def forget(pks: Iterable[int]) -> None:
    """Drop results nobody took (their Inbounds were processed elsewhere or not at all)."""
    for pk in pks:
        _waiting.pop(pk, None)


def _digest(raw: bytes) -> tuple[int, int]:
    return len(raw), hash(raw)


def parse_many(items: list[tuple[str, bytes, dict]]) -> list:
    """In a pool process: each item's ParsedMessage, or None where it failed (the writer parses it again)."""
    results = []
    for channel, raw, meta in items:
        try:
            results.append(registry.parser(channel)(raw, meta))
        except Exception:  # noqa: BLE001 - parsed again in the writer, which quarantines it with the reason
            results.append(None)
    return results
