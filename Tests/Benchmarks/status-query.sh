#!/usr/bin/env bash
# Times the query behind the status overview (and the export's rows) on 27 gemeenten x N versions.
# Usage: Tests/Benchmarks/status-query.sh [VERSIONS_PER_GEMEENTE=200] [RUNS=500]
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release --product zienswijzen-bench >&2
DB="$(mktemp -d /var/tmp/zw-status.XXXXXX)"
trap 'rm -rf "$DB"' EXIT
"$(swift build -c release --show-bin-path)/zienswijzen-bench" status-query "${1:-200}" "${2:-500}" "$DB/status.sqlite"
