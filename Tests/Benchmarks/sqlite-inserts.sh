#!/usr/bin/env bash
# Inserts N zienswijze-version-shaped rows (~1 KB each), one transaction per row, synchronous=FULL,
# WAL: first through our Swift layer (Database.write, release build), then the SAME statements
# through the sqlite3 shell, on the same machine in the same run. Prints both rates side by side.
#
# Usage: Tests/Benchmarks/sqlite-inserts.sh [N] [DIR]
#   N    rows to insert (default 2000)
#   DIR  where the database files go (default: a new directory under /var/tmp, removed after).
#        Use a directory on the disk you care about: the figure is mostly fsync latency.
set -euo pipefail

N="${1:-2000}"
cd "$(dirname "$0")/../.."

if [[ -n "${2:-}" ]]; then
    DIR="$2"; mkdir -p "$DIR"
else
    DIR="$(mktemp -d /var/tmp/sqlite-inserts.XXXXXX)"
    trap 'rm -rf "$DIR"' EXIT
fi
SQLITE3="${SQLITE3:-/usr/bin/sqlite3}"

swift build -c release --product zienswijzen-bench >&2
BENCH="$(swift build -c release --show-bin-path)/zienswijzen-bench"

rm -f "$DIR"/swift.db* "$DIR"/shell.db* "$DIR"/script.sql
"$BENCH" sqlite-inserts-script "$N" > "$DIR/script.sql"

swift_line="$("$BENCH" sqlite-inserts "$N" "$DIR/swift.db")"

start=$(date +%s.%N)
mode="$("$SQLITE3" "$DIR/shell.db" < "$DIR/script.sql")"
end=$(date +%s.%N)
if [[ "$mode" != "wal" ]]; then
    echo "sqlite3 shell did not switch to WAL (said: $mode)" >&2; exit 1
fi
rows="$("$SQLITE3" "$DIR/shell.db" 'SELECT count(*) FROM zienswijze_versie')"
shell_line="$(awk -v n="$N" -v s="$start" -v e="$end" -v r="$rows" \
    'BEGIN { printf "sqlite3-shell: %d inserts in %.1f s = %.1f inserts/s (table now holds %d rows)", n, e - s, n / (e - s), r }')"

echo "sqlite-inserts, N=$N, one transaction per row, WAL + synchronous=FULL, in $DIR"
echo "  $swift_line"
echo "  $shell_line"
echo "  sqlite3 $("$SQLITE3" --version | cut -d' ' -f1), $(nproc) cores, $(uname -sr)"
