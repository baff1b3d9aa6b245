#!/usr/bin/env bash
# HTTP server benchmark: our server (`zienswijzen-bench http-server`) against Hummingbird 2,
# same routes (GET /json ~2 KB, GET /static 20 KB, POST /echo 1 KB), side by side.
#
# Usage: Tests/Benchmarks/http-bench.sh            (DUR=10s CONNS="32 256" THREADS=2 HOLD=10000)
# Needs: wrk, python3. Hummingbird is built from $HB_DIR (default /work/scratch/hb-bench, outside
# the repository); if that folder is missing, its half is skipped with a message.
# Prints, per server: req/s, p50, p99 and errors per route and connection count; RSS at idle,
# peak under load, and with $HOLD idle keep-alive connections held; the latency of a new request
# while they are held; then the ratios ours/Hummingbird.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE="$ROOT/Tests/Benchmarks"
HB_DIR=${HB_DIR:-/work/scratch/hb-bench}
DUR=${DUR:-10s}
CONNS=${CONNS:-"32 256"}
THREADS=${THREADS:-2}
HOLD=${HOLD:-10000}
OURS_PORT=${OURS_PORT:-18080}
HB_PORT=${HB_PORT:-18081}

ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
echo "open-files limit: $(ulimit -n); cores: $(nproc); wrk: -t$THREADS -d$DUR, keep-alive"

echo "building zienswijzen-bench (release)..."
(cd "$ROOT" && swift build -c release --product zienswijzen-bench >/dev/null)
OURS_BIN="$ROOT/.build/release/zienswijzen-bench"
HB_BIN=""
if [ -f "$HB_DIR/Package.swift" ]; then
    echo "building Hummingbird bench in $HB_DIR (release)..."
    if (cd "$HB_DIR" && swift build -c release >"$ROOT/.build/hb-bench-build.log" 2>&1); then
        HB_BIN="$HB_DIR/.build/release/hb-bench"
    else
        echo "Hummingbird build failed (see .build/hb-bench-build.log): skipping the comparison"
    fi
else
    echo "no Hummingbird bench package at $HB_DIR: skipping the comparison"
fi

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"; [ -n "${PID:-}" ] && kill "$PID" 2>/dev/null || true' EXIT
cat > "$TMP/post.lua" <<'LUA'
wrk.method = "POST"
wrk.body = string.rep("x", 1024)
wrk.headers["Content-Type"] = "application/octet-stream"
LUA

rss() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
hwm() { awk '/^VmHWM:/ {print $2}' "/proc/$1/status"; }

wait_port() {
    for _ in $(seq 1 100); do
        if python3 -c "import socket,sys; socket.create_connection(('127.0.0.1', $1), 1)" 2>/dev/null; then return 0; fi
        sleep 0.1
    done
    echo "server on port $1 did not come up"; return 1
}

# run_one NAME PORT ROUTE CONNS -> appends "name route conns rps p50 p99 errors" to $TMP/results
run_one() {
    local name=$1 port=$2 route=$3 conns=$4 script=""
    [ "$route" = "/echo" ] && script="-s $TMP/post.lua"
    local out
    out=$(wrk -t"$THREADS" -c"$conns" -d"$DUR" --latency $script "http://127.0.0.1:$port$route" 2>&1)
    local rps p50 p99 errs non2xx
    rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
    p50=$(awk '$1=="50%" {print $2}' <<<"$out")
    p99=$(awk '$1=="99%" {print $2}' <<<"$out")
    errs=$(awk '/Socket errors:/ {gsub(",",""); print $4+$6+$8+$10}' <<<"$out")
    non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
    echo "$name $route $conns ${rps:-0} ${p50:-?} ${p99:-?} $(( ${errs:-0} + ${non2xx:-0} ))" >> "$TMP/results"
    printf "  %-6s %-8s c=%-4s %12s req/s  p50 %-9s p99 %-9s errors %s\n" "$name" "$route" "$conns" "${rps:-0}" "${p50:-?}" "${p99:-?}" "$(( ${errs:-0} + ${non2xx:-0} ))"
}

bench_server() {
    local name=$1 port=$2; shift 2
    echo
    echo "== $name"
    "$@" >"$TMP/$name.log" 2>&1 &
    PID=$!
    wait_port "$port"
    sleep 0.5
    local idle; idle=$(rss "$PID")
    for conns in $CONNS; do
        for route in /json /static /echo; do run_one "$name" "$port" "$route" "$conns"; done
    done
    local peak; peak=$(hwm "$PID")
    local held; held=$(python3 "$HERE/http-hold-idle.py" "$port" "$PID" "$HOLD")
    echo "  RSS idle ${idle} kB, peak under load ${peak} kB"
    echo "  holding $HOLD idle keep-alive connections: $held"
    echo "$name idle=$idle peak=$peak $held" >> "$TMP/memory"
    kill -TERM "$PID"
    wait "$PID" 2>/dev/null || true
    PID=""
}

bench_server ours "$OURS_PORT" "$OURS_BIN" http-server "$OURS_PORT"
if [ -n "$HB_BIN" ]; then
    bench_server hb "$HB_PORT" "$HB_BIN" "$HB_PORT"
    echo
    echo "== ratios (ours / Hummingbird): throughput >1 is better for ours, latency and memory <1"
    awk '
        function ms(x) { if (x ~ /us$/) return (x+0) / 1000; if (x ~ /ms$/) return x+0; if (x ~ /s$/) return (x+0)*1000; return x+0 }
        { key=$2" c="$3; if ($1=="ours") { o_rps[key]=$4; o_p50[key]=ms($5); o_p99[key]=ms($6); order[++n]=key } else { h_rps[key]=$4; h_p50[key]=ms($5); h_p99[key]=ms($6) } }
        END { for (i=1;i<=n;i++) { k=order[i]; if (h_rps[k] > 0) printf "  %-14s req/s x%.2f   p50 x%.2f   p99 x%.2f\n", k, o_rps[k]/h_rps[k], (h_p50[k]>0?o_p50[k]/h_p50[k]:0), (h_p99[k]>0?o_p99[k]/h_p99[k]:0) } }
    ' "$TMP/results"
    awk '
        { for (i=2;i<=NF;i++) { split($i, kv, "="); v[$1, kv[1]] = kv[2] } }
        END { printf "  RSS idle x%.2f   peak under load x%.2f   with idle connections held x%.2f   new request p50 x%.2f\n",
              v["ours","idle"]/v["hb","idle"], v["ours","peak"]/v["hb","peak"], v["ours","rss_kb"]/v["hb","rss_kb"], v["ours","new_req_ms_p50"]/v["hb","new_req_ms_p50"] }
    ' "$TMP/memory"
fi
