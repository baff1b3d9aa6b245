#!/usr/bin/env bash
# Builds the HTTP request parser with libFuzzer + AddressSanitizer and runs it for a bounded time.
#
#   Tests/Fuzz/fuzz-parser.sh [seconds]      (default 60)
#
# Only the files the parser needs are compiled (Sources/HTTP also holds the server, which this
# binary must not depend on). They use `package` access, so they are built into one module with
# a package name. The seed corpus is the parser test corpus, written out by generate-seeds.swift.
# Crashing inputs land in Tests/Fuzz/.work/artifacts/.
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_TO_RUN="${1:-60}"
SWIFTC="${SWIFTC:-/opt/swift/usr/bin/swiftc}"
WORK=Tests/Fuzz/.work
mkdir -p "$WORK/corpus" "$WORK/artifacts"

PARSER_SOURCES=(
  Sources/HTTP/RequestParser.swift
  Sources/HTTP/RequestParser+Head.swift
  Sources/HTTP/ChunkedDecoder.swift
  Sources/HTTP/HTTPSyntax.swift
  Sources/HTTP/HTTPMessages.swift
  Sources/HTTP/HTTPHeaders.swift
  Sources/HTTP/HeadDecision.swift
  Sources/HTTP/SpooledBody.swift
)

# Seed corpus: every case of the test corpus, one file each.
"$SWIFTC" -O -suppress-warnings -parse-as-library -package-name zienswijzen -module-name HTTP \
  "${PARSER_SOURCES[@]}" \
  Tests/HTTPTests/ParserTestSupport.swift Tests/HTTPTests/ParserCorpus+Head.swift \
  Tests/HTTPTests/ParserCorpus+Framing.swift Tests/HTTPTests/ParserCorpus+Body.swift \
  Tests/Fuzz/GenerateSeeds.swift -D FUZZ_SEEDS -o "$WORK/generate-seeds"
"$WORK/generate-seeds" "$WORK/corpus"

"$SWIFTC" -parse-as-library -sanitize=fuzzer,address -O -g \
  -package-name zienswijzen -module-name HTTP \
  "${PARSER_SOURCES[@]}" Tests/Fuzz/ParserFuzz.swift -o "$WORK/parser-fuzz"

"$WORK/parser-fuzz" -max_total_time="$SECONDS_TO_RUN" -max_len=4096 -timeout=10 \
  -artifact_prefix="$WORK/artifacts/" -print_final_stats=1 "$WORK/corpus"
