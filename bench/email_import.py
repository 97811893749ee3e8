"""Import a folder of generated mail with `anliegen import`'s code path, timed, then score the threading.

Usage: email_import.py MAIL_DIR [WORK_DIR] [--order date|reverse|shuffle]   (DATABASE_URL for PostgreSQL)
Last stdout line: peer=anliegen db=... messages=N tickets=T ... seconds=S rate=R/s
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import email_common  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("mail_dir")
    ap.add_argument("work_dir", nargs="?", default="/tmp/peers/anliegen")
    ap.add_argument("--order", choices=["date", "reverse", "shuffle"], default="date", help="order files are given in")
    a = ap.parse_args()
    work = Path(a.work_dir)
    kind = email_common.setup_django(work, os.environ.get("DATABASE_URL", ""))
    from anliegen.channels.email.importer import import_mail
    from anliegen.core.models import Case, Message

    email_common.create_brand()
    from anliegen.intake.warmup import warm_up

    warm_up()  # as `anliegen import` does when it starts, before its first mail
    files = sorted(str(p) for p in Path(a.mail_dir).glob("*.eml"))
    if a.order == "reverse":
        files.reverse()
    elif a.order == "shuffle":
        random.Random(7).shuffle(files)
    started = time.perf_counter()
    summary = import_mail(files)
    seconds = time.perf_counter() - started
    mapped = email_common.write_map(work / "map.tsv")
    sent = email_common.write_outbox(work / "outbox")
    score = email_common.thread_check(Path(a.mail_dir), work / "map.tsv", work / "outbox")
    messages = Message.objects.filter(channel="email", direction="in").values("external_id").distinct().count()
    details = {**summary.as_dict(), "mapped": mapped, "outgoing": sent, **score}
    for k, v in details.items():
        print(f"{k}={v}", file=sys.stderr)
    (work / "details.txt").write_text("".join(f"{k}={v}\n" for k, v in details.items()))
    line = (
        f"peer=anliegen db={kind} messages={messages} tickets={Case.objects.count()} "
        f"replies_on_parent={score.get('replies_on_parent_ticket')}/{score.get('replies')} "
        f"automatic_answered={score.get('automatic_mails_answered')} order={a.order} "
        f"seconds={seconds:.2f} rate={messages / seconds:.1f}/s"
    )
    (work / "result.txt").write_text(line + "\n")
    print(line)


if __name__ == "__main__":
    main()
