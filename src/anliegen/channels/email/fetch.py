"""Collect a brand's mail from an IMAP mailbox: store first, mark afterwards, wait with IDLE where offered.

A message is flagged \\Seen (or moved) only after its Inbound is committed, so a crash in between means
it is fetched again — and then recognised by its Message-ID. The mailbox remembers the last UID it
stored within the folder's UIDVALIDITY; a new UIDVALIDITY starts over, again safely deduplicated.
"""

from __future__ import annotations

import logging
import socket
import ssl
import threading
from collections.abc import Iterable

from django.db import close_old_connections, connections
from django.utils import timezone
from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError

from .inbound import items_for, store
from .models import Mailbox

log = logging.getLogger(__name__)
FETCH_BATCH = 50
IDLE_SECONDS = 290  # below the 30 minutes servers allow (RFC 2177); refreshed well before NAT timeouts
POLL_SECONDS = 60
RETRY_SECONDS = (5, 15, 60, 300)
NETWORK_ERRORS = (OSError, socket.timeout, ssl.SSLError, IMAPClientError)


class Poller:
    """One mailbox: `run_once` fetches what is new; `run_forever` keeps the connection and waits for mail."""

    def __init__(self, mailbox: Mailbox, timeout: float = 30.0) -> None:
        self.mailbox = mailbox
        self.timeout = timeout
        self.client: IMAPClient | None = None

    def connect(self) -> IMAPClient:
        box = self.mailbox
        client = IMAPClient(box.host, port=box.port, ssl=box.ssl, timeout=self.timeout)
        client.login(box.username, box.password)
        self.client = client
        return client

    def close(self) -> None:
        if self.client is not None:
            try:
                self.client.logout()
            except Exception:  # noqa: BLE001 - the connection may already be gone
                log.debug("logout from %s failed", self.mailbox, exc_info=True)
            self.client = None

    def run_once(self) -> int:
        """Fetch, store and mark every message above the last stored UID; return how many were new."""
        client = self.client or self.connect()
        box = self.mailbox
        info = client.select_folder(box.folder)
        validity = int(info.get(b"UIDVALIDITY", 0) or 0)
        if box.uidvalidity != validity:
            box.uidvalidity, box.last_uid = validity, 0
        uids = sorted(u for u in client.search(["UID", f"{box.last_uid + 1}:*"]) if u > box.last_uid)
        stored = 0
        for start in range(0, len(uids), FETCH_BATCH):
            stored += self._store_batch(client, uids[start : start + FETCH_BATCH], validity)
        box.last_error, box.last_checked_at = "", timezone.now()
        Mailbox.objects.filter(pk=box.pk).update(
            uidvalidity=box.uidvalidity, last_uid=box.last_uid, last_error="", last_checked_at=box.last_checked_at
        )
        return stored

    def _store_batch(self, client: IMAPClient, uids: list[int], validity: int) -> int:
        box = self.mailbox
        fetched = client.fetch(uids, ["BODY.PEEK[]"])
        items = []
        for uid in uids:
            raw = (fetched.get(uid) or {}).get(b"BODY[]")
            if raw is None:
                continue  # expunged meanwhile
            meta = {"imap": {"mailbox": box.pk, "uid": uid, "uidvalidity": validity}, "peer": box.host}
            items.extend(items_for(raw, [""], [box.brand_id], **meta))
        accepted = store(items)  # committed when it returns
        box.last_uid = max(uids)
        Mailbox.objects.filter(pk=box.pk).update(uidvalidity=validity, last_uid=box.last_uid)
        self._mark(client, uids)
        return sum(1 for a in accepted if not a.duplicate)

    def _mark(self, client: IMAPClient, uids: Iterable[int]) -> None:
        uids = list(uids)
        if self.mailbox.after == Mailbox.After.MOVE and self.mailbox.move_to:
            if client.has_capability("MOVE"):
                client.move(uids, self.mailbox.move_to)
            else:
                client.copy(uids, self.mailbox.move_to)
                client.delete_messages(uids)
                client.uid_expunge(uids) if client.has_capability("UIDPLUS") else client.expunge()
        else:
            client.add_flags(uids, [b"\\Seen"])

    def wait_for_mail(self, stop: threading.Event) -> None:
        """IDLE until the server announces mail (or the refresh time passes); plain waiting otherwise."""
        client = self.client
        if client is None or not client.has_capability("IDLE"):
            stop.wait(POLL_SECONDS)
            return
        client.idle()
        try:
            waited = 0
            while not stop.is_set() and waited < IDLE_SECONDS:
                if client.idle_check(timeout=1):
                    break
                waited += 1
        finally:
            client.idle_done()

    def run_forever(self, stop: threading.Event) -> None:
        failures = 0
        while not stop.is_set():
            try:
                close_old_connections()
                count = self.run_once()
                if count:
                    log.info("%s: %d new message(s)", self.mailbox, count)
                failures = 0
                self.wait_for_mail(stop)
            except NETWORK_ERRORS as exc:
                delay = RETRY_SECONDS[min(failures, len(RETRY_SECONDS) - 1)]
                failures += 1
                log.warning("%s: %s; reconnecting in %ss", self.mailbox, exc, delay)
                Mailbox.objects.filter(pk=self.mailbox.pk).update(last_error=f"{type(exc).__name__}: {exc}"[:2000])
                self.client = None  # a broken socket cannot log out; start a fresh session
                stop.wait(delay)
        self.close()
        connections.close_all()  # this thread's database connection ends with it


def start(stop: threading.Event, mailboxes: Iterable[Mailbox] | None = None) -> list[threading.Thread]:
    """One thread per active mailbox (used by `anliegen fetchmail` and `anliegen serve`)."""
    boxes = list(mailboxes) if mailboxes is not None else list(Mailbox.objects.filter(active=True))
    threads = []
    for box in boxes:
        thread = threading.Thread(target=Poller(box).run_forever, args=(stop,), name=f"imap-{box.pk}", daemon=True)
        thread.start()
        threads.append(thread)
    return threads
