#!/usr/bin/env bash
# Anliegen on the peers' generated mail: fresh database, `anliegen import`'s code path timed alone,
# counts read back from the database, map.tsv + outbox/ scored with ../shared/peers/thread_check.py.
# Usage: bench/peer_run.sh [-n N] [--order date|reverse|shuffle] MAIL_DIR [WORK_DIR]
#        DATABASE_URL=postgres://postgres@127.0.0.1:5432/peer_anliegen bench/peer_run.sh MAIL_DIR
# (PostgreSQL: the database named in DATABASE_URL is dropped and recreated; its name must contain "peer".)
# Last stdout line: peer=anliegen db=<sqlite|postgresql> messages=N tickets=T ... seconds=S rate=R/s
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
python="${PYTHON:-$root/.venv/bin/python}"
n=""
order="date"
while [[ $# -gt 0 ]]; do
  case "$1" in
    -n) n="$2"; shift 2 ;;
    --order) order="$2"; shift 2 ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) break ;;
  esac
done
mail_dir="${1:?ERROR: MAIL_DIR missing (python3 ../shared/peers/gen_emails.py /tmp/mail -n 2000 --seed 42)}"
work_dir="${2:-/tmp/peers/anliegen}"
[[ -d "$mail_dir" ]] || { echo "ERROR: no such folder: $mail_dir" >&2; exit 1; }
rm -rf "$work_dir"
mkdir -p "$work_dir"
if [[ -n "$n" ]]; then
  mkdir -p "$work_dir/mail"
  ls "$mail_dir" | grep '\.eml$' | sort | head -n "$n" | while read -r f; do cp "$mail_dir/$f" "$work_dir/mail/"; done
  mail_dir="$work_dir/mail"
fi
cd "$root"
"$python" "$here/email_import.py" --order "$order" "$mail_dir" "$work_dir" | tee "$work_dir/result.txt" | tail -1
