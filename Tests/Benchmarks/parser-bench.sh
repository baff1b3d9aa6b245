#!/usr/bin/env bash
# Prints parser throughput figures (release build, no sanitizers).
#   Tests/Benchmarks/parser-bench.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
SWIFTC="${SWIFTC:-/opt/swift/usr/bin/swiftc}"
OUT="${TMPDIR:-/tmp}/zienswijzen-parser-bench"
"$SWIFTC" -O -wmo -parse-as-library -package-name zienswijzen -module-name HTTP \
  Sources/HTTP/RequestParser.swift Sources/HTTP/RequestParser+Head.swift Sources/HTTP/ChunkedDecoder.swift \
  Sources/HTTP/HTTPSyntax.swift Sources/HTTP/HTTPMessages.swift Sources/HTTP/HTTPHeaders.swift \
  Tests/Benchmarks/ParserBench.swift -o "$OUT"
"$OUT"
