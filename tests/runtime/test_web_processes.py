"""The listening sockets of `anliegen web --workers N`: one per process with SO_REUSEPORT, else one shared."""

from __future__ import annotations

import socket

import pytest

from anliegen.runtime import web_processes
from anliegen.runtime.web_processes import Listeners

linux_only = pytest.mark.skipif(not web_processes.kernel_balances(), reason="SO_REUSEPORT balances on Linux only")


@linux_only
def test_each_process_gets_its_own_socket_of_the_same_port():
    listeners = Listeners("127.0.0.1", 0, reuse_port=True)
    first, second = listeners.for_process(), listeners.for_process()
    try:
        assert first.fileno() != second.fileno()
        assert first.getsockname() == second.getsockname() == ("127.0.0.1", listeners.port)
        assert first.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT)
    finally:
        for sock in (first, second):
            listeners.handed_over(sock)
        listeners.close()
    assert first.fileno() == -1  # the parent keeps no copy a process's share of connections could wait in


@linux_only
def test_a_port_taken_by_another_reuse_port_server_is_refused():
    other = Listeners("127.0.0.1", 0, reuse_port=True)
    held = other.for_process()
    try:
        with pytest.raises(OSError):
            Listeners("127.0.0.1", other.port, reuse_port=True)
    finally:
        held.close()


def test_without_reuse_port_every_process_shares_one_socket():
    listeners = Listeners("127.0.0.1", 0, reuse_port=False)
    try:
        sock = listeners.for_process()
        assert listeners.for_process() is sock
        listeners.handed_over(sock)
        assert sock.fileno() != -1  # kept for a process that replaces one that ended
    finally:
        listeners.close()
