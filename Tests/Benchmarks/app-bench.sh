#!/usr/bin/env bash
# The SHIPPED binary (`zienswijzen serve`, default options, info logging on) beside Hummingbird 2
# and nginx serving the same bytes, for issue 13; and its instructions per request under callgrind.
#
#   Tests/Benchmarks/app-bench.sh             both parts: wrk table, then callgrind
#   Tests/Benchmarks/app-bench.sh wrk         only the side-by-side wrk table
#   Tests/Benchmarks/app-bench.sh callgrind   only instructions per request (callgrind)
#   BIN=/path/to/old/zienswijzen Tests/Benchmarks/app-bench.sh callgrind   "before" figures of another build
#
# Knobs (environment): DUR=10s REPS=3 CONNS="32 256" THREADS=2 (wrk -t) WARM=1s (wrk warm-up per
# server and route, not counted); HB_DIR=~/.cache/zienswijzen-hb-app-bench; BIN (a built zienswijzen: no
# build; its Public/ is $PUBLIC_SRC, else the Public/ beside BIN if there is one, else the
# repository's); NGINX_WORKERS=auto; CG_REQUESTS=2000 CG_WARMUP=200 CG_CONNS=4 CG_IDLE=2
# CG_ROUTES (default: the three routes);
# ports OURS_PORT=18280 HB_PORT=18281 NGINX_PORT=18282 CG_PORT=18283; KEEP_TMP=1 keeps the temp dir.
# Needs: swift, python3, curl, wrk, valgrind (callgrind); nginx (Debian's nginx-light) optional.
#
# What it does
#  * Builds `zienswijzen` (release) unless BIN is given; copies Public/ to a temp dir and adds
#    assets/bench-20k.bin (20,000 bytes from Python's random.Random(13): the same file every run).
#  * Starts `zienswijzen serve --port P --database TMP/zienswijzen.sqlite --public TMP/Public` with
#    its default options -- info logging on, logfmt to stderr, which goes to a FILE in the temp dir
#    (operators pay for the log the same way) -- except `--max-connections-per-address 1024`: the
#    default (128) would answer half of wrk's 256 loopback connections with 503. The count is still
#    kept per accepted connection, so the per-request path is the default one.
#  * Fetches its GET /api/v1/gemeenten, then starts the peers with the same bytes:
#    - Hummingbird 2 (`hb-app-bench PORT DIR`, from $HB_DIR, outside this repository, release build,
#      log level warning = no access log, everything from memory). If $HB_DIR has no Package.swift,
#      this script writes its two files (Package.swift: hummingbird from "2.0.0"; Sources/
#      hb-app-bench/main.swift), see write_hb_package below, so a newcomer needs nothing else.
#      To rebuild it by hand: `cd $HB_DIR && swift build -c release`.
#    - nginx, when installed (`apt-get install -y nginx-light`): a child process in the foreground
#      (daemon off) with a generated config in the temp dir, its own port, access_log off,
#      sendfile on, /healthz by `return 200 "ok"`, the other two as files. worker_processes auto
#      (= 2 workers on this 2-core machine): both Swift servers use every core too (our IO loops and
#      handler pool; Hummingbird's NIO event loop group has one thread per core), so each peer gets
#      the same cores. keepalive_requests is raised to 10^9: nginx's default (1000) would close
#      wrk's connections and make it reconnect, which the others never do. When the script runs as
#      root, nginx's workers drop to nobody, as nginx does by default.
#  * Checks that the three servers return byte-identical bodies (sha256) with status 200, and prints
#    each one's Content-Type and the size of its response head (the heads differ: ours sends more
#    headers, e.g. security headers and a request id; that is part of what it costs).
#  * wrk (-t$THREADS, keep-alive, -d$DUR): every cell {/healthz, /api/v1/gemeenten,
#    /assets/bench-20k.bin} x {$CONNS} x {ours, Hummingbird, nginx}, REPS times, the order of the
#    servers rotating each repetition so a shared machine's drift hits all alike; around each run the
#    server's CPU time (utime+stime of the process and its children from /proc/PID/stat) divided by
#    the requests wrk completed. Prints every run, then medians (req/s with min-max, p50, p99,
#    CPU us/request), the ratios ours/Hummingbird and ours/nginx, and the issue's targets met or not:
#    >= 1.5x Hummingbird's req/s with p99 <= Hummingbird's on /healthz and /api/v1/gemeenten at each
#    connection count; >= 0.5x nginx's req/s on the 20 KB file. A cell with socket errors or non-2xx
#    answers is flagged. At the end, after a graceful stop, the lines in our log file against the
#    requests it answered (wrk's counts), to show the logging was really on.
#  * callgrind: for each route the binary (a copy without debug sections: valgrind 3.19 cannot read
#    their DWARF 5 parts; same code and symbols) runs under `valgrind --tool=callgrind`; a small Python
#    client opens CG_CONNS keep-alive connections and sends CG_WARMUP requests (in lock-step rounds,
#    one request per connection per round), then `callgrind_control --zero` resets the counters,
#    CG_REQUESTS requests follow, and `callgrind_control --dump` writes exactly the instructions
#    spent since the zero: start-up, migrations, the warm-up and the shutdown are all excluded, and
#    no TCP connect is counted (the connections are open before the zero). Instructions (Ir) /
#    requests is printed per route. Counted are ALL of the server's threads in that window, so also
#    its background work (the one-second maintenance tick, timers); to show how much that is, the
#    client then waits CG_IDLE seconds with the connections idle and dumps again: the idle Ir/s times
#    the measured window is printed as the background share (it is not subtracted). Then the top 15
#    functions by inclusive Ir for /healthz (callgrind_annotate, names demangled), and the top 15 by
#    self Ir. Instruction counts do not depend on the machine's load, so these are the figures to
#    compare builds with (BIN=...).
set -euo pipefail
MODE=${1:-all}
case "$MODE" in all|wrk|callgrind) ;; *) echo "usage: $0 [all|wrk|callgrind]" >&2; exit 2 ;; esac
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DUR=${DUR:-10s}
REPS=${REPS:-3}
CONNS=${CONNS:-"32 256"}
THREADS=${THREADS:-2}
WARM=${WARM:-1s}
HB_DIR=${HB_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/zienswijzen-hb-app-bench}
NGINX_WORKERS=${NGINX_WORKERS:-auto}
CG_REQUESTS=${CG_REQUESTS:-2000}
CG_WARMUP=${CG_WARMUP:-200}
CG_CONNS=${CG_CONNS:-4}
CG_IDLE=${CG_IDLE:-2}
OURS_PORT=${OURS_PORT:-18280}
HB_PORT=${HB_PORT:-18281}
NGINX_PORT=${NGINX_PORT:-18282}
CG_PORT=${CG_PORT:-18283}
ROUTES="/healthz /api/v1/gemeenten /assets/bench-20k.bin"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

machine() {  # WHEN
    echo "machine ($1): $(nproc) cores ($(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)), load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
}
echo "== app-bench ($MODE)"
machine start
echo "kernel $(uname -r); $(swift --version 2>/dev/null | head -1); $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2); $(command -v nginx >/dev/null && nginx -v 2>&1 | sed 's/.*: //'); $(valgrind --version)"
busiest() {  # the five busiest processes over half a second (other engineers' builds and tests)
    echo "busiest processes ($1, %CPU over 0.5 s):" $(top -bn2 -d0.5 -w 200 | awk '/^top -/ {n++} n == 2 && /^ *[0-9]+ / {print $9 "%" , $12 ";"}' | head -5)
}
busiest start

# --- the binary and its Public/ --------------------------------------------------------------------
if [ -n "${BIN:-}" ]; then
    BIN=$(readlink -f "$BIN")
    [ -x "$BIN" ] || { echo "BIN=$BIN is not an executable" >&2; exit 1; }
    if [ -z "${PUBLIC_SRC:-}" ]; then
        if [ -d "$(dirname "$BIN")/Public" ]; then PUBLIC_SRC="$(dirname "$BIN")/Public"; else PUBLIC_SRC="$ROOT/Public"; fi
    fi
    echo "binary: $BIN (given by BIN; not built), Public/ from $PUBLIC_SRC"
else
    echo "building zienswijzen (swift build -c release --product zienswijzen)..."
    if ! (cd "$ROOT" && swift build -c release --product zienswijzen > "${TMPDIR:-/tmp}/app-bench-build.log" 2>&1); then
        tail -30 "${TMPDIR:-/tmp}/app-bench-build.log"; echo "the release build failed" >&2; exit 1
    fi
    BIN="$ROOT/.build/release/zienswijzen"
    PUBLIC_SRC=${PUBLIC_SRC:-$ROOT/Public}
    echo "binary: $BIN ($(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet HEAD -- Sources Package.swift 2>/dev/null || echo ' + uncommitted changes in Sources/')), Public/ from $PUBLIC_SRC"
fi

TMP=$(mktemp -d /tmp/app-bench.XXXXXX)
chmod 755 "$TMP"   # nginx's workers run as nobody when this script runs as root
PIDS=""
cleanup() {
    for pid in $PIDS; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in $PIDS; do wait "$pid" 2>/dev/null || true; done
    if [ -n "${KEEP_TMP:-}" ]; then echo "kept $TMP"; else rm -rf "$TMP"; fi
}
trap cleanup EXIT
cp -r "$PUBLIC_SRC" "$TMP/Public"
python3 -c "import random, sys; sys.stdout.buffer.write(random.Random(13).randbytes(20000))" > "$TMP/Public/assets/bench-20k.bin"
chmod -R a+rX "$TMP/Public"
echo "static file: assets/bench-20k.bin, $(stat -c %s "$TMP/Public/assets/bench-20k.bin") bytes, sha256 $(sha256sum "$TMP/Public/assets/bench-20k.bin" | cut -c1-16)..."

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_port() {  # PORT PID SECONDS
    local deadline=$((SECONDS + $3))
    while [ $SECONDS -lt "$deadline" ]; do
        if port_open "$1"; then return 0; fi
        kill -0 "$2" 2>/dev/null || { echo "server (pid $2) exited before listening on $1" >&2; return 1; }
        sleep 0.1
    done
    echo "nothing listens on port $1 after $3 s" >&2; return 1
}
ensure_free() { if port_open "$1"; then echo "port $1 is already in use: set ${2}=another port" >&2; exit 1; fi; }

start_ours() {  # PORT LOGFILE BINARY [PREFIX...]: our binary with its default options (see the header)
    local port=$1 log=$2 bin=$3; shift 3
    "$@" "$bin" serve --port "$port" --database "$TMP/zienswijzen.sqlite" --public "$TMP/Public" \
        --max-connections-per-address 1024 2>"$log" >>"$log" &
    LAST_PID=$!
    PIDS="$PIDS $LAST_PID"
}

stop() {  # PID
    kill -TERM "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
    PIDS=$(sed "s/\b$1\b//" <<<"$PIDS")
}

# --- Hummingbird package (outside the repository) --------------------------------------------------
write_hb_package() {
    mkdir -p "$HB_DIR/Sources/hb-app-bench"
    cat > "$HB_DIR/Package.swift" <<'SWIFT'
// swift-tools-version:6.0
// Hummingbird 2 peer for zienswijzen's Tests/Benchmarks/app-bench.sh (kept outside that repository).
import PackageDescription

let package = Package(
    name: "hb-app-bench",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.0.0"),
    ],
    targets: [
        .executableTarget(
            name: "hb-app-bench",
            dependencies: [.product(name: "Hummingbird", package: "hummingbird")],
            path: "Sources/hb-app-bench"
        ),
    ]
)
SWIFT
    cat > "$HB_DIR/Sources/hb-app-bench/main.swift" <<'SWIFT'
// hb-app-bench PORT DIR: serves from memory the bytes zienswijzen serves on three routes, for
// zienswijzen's Tests/Benchmarks/app-bench.sh. DIR holds gemeenten.json (fetched from zienswijzen's
// GET /api/v1/gemeenten) and bench-20k.bin (the 20 KB static file). Log level warning: no access log.
import Foundation
import Hummingbird
import Logging

let arguments = CommandLine.arguments
guard arguments.count == 3, let port = Int(arguments[1]) else {
    FileHandle.standardError.write(Data("usage: hb-app-bench PORT DIR\n".utf8))
    exit(2)
}
let directory = arguments[2]
func load(_ name: String) -> ByteBuffer {
    guard let data = FileManager.default.contents(atPath: directory + "/" + name) else {
        FileHandle.standardError.write(Data("hb-app-bench: cannot read \(directory)/\(name)\n".utf8))
        exit(1)
    }
    return ByteBuffer(bytes: data)
}
let healthz = ByteBuffer(string: "ok")
let gemeenten = load("gemeenten.json")
let static20k = load("bench-20k.bin")

let router = Router()
router.get("/healthz") { _, _ -> Response in
    Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: healthz))
}
router.get("/api/v1/gemeenten") { _, _ -> Response in
    Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: gemeenten))
}
router.get("/assets/bench-20k.bin") { _, _ -> Response in
    Response(status: .ok, headers: [.contentType: "application/octet-stream"], body: .init(byteBuffer: static20k))
}

var logger = Logger(label: "hb-app-bench")
logger.logLevel = .warning
let app = Application(
    router: router,
    configuration: .init(address: .hostname("127.0.0.1", port: port)),
    logger: logger
)
try await app.runService()
SWIFT
}

# --- wrk: side by side -------------------------------------------------------------------------------
cpu_ticks() {  # PID: utime+stime of the process (all its threads) and of its children (nginx's workers)
    local total=0 p
    for p in "$1" $(pgrep -P "$1" || true); do
        total=$((total + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0)))
    done
    echo "$total"
}

run_wrk() {  # NAME PORT ROUTE CONNS REP
    local name=$1 port=$2 route=$3 conns=$4 rep=$5 pid=${SERVER_PID[$1]}
    local before after out
    before=$(cpu_ticks "$pid")
    out=$(wrk -t"$THREADS" -c"$conns" -d"$DUR" --latency "http://127.0.0.1:$port$route" 2>&1)
    after=$(cpu_ticks "$pid")
    local requests rps p50 p99 errs non2xx load
    requests=$(awk '/requests in/ {print $1}' <<<"$out")
    rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
    p50=$(awk '$1=="50%" {print $2}' <<<"$out")
    p99=$(awk '$1=="99%" {print $2}' <<<"$out")
    errs=$(awk '/Socket errors:/ {gsub(",",""); print $4+$6+$8+$10}' <<<"$out")
    non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
    load=$(cut -d' ' -f1 /proc/loadavg)
    echo "$name $route $conns $rep ${rps:-0} ${p50:-?} ${p99:-?} ${errs:-0} ${non2xx:-0} ${requests:-0} $((after - before)) $load" >> "$TMP/results"
    printf "  %-11s %-22s c=%-4s #%s %10s req/s  p50 %-8s p99 %-8s cpu %6.1f us/req  errors %s non-2xx %s  load %s\n" \
        "$name" "$route" "$conns" "$rep" "${rps:-0}" "${p50:-?}" "${p99:-?}" \
        "$(python3 -c "print(($after - $before) / $TICKS / max(1, ${requests:-0}) * 1e6)")" "${errs:-0}" "${non2xx:-0}" "$load"
}

wrk_part() {
    echo
    echo "== wrk: zienswijzen (shipped binary, info logging) beside Hummingbird 2 and nginx"
    for v in OURS_PORT HB_PORT NGINX_PORT; do ensure_free "${!v}" "$v"; done
    TICKS=$(getconf CLK_TCK)
    declare -gA SERVER_PID SERVER_PORT

    start_ours "$OURS_PORT" "$TMP/ours.log" "$BIN"
    SERVER_PID[ours]=$LAST_PID; SERVER_PORT[ours]=$OURS_PORT
    wait_port "$OURS_PORT" "$LAST_PID" 60
    mkdir -p "$TMP/hb" "$TMP/www/api/v1" "$TMP/www/assets"
    curl -sf "http://127.0.0.1:$OURS_PORT/api/v1/gemeenten" -o "$TMP/hb/gemeenten.json"
    OURS_EXTRA=4   # this fetch and the three checks below
    cp "$TMP/hb/gemeenten.json" "$TMP/www/api/v1/gemeenten"
    cp "$TMP/Public/assets/bench-20k.bin" "$TMP/hb/bench-20k.bin"
    cp "$TMP/Public/assets/bench-20k.bin" "$TMP/www/assets/bench-20k.bin"
    chmod -R a+rX "$TMP/hb" "$TMP/www"
    echo "gemeenten: $(stat -c %s "$TMP/hb/gemeenten.json") bytes of JSON from our server"
    SERVERS="ours"

    if [ ! -f "$HB_DIR/Package.swift" ]; then
        echo "no Hummingbird package at $HB_DIR: writing it (Package.swift, Sources/hb-app-bench/main.swift)"
        write_hb_package
    fi
    echo "building Hummingbird peer: cd $HB_DIR && swift build -c release ..."
    if (cd "$HB_DIR" && swift build -c release >"$TMP/hb-build.log" 2>&1); then
        ensure_free "$HB_PORT" HB_PORT
        "$HB_DIR/.build/release/hb-app-bench" "$HB_PORT" "$TMP/hb" >"$TMP/hb.log" 2>&1 &
        SERVER_PID[hummingbird]=$!; SERVER_PORT[hummingbird]=$HB_PORT; PIDS="$PIDS $!"
        wait_port "$HB_PORT" "$!" 60
        SERVERS="$SERVERS hummingbird"
    else
        echo "Hummingbird build FAILED, comparison skipped; its log:"; tail -20 "$TMP/hb-build.log"
    fi

    if command -v nginx >/dev/null; then
        mkdir -p "$TMP/nginx"
        cat > "$TMP/nginx/nginx.conf" <<NGINX
daemon off;
master_process on;
worker_processes $NGINX_WORKERS;
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    sendfile on;
    keepalive_requests 1000000000;
    client_body_temp_path $TMP/nginx/body;
    proxy_temp_path $TMP/nginx/proxy;
    fastcgi_temp_path $TMP/nginx/fastcgi;
    uwsgi_temp_path $TMP/nginx/uwsgi;
    scgi_temp_path $TMP/nginx/scgi;
    types { application/octet-stream bin; }
    default_type application/octet-stream;
    server {
        listen 127.0.0.1:$NGINX_PORT;
        root $TMP/www;
        location = /healthz { default_type "text/plain; charset=utf-8"; return 200 "ok"; }
        location = /api/v1/gemeenten { default_type "application/json; charset=utf-8"; }
        location /assets/ { }
    }
}
NGINX
        nginx -e "$TMP/nginx/error.log" -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" >"$TMP/nginx/stdout.log" 2>&1 &
        SERVER_PID[nginx]=$!; SERVER_PORT[nginx]=$NGINX_PORT; PIDS="$PIDS $!"
        wait_port "$NGINX_PORT" "$!" 30
        sleep 0.3
        echo "nginx: worker_processes $NGINX_WORKERS ($(pgrep -P "${SERVER_PID[nginx]}" | wc -l) workers), access_log off, sendfile on, keepalive_requests 10^9"
        SERVERS="$SERVERS nginx"
    else
        echo "nginx not installed (apt-get install -y nginx-light): its columns are skipped"
    fi
    echo "servers: ours pid ${SERVER_PID[ours]} :$OURS_PORT$( [ -n "${SERVER_PID[hummingbird]:-}" ] && echo ", hummingbird pid ${SERVER_PID[hummingbird]} :$HB_PORT")$( [ -n "${SERVER_PID[nginx]:-}" ] && echo ", nginx pid ${SERVER_PID[nginx]} :$NGINX_PORT")"

    echo
    echo "-- same bytes? (status, sha256 of the body, Content-Type, size of the response head)"
    local route name bad=0 ref
    for route in $ROUTES; do
        ref=""
        for name in $SERVERS; do
            local info sum
            info=$(curl -s -o "$TMP/body" -D "$TMP/head" -w '%{http_code} %{size_header}' "http://127.0.0.1:${SERVER_PORT[$name]}$route")
            sum=$(sha256sum "$TMP/body" | cut -c1-16)
            [ -z "$ref" ] && ref=$sum
            local verdict="same"; [ "$sum" != "$ref" ] && { verdict="DIFFERENT"; bad=1; }
            [ "${info%% *}" != 200 ] && { verdict="$verdict, STATUS ${info%% *}"; bad=1; }
            printf "  %-22s %-11s %s  body %6s bytes sha256 %s (%s)  head %4s bytes  %s\n" "$route" "$name" "${info%% *}" \
                "$(stat -c %s "$TMP/body")" "$sum" "$verdict" "${info##* }" \
                "$(grep -i '^content-type:' "$TMP/head" | tr -d '\r')"
        done
    done
    [ "$bad" = 0 ] || { echo "the servers do not serve the same bytes: no measurement" >&2; exit 1; }

    echo
    echo "-- warm-up: wrk -d$WARM per server and route (not counted)"
    local conns max=0
    for conns in $CONNS; do [ "$conns" -gt "$max" ] && max=$conns; done
    for route in $ROUTES; do
        for name in $SERVERS; do
            wrk -t"$THREADS" -c"$max" -d"$WARM" "http://127.0.0.1:${SERVER_PORT[$name]}$route" > "$TMP/warm" 2>&1 || true
            [ "$name" = ours ] && OURS_EXTRA=$((OURS_EXTRA + $(awk '/requests in/ {print $1}' "$TMP/warm")))
        done
    done

    echo
    echo "-- runs: wrk -t$THREADS -d$DUR --latency, keep-alive; the servers' order rotates each repetition"
    : > "$TMP/results"
    local rep order
    read -r -a order <<<"$SERVERS"
    for conns in $CONNS; do
        for route in $ROUTES; do
            for rep in $(seq 1 "$REPS"); do
                local n=${#order[@]} i
                for i in $(seq 0 $((n - 1))); do
                    name=${order[$(( (i + rep - 1) % n ))]}
                    run_wrk "$name" "${SERVER_PORT[$name]}" "$route" "$conns" "$rep"
                done
            done
        done
    done

    echo
    python3 - "$TMP/results" "$TICKS" "$REPS" <<'PY'
import collections, statistics, sys
path, ticks, reps = sys.argv[1], int(sys.argv[2]), sys.argv[3]
def ms(x):
    for unit, f in (("us", 1e-3), ("ms", 1.0), ("s", 1e3), ("m", 6e4)):
        if x.endswith(unit):
            try: return float(x[: -len(unit)]) * f
            except ValueError: break
    return float("nan")
runs = collections.defaultdict(list)
cells = []
for line in open(path):
    name, route, conns, rep, rps, p50, p99, errs, non2xx, requests, cpu, load = line.split()
    cell = (route, int(conns))
    if cell not in cells: cells.append(cell)
    runs[name, cell].append(dict(rps=float(rps), p50=ms(p50), p99=ms(p99), errors=int(errs) + int(non2xx),
                                 cpu=int(cpu) / ticks / max(1, int(requests)) * 1e6))
servers = [s for s in ("ours", "hummingbird", "nginx") if any(k[0] == s for k in runs)]
label = {"ours": "zienswijzen", "hummingbird": "Hummingbird 2", "nginx": "nginx"}
med = {}
for key, v in runs.items():
    med[key] = dict(rps=statistics.median(r["rps"] for r in v), lo=min(r["rps"] for r in v), hi=max(r["rps"] for r in v),
                    p50=statistics.median(r["p50"] for r in v), p99=statistics.median(r["p99"] for r in v),
                    cpu=statistics.median(r["cpu"] for r in v), errors=sum(r["errors"] for r in v))
print(f"== medians of {reps} run(s) per cell: req/s (min-max), latency p50 and p99, server CPU per request")
for cell in cells:
    for s in servers:
        m = med.get((s, cell))
        if not m: continue
        flag = f"  {m['errors']} ERRORS/non-2xx: cell not valid" if m["errors"] else ""
        print(f"  {cell[0]:22} c={cell[1]:<4} {label[s]:14} {m['rps']:9.0f} req/s ({m['lo']:.0f}-{m['hi']:.0f})"
              f"  p50 {m['p50']:7.2f} ms  p99 {m['p99']:7.2f} ms  cpu {m['cpu']:6.1f} us/req{flag}")
print()
print("== ratios of the medians and the issue's targets (ours = the shipped binary with info logging)")
def k(x): return f"{x/1000:.1f}k" if x >= 1000 else f"{x:.0f}"
table = []
for cell in cells:
    o, h, n = med.get(("ours", cell)), med.get(("hummingbird", cell)), med.get(("nginx", cell))
    parts, verdict = [], ""
    if o and h:
        parts.append(f"ours/Hummingbird req/s x{o['rps']/h['rps']:.2f}, p99 x{o['p99']/h['p99']:.2f}, cpu/req x{o['cpu']/h['cpu']:.2f}")
    if o and n:
        parts.append(f"ours/nginx req/s x{o['rps']/n['rps']:.2f}, cpu/req x{o['cpu']/n['cpu']:.2f}")
    bad = any(m and m["errors"] for m in (o, h, n))
    if cell[0] in ("/healthz", "/api/v1/gemeenten"):
        if o and h:
            met = o["rps"] >= 1.5 * h["rps"] and o["p99"] <= h["p99"]
            verdict = f"target >=1.5x Hummingbird req/s and p99 <= Hummingbird's: {'met' if met else 'NOT MET'}"
        else:
            verdict = "target vs Hummingbird: not measured"
    else:
        if o and n:
            verdict = f"target >=0.5x nginx req/s: {'met' if o['rps'] >= 0.5 * n['rps'] else 'NOT MET'}"
        else:
            verdict = "target vs nginx: not measured"
    if bad: verdict += " (errors in this cell: not valid)"
    print(f"  {cell[0]:22} c={cell[1]:<4} " + "; ".join(parts))
    print(f"  {'':22}        {verdict}")
print()
print("== as a table (median req/s, server CPU us per request)")
head = ["case"] + [label[s] for s in ("nginx", "hummingbird", "ours") if s in servers]
if "hummingbird" in servers: head.append("zienswijzen/Hummingbird")
if "nginx" in servers: head.append("zienswijzen/nginx")
print("| " + " | ".join(head) + " |")
print("|" + "---|" * len(head))
for cell in cells:
    row = [f"GET {cell[0]}, {cell[1]} conns"]
    for s in ("nginx", "hummingbird", "ours"):
        if s in servers:
            m = med[(s, cell)]
            row.append(f"{k(m['rps'])} req/s, p99 {m['p99']:.2f} ms, {m['cpu']:.0f} us CPU/req")
    if "hummingbird" in servers: row.append(f"{med[('ours', cell)]['rps']/med[('hummingbird', cell)]['rps']:.2f}")
    if "nginx" in servers: row.append(f"{med[('ours', cell)]['rps']/med[('nginx', cell)]['rps']:.2f}")
    print("| " + " | ".join(row) + " |")
PY
    for name in $SERVERS; do stop "${SERVER_PID[$name]}"; done
    # Logging really on? Counted after the graceful stop, so a buffered log has been flushed.
    local answered lines
    answered=$(awk '$1=="ours" {s += $10} END {print s+0}' "$TMP/results")
    lines=$(wc -l < "$TMP/ours.log")
    echo
    echo "our log (default info level, to a file): $lines lines, $(du -h "$TMP/ours.log" | cut -f1), after the server stopped;" \
        "requests it answered: $answered in the measured runs + $OURS_EXTRA in warm-up and checks = $((answered + OURS_EXTRA)) (wrk's counts)"
    echo "  a line from it: $(grep -m1 '/healthz' "$TMP/ours.log" | cut -c1-240)"
}

# --- callgrind: instructions per request ------------------------------------------------------------
cg_client() {
    cat > "$TMP/cg_client.py" <<'PY'
# cg_client.py PORT PATH WARMUP REQUESTS CONNS PID OUTPREFIX IDLE: keep-alive connections in lock-step
# rounds; zero callgrind's counters after the warm-up, dump after the measured requests, then
# dump again after IDLE seconds with the connections idle (the server's background instructions).
import socket, subprocess, sys, time
port, path, warm, n, conns, pid, idle = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6], float(sys.argv[7])
request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode()
socks = [socket.create_connection(("127.0.0.1", port)) for _ in range(conns)]
for s in socks: s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
pending = [b""] * conns
def read_response(i):
    data = pending[i]
    while b"\r\n\r\n" not in data:
        chunk = socks[i].recv(65536)
        if not chunk: raise SystemExit("connection closed by the server")
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split()[1])
    length = next(int(l.split(b":", 1)[1]) for l in lines[1:] if l.lower().startswith(b"content-length:"))
    while len(rest) < length:
        chunk = socks[i].recv(65536)
        if not chunk: raise SystemExit("connection closed by the server")
        rest += chunk
    pending[i] = rest[length:]
    if status != 200: raise SystemExit(f"{path}: status {status}")
def send(count):
    done = 0
    while done < count:
        k = min(conns, count - done)
        for s in socks[:k]: s.sendall(request)
        for i in range(k): read_response(i)
        done += k
def control(*args):
    subprocess.run(["callgrind_control", *args, pid], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
send(warm)
control("--zero")
t0 = time.monotonic()
send(n)
control("--dump=measured")
t1 = time.monotonic()
time.sleep(idle)
control("--zero")   # (zero again: the idle window starts after the dump)
t2 = time.monotonic()
time.sleep(idle)
control("--dump=idle")
t3 = time.monotonic()
print(f"{t1 - t0:.3f} {t3 - t2:.3f}")
for s in socks: s.close()
PY
}

cg_total() {  # callgrind dump -> Ir executed between the zero and the dump: its "summary:" line, the
    # global count. ("totals:", the sum of the dump's cost lines, comes out ~1% higher after a --zero:
    # calls already running at the zero are charged from their start.)
    awk '/^summary:/ {print $2; exit}' "$1"
}

callgrind_part() {
    echo
    echo "== callgrind: instructions per request of $BIN"
    echo "   valgrind --tool=callgrind; per route: $CG_CONNS keep-alive connection(s), $CG_WARMUP requests warm-up, callgrind_control --zero,"
    echo "   $CG_REQUESTS requests, callgrind_control --dump: counts all threads between zero and dump, none of start-up, warm-up or shutdown"
    ensure_free "$CG_PORT" CG_PORT
    command -v callgrind_control >/dev/null || { echo "valgrind is not installed: apt-get install -y valgrind" >&2; exit 1; }
    # valgrind 3.19 (Debian 12) gives up on the DWARF 5 parts of the binary's debug info ("unhandled
    # dwarf2 abbrev form code 0x25 ... Possibly corrupted debuginfo file"): it runs a copy without
    # the debug sections (objcopy --strip-debug). Same code, same symbol table, so the function names
    # stay; only file:line information is gone.
    objcopy --strip-debug "$BIN" "$TMP/zienswijzen-nodebug"
    cg_client
    mkdir -p "$TMP/cg"
    local route label pid times measured idle ir idle_ir
    : > "$TMP/cg/summary"
    for route in ${CG_ROUTES:-$ROUTES}; do
        label=$(tr '/.' '__' <<<"$route")
        start_ours "$CG_PORT" "$TMP/cg/server$label.log" "$TMP/zienswijzen-nodebug" valgrind --tool=callgrind --callgrind-out-file="$TMP/cg/out$label.%p"
        pid=$LAST_PID
        wait_port "$CG_PORT" "$pid" 600
        times=$(python3 "$TMP/cg_client.py" "$CG_PORT" "$route" "$CG_WARMUP" "$CG_REQUESTS" "$CG_CONNS" "$pid" "$CG_IDLE")
        stop "$pid"
        measured=$(ls "$TMP/cg/out$label.$pid".* | sort -t. -k3 -n | sed -n 1p)
        idle=$(ls "$TMP/cg/out$label.$pid".* | sort -t. -k3 -n | sed -n 2p)
        grep -q '^desc: Trigger: .*measured' "$measured" || { echo "unexpected dump order in $measured" >&2; exit 1; }
        ir=$(cg_total "$measured"); idle_ir=$(cg_total "$idle")
        echo "$route $ir $CG_REQUESTS $times $idle_ir $measured" >> "$TMP/cg/summary"
    done
    python3 - "$TMP/cg/summary" <<'PY'
import sys
print(f"  {'route':22} {'Ir / request':>13} {'(total Ir':>16} {'requests)':>10}  {'background share':>18}")
for line in open(sys.argv[1]):
    route, ir, n, t_measured, t_idle, idle_ir, _ = line.split()
    ir, n, t_measured, t_idle, idle_ir = int(ir), int(n), float(t_measured), float(t_idle), int(idle_ir)
    background = idle_ir / t_idle * t_measured
    print(f"  {route:22} {ir / n:13,.0f} {ir:16,} {n:10}  {background / ir:17.1%}"
          f"   (idle: {idle_ir / t_idle:,.0f} Ir/s; measured window {t_measured:.1f} s)")
PY
    local healthz
    healthz=$(awk '$1=="/healthz" {print $NF}' "$TMP/cg/summary")
    if [ -n "$healthz" ]; then echo; cg_functions "$healthz"; fi
}

cg_functions() {  # callgrind dump of /healthz -> top 15 functions by inclusive Ir and by self Ir
    callgrind_annotate --inclusive=yes --threshold=100 "$1" > "$TMP/cg/annotate-inclusive" 2>/dev/null
    python3 - "$1" "$TMP/cg/annotate-inclusive" "$CG_REQUESTS" <<'PY'
import collections, re, subprocess, sys
dump, annotated, requests = sys.argv[1], sys.argv[2], int(sys.argv[3])
summary = next(int(l.split()[1]) for l in open(dump) if l.startswith("summary:"))
def demangle(names):
    out = subprocess.run(["swift", "demangle", "--simplified"], input="\n".join(names) + "\n",
                         capture_output=True, text=True).stdout.split("\n")
    return out[: len(names)] if len(out) >= len(names) else names
def short(obj): return obj.rsplit("/", 1)[-1]
# Frames every thread runs through (thread start, libdispatch's queue draining, closure thunks):
# ~80-100% inclusive and telling nothing, so they are left out of the inclusive list.
plumbing = re.compile(r"^(clone|start_thread|_dispatch_|thunk for |reabstraction thunk|partial apply for thunk|"
                      r"@objc NSThreadStart|NSThreadStart|Thread\.main|\(below main\)|__libc_start)")

# Inclusive: callgrind_annotate's list ("Ir (pct)  file:function [object]").
rows = []
for line in open(annotated):
    m = re.match(r"^\s*([\d,]+) \(\s*[\d.]+%\)\s+(.*?):(\S.*?) \[(.*)\]$", line.rstrip())
    if m: rows.append((int(m.group(1).replace(",", "")), m.group(3), short(m.group(4))))
names = demangle([r[1] for r in rows])
print(f"-- /healthz: top 15 functions by inclusive Ir: Ir per request, % of the {summary:,} Ir of {requests} requests")
print("   (thread start, libdispatch queue draining and closure thunks left out)")
shown = 0
for (ir, _, obj), name in zip(rows, names):
    if plumbing.match(name): continue
    print(f"  {ir / requests:10,.0f} {ir / summary:6.1%}  {name[:160]}  [{obj}]")
    shown += 1
    if shown == 15: break

# Self: summed from the dump's cost lines. (callgrind_annotate's self column charges the whole
# inclusive cost to frames that were already running when the counters were zeroed: clone,
# the handler threads' loops.)
self_cost = collections.Counter()
tables = collections.defaultdict(dict)
def compressed(kind, value):
    m = re.match(r"\((\d+)\)(?: (.*))?$", value)
    if not m: return value
    if m.group(2) is not None: tables[kind][m.group(1)] = m.group(2)
    return tables[kind].get(m.group(1), value)
fn, obj, after_calls = None, "", False
for line in open(dump):
    if not line.strip(): continue
    if line[0].isdigit() or line[0] in "+-*":
        if after_calls:   # the line after calls= is that call's inclusive cost, not self
            after_calls = False
            continue
        parts = line.split()
        if fn is not None and len(parts) >= 2: self_cost[fn, obj] += int(parts[1])
        continue
    key, _, value = line.rstrip("\n").partition("=")
    if key == "ob": obj = compressed("ob", value)
    elif key == "cob": compressed("ob", value)
    elif key == "fn": fn = compressed("fn", value)
    elif key == "cfn": compressed("fn", value)
    elif key in ("fl", "fi", "fe", "cfi", "cfl"): compressed("fl", value)
    elif key == "calls": after_calls = True
top = self_cost.most_common(15)
names = demangle([f for (f, _), _ in top])
print()
print("-- /healthz: top 15 functions by self Ir: Ir per request, % of the window's Ir")
for ((_, o), ir), name in zip(top, names):
    print(f"  {ir / requests:10,.0f} {ir / summary:6.1%}  {name[:160]}  [{short(o)}]")
PY
}

[ "$MODE" = callgrind ] || wrk_part
[ "$MODE" = wrk ] || callgrind_part
echo
machine end
busiest end
