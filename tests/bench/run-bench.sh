#!/usr/bin/env bash
# run-bench.sh — `make bench`: builds Release in $BENCH_BUILD (build-bench),
# raises the open-file limit, and runs the standard scenarios one after the
# other on loopback, each against a fresh mockintd (or mockint-echo, the
# transport's ceiling) with a fresh database: idle connections with the
# phase clock running (timer lateness), chat relay, durable and normal
# notes, logins. Then it prints one table with mockintd and the ceiling
# side by side, and every run's CSV line. All of it in about two minutes
# on two cores; every size is a BENCH_* variable (see below), BENCH_ONLY
# picks scenarios ("idle chat notes mix logins"), BENCH_NO_BUILD=1 reruns
# what is built.
#
# Everything is bounded: each tool has its own time limits and watchdog,
# each server is stopped by PID when its scenario ends (and on any exit).
set -euo pipefail

SRC=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BENCH_BUILD:-$SRC/build-bench}
case $BUILD in /*) ;; *) BUILD=$SRC/$BUILD ;; esac
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}

# The scenarios' sizes (the issue's targets, scaled to what the box allows).
IDLE_CONNS=${BENCH_IDLE_CONNS:-20000}	# capped by the open-file limit
CHAT_SESSIONS=${BENCH_CHAT_SESSIONS:-2000}
CHAT_RATE=${BENCH_CHAT_RATE:-30000}	# messages/s in the paced window
NOTE_SESSIONS=${BENCH_NOTE_SESSIONS:-1000}
NOTE_RATE=${BENCH_NOTE_RATE:-5000}	# notes/s in the paced window
MIX_SESSIONS=${BENCH_MIX_SESSIONS:-1000}
MIX_CHAT_RATE=${BENCH_MIX_CHAT_RATE:-4000}
MIX_NOTE_RATE=${BENCH_MIX_NOTE_RATE:-1000}
LOGINS=${BENCH_LOGINS:-100}
SIZE=${BENCH_SIZE:-128}			# chat text bytes
DURATION=${BENCH_DURATION:-4}		# seconds per measuring window
IDLE_DURATION=${BENCH_IDLE_DURATION:-8}
ONLY=${BENCH_ONLY:-idle chat notes mix logins history}	# the scenarios to run

OUT=$BUILD/bench-out
BIN=$BUILD/tests/bench
MOCKINTD=$BUILD/server/mockintd
PIDS=()

log() { printf '== %s\n' "$*" >&2; }

cleanup() {
	for p in "${PIDS[@]}"; do
		kill "$p" 2>/dev/null || true
	done
	for p in "${PIDS[@]}"; do
		wait "$p" 2>/dev/null || true
	done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ -z "${BENCH_NO_BUILD:-}" ]; then	# set it to rerun what is built
	log "building Release in $BUILD"
	cmake -S "$SRC" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release >/dev/null
	cmake --build "$BUILD" -j "$JOBS" --target mockintd mockint-load \
	    mockint-echo mockint-seed mockint-history >/dev/null
fi

# One descriptor per connection on each side, plus the server's reserve.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
NOFILE=$(ulimit -n)
MAXCONNS=$((NOFILE - 100))
if [ "$IDLE_CONNS" -gt "$MAXCONNS" ]; then
	log "open-file limit $NOFILE (hard): idle scenario capped at" \
	    "$MAXCONNS connections instead of $IDLE_CONNS"
	IDLE_CONNS=$MAXCONNS
fi
IDLE_CONNS=$((IDLE_CONNS / 2 * 2))
# One source address reaches some 28,000 ports of one server port, but
# the kernel's search for a free one slows down long before they run out:
# spread the connections over 127.0.0.1..K, 5,000 to an address.
SOURCES=$(( (IDLE_CONNS + 4999) / 5000 ))

rm -rf "$OUT"
mkdir -p "$OUT"
EXTRA=()
if "$MOCKINTD" --help 2>/dev/null | grep -q -- --max-conns-per-ip; then
	# Every bench connection comes from 127.0.0.1: no per-address cap.
	EXTRA+=(--max-conns-per-ip 0)
fi
if "$MOCKINTD" --help 2>/dev/null | grep -q -- --limit-requests-per-s; then
	# A closed loop drives one connection far past what a person
	# sends: the throughput scenarios lift the per-connection limit
	# (the abuse scenario keeps every default).
	EXTRA+=(--limit-requests-per-s 0)
fi

# Wait (at most 15 s) for "listening on HOST:PORT" in $1; print PORT.
port_of() {
	local i p
	for ((i = 0; i < 150; i++)); do
		p=$(sed -n 's/^listening on .*:\([0-9][0-9]*\)$/\1/p' "$1" \
		    2>/dev/null || true)
		if [ -n "$p" ]; then echo "$p"; return 0; fi
		sleep 0.1
	done
	echo "no 'listening on' in $1" >&2
	return 1
}

stop() {
	kill "$1" 2>/dev/null || true
	wait "$1" 2>/dev/null || true
}

# seed NAME USERS: a database with USERS users and their tokens.
seed() {
	mkdir -p "$OUT/$1"
	"$BIN/mockint-seed" --db "$OUT/$1/mockint.db" --users "$2" \
	    --tokens "$OUT/$1/tokens" >"$OUT/$1/seed.out"
}

# mockintd_run NAME SYNC PHASES LOAD-ARGS...: seed, start, load, stop.
mockintd_run() {
	local name=$1 sync=$2 phases=$3 conns pid port
	shift 3
	conns=$(arg_conns "$@")
	seed "$name" "$conns"
	"$MOCKINTD" --port 0 --db "$OUT/$name/mockint.db" \
	    --questions "$SRC/server/bank" --sync "$sync" --phases "$phases" \
	    "${EXTRA[@]}" >"$OUT/$name/server.out" 2>"$OUT/$name/server.log" &
	pid=$!
	PIDS+=("$pid")
	port=$(port_of "$OUT/$name/server.out")
	"$BIN/mockint-load" --url "ws://127.0.0.1:$port" --label "$name" \
	    --tokens "$OUT/$name/tokens" --server-pid "$pid" --csv-header \
	    --sources "$SOURCES" "$@" >"$OUT/$name/load.out" \
	    2>"$OUT/$name/load.err" || log "$name: mockint-load failed"
	stop "$pid"
	sed -n '1,/^label,/p' "$OUT/$name/load.out" | sed '$d' >&2
}

# echo_run NAME LOAD-ARGS...: the same load against mockint-echo.
echo_run() {
	local name=$1 pid port
	shift
	mkdir -p "$OUT/$name"
	"$BIN/mockint-echo" --port 0 >"$OUT/$name/server.out" \
	    2>"$OUT/$name/server.log" &
	pid=$!
	PIDS+=("$pid")
	port=$(port_of "$OUT/$name/server.out")
	"$BIN/mockint-load" --echo --url "ws://127.0.0.1:$port" --label "$name" \
	    --server-pid "$pid" --csv-header --sources "$SOURCES" "$@" \
	    >"$OUT/$name/load.out" 2>"$OUT/$name/load.err" ||
	    log "$name: mockint-load failed"
	stop "$pid"
	sed -n '1,/^label,/p' "$OUT/$name/load.out" | sed '$d' >&2
}

want() {
	case " $ONLY " in *" $1 "*) return 0 ;; esac
	return 1
}

arg_conns() {
	while [ $# -gt 0 ]; do
		if [ "$1" = --conns ]; then echo "$2"; return; fi
		shift
	done
	echo 100
}

T0=$(date +%s)
read -r LOAD0 _ < /proc/loadavg
log "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), load average $LOAD0 before the runs"

# Idle: every connection authenticated and paired, the phase clock
# running (5 s prep, then 15 s phases: timer pushes every few seconds per
# session, none ending during the run); --sync normal so that creating the
# sessions is not one fsync each (see the notes rows for that cost).
if want idle; then
	log "idle + timers: $IDLE_CONNS connections"
	mockintd_run idle normal prep=5,answer=15,followup=15,scoring=60 \
	    --conns "$IDLE_CONNS" --duration "$IDLE_DURATION" \
	    --setup-timeout 150
	log "idle ceiling: $IDLE_CONNS connections to mockint-echo"
	echo_run idle-echo --conns "$IDLE_CONNS" --duration 1 \
	    --setup-timeout 150
fi

# Chat and notes: phases long enough that none changes during the
# windows (the mix below has the phase changes).
STEADY=prep=60,answer=600,followup=15,scoring=600

# Chat: a closed loop of one message in flight per sender (the most it
# can do), then paced at CHAT_RATE (the latency at the target load), on
# the default durability (full) and on normal.
CHAT_ARGS=(--conns $((CHAT_SESSIONS * 2)) --duration "$DURATION"
    --size "$SIZE" --chat-rate "$CHAT_RATE" --chat-window 1)
if want chat; then
	for sync in full normal; do
		log "chat relay: $CHAT_SESSIONS sessions, --sync $sync"
		mockintd_run "chat-$sync" "$sync" "$STEADY" "${CHAT_ARGS[@]}"
	done
	log "chat ceiling: mockint-echo"
	echo_run chat-echo "${CHAT_ARGS[@]}"
fi

# Notes: one unacknowledged note per interviewer, then paced at NOTE_RATE.
for sync in full normal; do
	want notes || break
	log "notes: $NOTE_SESSIONS sessions, --sync $sync"
	mockintd_run "notes-$sync" "$sync" "$STEADY" \
	    --conns $((NOTE_SESSIONS * 2)) --duration "$DURATION" \
	    --note-rate "$NOTE_RATE" --note-window 1
done

# The mix: chat both ways and scored notes while every session changes
# phase in the same moment (they were all paired within a second or two,
# and prep is 4 s): the worst case of the phase clock.
if want mix; then
	log "mix: $MIX_SESSIONS sessions, all changing phase at once"
	mockintd_run mix full prep=4,answer=600,followup=15,scoring=600 \
	    --conns $((MIX_SESSIONS * 2)) --duration 6 --size "$SIZE" \
	    --chat-rate "$MIX_CHAT_RATE" --note-rate "$MIX_NOTE_RATE"
fi

# Logins: Argon2id INTERACTIVE (the default), all at once, while pinging.
if want logins; then
	log "logins: $LOGINS at once"
	seed logins "$LOGINS"
	"$MOCKINTD" --port 0 --db "$OUT/logins/mockint.db" "${EXTRA[@]}" \
	    >"$OUT/logins/server.out" 2>"$OUT/logins/server.log" &
	pid=$!
	PIDS+=("$pid")
	port=$(port_of "$OUT/logins/server.out")
	# From as many addresses as logins (at most 254), as that many
	# people would: mockintd throttles attempts per address.
	"$BIN/mockint-load" --url "ws://127.0.0.1:$port" --label logins \
	    --logins "$LOGINS" --server-pid "$pid" --csv-header \
	    --sources $((LOGINS < 254 ? LOGINS : 254)) \
	    >"$OUT/logins/load.out" 2>"$OUT/logins/load.err" ||
	    log "logins: mockint-load failed"
	stop "$pid"
	sed -n '1,/^label,/p' "$OUT/logins/load.out" | sed '$d' >&2
fi

# History: 100,000 ended sessions and 1,000,000 notes (seeded once and
# kept in the build directory), then history.list pages and history.get
# of a 200-note session, one at a time.
HIST_SESSIONS=${BENCH_HIST_SESSIONS:-100000}
HIST_NOTES=${BENCH_HIST_NOTES:-1000000}
if want history; then
	log "history: $HIST_SESSIONS sessions, $HIST_NOTES notes"
	mkdir -p "$OUT/history"
	hdb=$BUILD/history-$HIST_SESSIONS-$HIST_NOTES.db
	if [ ! -f "$hdb" ]; then
		"$BIN/mockint-history" seed --db "$hdb.new" \
		    --questions "$SRC/server/bank" --sessions "$HIST_SESSIONS" \
		    --notes "$HIST_NOTES" --tokens "$hdb.token" >&2 &&
		    mv "$hdb.new" "$hdb"
	fi
	"$MOCKINTD" --port 0 --db "$hdb" --questions "$SRC/server/bank" \
	    "${EXTRA[@]}" >"$OUT/history/server.out" \
	    2>"$OUT/history/server.log" &
	pid=$!
	PIDS+=("$pid")
	port=$(port_of "$OUT/history/server.out")
	"$BIN/mockint-history" measure --url "ws://127.0.0.1:$port" \
	    --tokens "$hdb.token" --n 300 >"$OUT/history/load.out" \
	    2>"$OUT/history/load.err" || log "history: mockint-history failed"
	stop "$pid"
	cat "$OUT/history/load.out" >&2
fi

T1=$(date +%s)
read -r LOAD1 _ < /proc/loadavg
"$SRC/tests/bench/bench-table.sh" "$OUT" "$(nproc)" \
    "$(awk '/MemTotal/ { printf "%.0f", $2 / 1048576 }' /proc/meminfo)" \
    "$LOAD0" "$LOAD1" $((T1 - T0)) "$NOFILE"
