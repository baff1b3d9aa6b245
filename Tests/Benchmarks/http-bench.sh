#!/usr/bin/env bash
# HTTP server benchmark: our server (`zienswijzen-bench http-server`) against Hummingbird 2,
# same routes (GET /json ~2 KB, GET /static 20 KB, POST /echo 1 KB), side by side.
#
# Usage: Tests/Benchmarks/http-bench.sh   (DUR=10s CONNS="32 256" REPS=3 THREADS=2 HOLD=10000)
# Needs: wrk, python3. Hummingbird is built from $HB_DIR (default /work/scratch/hb-bench, outside
# the repository); if that folder is missing, its half is skipped with a message. That package is
# one executable target `hb-bench` depending on hummingbird (from 2.0.0), taking the port as its
# argument, with the same three routes answered from memory: GET /json and GET /static return the
# same bytes as `zienswijzen-bench` (see HTTPServerBenchmark.swift) in a ByteBuffer, POST /echo
# collects the body (up to 1 MiB) and returns it; log level warning. It is not committed here.
#
# Both servers run at once; every cell (route, connection count) is measured REPS times,
# alternating ours and Hummingbird, so slow drifts of a shared machine hit both alike. Printed
# per run, then per cell the median req/s (with min-max), median p50 and p99, and all errors;
# RSS at idle, peak under load, and with $HOLD idle keep-alive connections held; the latency of a
# new request while they are held; then the ratios ours/Hummingbird of the medians.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE="$ROOT/Tests/Benchmarks"
HB_DIR=${HB_DIR:-/work/scratch/hb-bench}
DUR=${DUR:-10s}
CONNS=${CONNS:-"32 256"}
REPS=${REPS:-3}
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
PIDS=""
trap 'rm -rf "$TMP"; [ -n "$PIDS" ] && kill $PIDS 2>/dev/null || true' EXIT
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

start_server() {  # NAME PORT CMD...: starts it, records its pid and idle RSS
    local name=$1 port=$2; shift 2
    "$@" >"$TMP/$name.log" 2>&1 &
    local pid=$!
    echo "$pid" > "$TMP/$name.pid"
    wait_port "$port"
    sleep 0.5
    echo "$(rss "$pid")" > "$TMP/$name.idle"
}

finish_server() {  # NAME PORT: memory figures, then SIGTERM
    local name=$1 port=$2 pid; pid=$(cat "$TMP/$name.pid")
    local idle; idle=$(cat "$TMP/$name.idle")
    local peak; peak=$(hwm "$pid")
    local held; held=$(python3 "$HERE/http-hold-idle.py" "$port" "$pid" "$HOLD")
    echo "  $name: RSS idle ${idle} kB, peak under load ${peak} kB"
    echo "  $name: holding $HOLD idle keep-alive connections: $held"
    echo "$name idle=$idle peak=$peak $held" >> "$TMP/memory"
    kill -TERM "$pid"
    wait "$pid" 2>/dev/null || true
}

SERVERS="ours"
start_server ours "$OURS_PORT" "$OURS_BIN" http-server "$OURS_PORT"
PIDS="$(cat "$TMP/ours.pid")"
if [ -n "$HB_BIN" ]; then
    start_server hb "$HB_PORT" "$HB_BIN" "$HB_PORT"
    PIDS="$PIDS $(cat "$TMP/hb.pid")"
    SERVERS="ours hb"
fi

echo
echo "== runs"
for conns in $CONNS; do
    for route in /json /static /echo; do
        for rep in $(seq 1 "$REPS"); do
            run_one ours "$OURS_PORT" "$route" "$conns"
            [ -n "$HB_BIN" ] && run_one hb "$HB_PORT" "$route" "$conns"
        done
    done
done

echo
echo "== medians of $REPS runs per cell"
python3 - "$TMP/results" <<'PY'
import statistics, sys, collections
def ms(x):
    if x.endswith("us"): return float(x[:-2]) / 1000
    if x.endswith("ms"): return float(x[:-2])
    if x.endswith("s"): return float(x[:-1]) * 1000
    return float("nan")
runs = collections.defaultdict(list)
order = []
for line in open(sys.argv[1]):
    name, route, conns, rps, p50, p99, errs = line.split()
    key = (route, conns)
    if key not in order: order.append(key)
    runs[name, key].append((float(rps), ms(p50), ms(p99), int(errs)))
med = {}
for (name, key), v in sorted(runs.items(), key=lambda kv: (order.index(kv[0][1]), kv[0][0] != "ours")):
    rps = [x[0] for x in v]
    m = (statistics.median(rps), statistics.median(x[1] for x in v), statistics.median(x[2] for x in v), sum(x[3] for x in v))
    med[name, key] = m
    print(f"  {name:6} {key[0]:8} c={key[1]:4} {m[0]:10.0f} req/s ({min(rps):.0f}-{max(rps):.0f})  p50 {m[1]:.2f} ms  p99 {m[2]:.2f} ms  errors {m[3]}")
if any(n == "hb" for n, _ in med):
    print()
    print("== ratios of the medians (ours / Hummingbird): req/s >1 is better for ours, latency <1")
    for key in order:
        o, h = med.get(("ours", key)), med.get(("hb", key))
        if o and h and h[0] > 0:
            print(f"  {key[0]:8} c={key[1]:4} req/s x{o[0]/h[0]:.2f}   p50 x{o[1]/h[1]:.2f}   p99 x{o[2]/h[2]:.2f}")
PY

echo
echo "== memory"
for name in $SERVERS; do
    port=$OURS_PORT; [ "$name" = hb ] && port=$HB_PORT
    finish_server "$name" "$port"
done
if [ -n "$HB_BIN" ]; then
    awk '
        { for (i=2;i<=NF;i++) { split($i, kv, "="); v[$1, kv[1]] = kv[2] } }
        END { printf "  ratios: RSS idle x%.2f   peak under load x%.2f   with idle connections held x%.2f   new request p50 x%.2f\n",
              v["ours","idle"]/v["hb","idle"], v["ours","peak"]/v["hb","peak"], v["ours","rss_kb"]/v["hb","rss_kb"], v["ours","new_req_ms_p50"]/v["hb","new_req_ms_p50"] }
    ' "$TMP/memory"
fi
