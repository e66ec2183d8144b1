#!/usr/bin/env bash
# Backup and restore: the database (pg_dump custom format, or SQLite's online backup) plus the
# uploaded files under MEDIA_ROOT. Reads the same environment as the app (DATABASE_URL, MEDIA_ROOT;
# e.g. `set -a; . /etc/oncoreach/oncoreach.env; set +a`). Run from the repository root.
#
#   deploy/backup.sh backup  DIR                 -> DIR/oncoreach-YYYYmmdd-HHMMSS/{database.dump|database.sqlite3, media.tar.gz}
#   deploy/backup.sh restore DIR/oncoreach-… [--hold-mail]
#
# Restore replaces the database and the media with the backup's. Stop the web servers, workers and
# the periodic timer first. E-mail: the outbox comes back as it was at backup time. Mail that was
# pending then is sent again when the workers start (it may have gone out already after the
# backup: the recipient gets it twice, with the same Message-ID); mail queued after the backup is
# gone with the rest of that data. --hold-mail marks every mail still pending as failed, so
# program staff review them on the outbox page (/staff/outbox/) and queue again only those still
# needed.
set -euo pipefail
cd "$(dirname "$0")/.."
export PYTHONPATH=${PYTHONPATH:-src}
PY=${PY:-.venv/bin/python}
MEDIA_ROOT=${MEDIA_ROOT:-var/media}
DATABASE_URL=${DATABASE_URL:-sqlite:///$PWD/var/oncoreach.sqlite3}

usage() { sed -n '2,17p' "$0" >&2; exit 2; }
[ $# -ge 2 ] || usage

case "$1" in
backup)
  target="$2/oncoreach-$(date -u +%Y%m%d-%H%M%S)"
  mkdir -p "$target"
  case "$DATABASE_URL" in
    postgres://*|postgresql://*)
      pg_dump --format=custom --no-owner --dbname="$DATABASE_URL" --file="$target/database.dump" ;;
    sqlite://*)
      # The online backup API gives a consistent copy while the app keeps writing (WAL mode).
      "$PY" - "${DATABASE_URL#sqlite://}" "$target/database.sqlite3" <<'PYEOF'
import sqlite3, sys
source, target = sqlite3.connect(sys.argv[1]), sqlite3.connect(sys.argv[2])
with target:
    source.backup(target)
PYEOF
      ;;
    *) echo "backup: unsupported DATABASE_URL" >&2; exit 2 ;;
  esac
  if [ -d "$MEDIA_ROOT" ]; then tar -C "$MEDIA_ROOT" -czf "$target/media.tar.gz" .; fi
  echo "backup written to $target"
  ;;
restore)
  source_dir="$2"
  hold_mail=${3:-}
  [ -d "$source_dir" ] || { echo "restore: no such backup: $source_dir" >&2; exit 2; }
  case "$DATABASE_URL" in
    postgres://*|postgresql://*)
      pg_restore --clean --if-exists --no-owner --single-transaction --dbname="$DATABASE_URL" "$source_dir/database.dump" ;;
    sqlite://*)
      db="${DATABASE_URL#sqlite://}"
      rm -f "$db-wal" "$db-shm"
      cp "$source_dir/database.sqlite3" "$db" ;;
    *) echo "restore: unsupported DATABASE_URL" >&2; exit 2 ;;
  esac
  if [ -f "$source_dir/media.tar.gz" ]; then
    mkdir -p "$MEDIA_ROOT"
    find "$MEDIA_ROOT" -mindepth 1 -delete
    tar -C "$MEDIA_ROOT" -xzf "$source_dir/media.tar.gz"
  fi
  "$PY" manage.py migrate --noinput --verbosity 0   # a backup from an older release catches up
  if [ "$hold_mail" = "--hold-mail" ]; then
    "$PY" manage.py hold_outbox
  else
    "$PY" manage.py check_outbox || true
  fi
  echo "restored from $source_dir"
  ;;
*) usage ;;
esac
