#!/usr/bin/env bash
# A/B benchmark of two builds of OUR server (`zienswijzen-bench http-server`), e.g. before and
# after a change: both run at once on different ports, every cell (route, connections) is
# measured REPS times alternating A and B, and the medians are printed with their ratio B/A.
# Besides req/s and latency it reports the server's CPU time per request (user + system, from
# /proc/PID/stat around each run): on a machine shared with other work, throughput swings with
# the neighbours' load, while CPU per request mostly measures our own code.
#
#   Tests/Benchmarks/http-ab.sh OLD_BINARY NEW_BINARY   (DUR=10s CONNS="32 256" REPS=5 THREADS=2)
#
# Build each binary with `swift build -c release --product zienswijzen-bench` in a checkout of
# the commit to compare (e.g. `git archive COMMIT | tar -x -C /tmp/old`). Needs wrk and python3.
set -euo pipefail
A_BIN=$1
B_BIN=$2
DUR=${DUR:-10s}
CONNS=${CONNS:-"32 256"}
REPS=${REPS:-5}
THREADS=${THREADS:-2}
ROUTES=${ROUTES:-"/json /static /echo"}
A_PORT=${A_PORT:-18090}
B_PORT=${B_PORT:-18091}
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

TMP=$(mktemp -d)
PIDS=""
trap 'rm -rf "$TMP"; [ -n "$PIDS" ] && kill $PIDS 2>/dev/null || true' EXIT
cat > "$TMP/post.lua" <<'LUA'
wrk.method = "POST"
wrk.body = string.rep("x", 1024)
wrk.headers["Content-Type"] = "application/octet-stream"
LUA

wait_port() {
    for _ in $(seq 1 100); do
        if python3 -c "import socket; socket.create_connection(('127.0.0.1', $1), 1)" 2>/dev/null; then return 0; fi
        sleep 0.1
    done
    echo "server on port $1 did not come up"; return 1
}

"$A_BIN" http-server "$A_PORT" >"$TMP/a.log" 2>&1 & A_PID=$!
"$B_BIN" http-server "$B_PORT" >"$TMP/b.log" 2>&1 & B_PID=$!
PIDS="$A_PID $B_PID"
TICKS=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
wait_port "$A_PORT"; wait_port "$B_PORT"

run_one() {  # NAME PORT ROUTE CONNS
    local script="" pid=$A_PID
    [ "$1" = "B" ] && pid=$B_PID
    [ "$3" = "/echo" ] && script="-s $TMP/post.lua"
    local out before after
    before=$(cpu_ticks "$pid")
    out=$(wrk -t"$THREADS" -c"$4" -d"$DUR" --latency $script "http://127.0.0.1:$2$3" 2>&1)
    after=$(cpu_ticks "$pid")
    local requests cpu
    requests=$(awk '/requests in/ {print $1}' <<<"$out")
    cpu=$(python3 -c "print(f'{($after - $before) / $TICKS / max(1, ${requests:-0}) * 1e6:.1f}')")
    local rps p50 p99 errs non2xx
    rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
    p50=$(awk '$1=="50%" {print $2}' <<<"$out")
    p99=$(awk '$1=="99%" {print $2}' <<<"$out")
    errs=$(awk '/Socket errors:/ {gsub(",",""); print $4+$6+$8+$10}' <<<"$out")
    non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
    echo "$1 $3 $4 ${rps:-0} ${p50:-?} ${p99:-?} $(( ${errs:-0} + ${non2xx:-0} )) $cpu" >> "$TMP/results"
    printf "  %-2s %-8s c=%-4s %12s req/s  p50 %-9s p99 %-9s errors %s  cpu %s us/req\n" "$1" "$3" "$4" "${rps:-0}" "${p50:-?}" "${p99:-?}" "$(( ${errs:-0} + ${non2xx:-0} ))" "$cpu"
}

echo "== runs (A = $A_BIN, B = $B_BIN)"
for conns in $CONNS; do
    for route in $ROUTES; do
        for rep in $(seq 1 "$REPS"); do
            if [ $((rep % 2)) -eq 1 ]; then
                run_one A "$A_PORT" "$route" "$conns"; run_one B "$B_PORT" "$route" "$conns"
            else
                run_one B "$B_PORT" "$route" "$conns"; run_one A "$A_PORT" "$route" "$conns"
            fi
        done
    done
done

echo
echo "== medians of $REPS runs; ratio B/A (req/s > 1: B faster; latency < 1: B faster)"
python3 - "$TMP/results" <<'PY'
import statistics, sys, collections
def ms(x):
    if x.endswith("us"): return float(x[:-2]) / 1000
    if x.endswith("ms"): return float(x[:-2])
    if x.endswith("s"): return float(x[:-1]) * 1000
    return float("nan")
runs = collections.defaultdict(list); order = []
for line in open(sys.argv[1]):
    name, route, conns, rps, p50, p99, errs, cpu = line.split()
    key = (route, conns)
    if key not in order: order.append(key)
    runs[name, key].append((float(rps), ms(p50), ms(p99), int(errs), float(cpu)))
for key in order:
    m = {}
    for name in "AB":
        v = runs[name, key]
        m[name] = (statistics.median(x[0] for x in v), statistics.median(x[1] for x in v), statistics.median(x[2] for x in v),
                   sum(x[3] for x in v), statistics.median(x[4] for x in v))
        rps = [x[0] for x in v]
        print(f"  {name} {key[0]:8} c={key[1]:4} {m[name][0]:10.0f} req/s ({min(rps):.0f}-{max(rps):.0f})  p50 {m[name][1]:.2f} ms  p99 {m[name][2]:.2f} ms  errors {m[name][3]}  cpu {m[name][4]:.1f} us/req")
    a, b = m["A"], m["B"]
    print(f"     ratio B/A: req/s x{b[0]/a[0]:.3f}  p50 x{b[1]/a[1]:.2f}  p99 x{b[2]/a[2]:.2f}  cpu/req x{b[4]/a[4]:.3f}")
PY
