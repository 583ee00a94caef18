#!/usr/bin/env bash
# run-bench.sh — `make bench`: builds Release in $BENCH_BUILD (build-bench),
# raises the open-file limit, and runs the standard scenarios one after the
# other on loopback, each against a fresh mockintd (or mockint-echo, the
# transport's ceiling) with a fresh database: idle connections with the
# phase clock running (timer lateness), chat relay, durable and normal
# notes, the mix and the storm (every session changing phase at once
# while chatting and scoring), a cohort of sessions started in the same
# second, logins, history, and abuse (a flood and room-code guessing
# against a server with every default limit, beside honest sessions), and
# the browser client's first load in headless chromium (web).
# Then it prints one table with mockintd and the ceiling side by side, and
# every run's CSV line. All of it in about three minutes on two cores;
# every size is a BENCH_* variable (see below), BENCH_ONLY picks scenarios
# ("idle chat notes mix storm cohort logins history abuse web"),
# BENCH_NO_BUILD=1 reruns what is built, BENCH_PERF=1 records each server
# with `perf record -g` (bench-out/NAME/perf.txt).
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
# The storm: the mix at more sessions, its rates scaled with them.
STORM_SESSIONS=${BENCH_STORM_SESSIONS:-2000}
STORM_CHAT_RATE=$((STORM_SESSIONS * MIX_CHAT_RATE / MIX_SESSIONS))
STORM_NOTE_RATE=$((STORM_SESSIONS * MIX_NOTE_RATE / MIX_SESSIONS))
COHORT_SESSIONS=${BENCH_COHORT_SESSIONS:-5000}	# capped like idle
COHORT_DURATION=${BENCH_COHORT_DURATION:-12}	# from the first join
ABUSE_SESSIONS=${BENCH_ABUSE_SESSIONS:-1000}	# honest ones
ABUSE_CHAT_RATE=${BENCH_ABUSE_CHAT_RATE:-2000}	# their messages/s
ABUSE_FLOODERS=${BENCH_ABUSE_FLOODERS:-1}	# flooding sessions
ABUSE_GUESSERS=${BENCH_ABUSE_GUESSERS:-100}	# room-code guessers
ABUSE_DURATION=${BENCH_ABUSE_DURATION:-10}
LOGINS=${BENCH_LOGINS:-100}
SIZE=${BENCH_SIZE:-128}			# chat text bytes
DURATION=${BENCH_DURATION:-4}		# seconds per measuring window
IDLE_DURATION=${BENCH_IDLE_DURATION:-8}
ONLY=${BENCH_ONLY:-idle chat notes mix storm cohort logins history abuse web}

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

# One descriptor per connection on each side (the server and the
# generator are two processes, each with this limit), plus the server's
# reserve.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
NOFILE=$(ulimit -n)
MAXCONNS=$((NOFILE - 100))

# capped NAME CONNS: CONNS, or as many as the limit allows; always even
# (whole sessions).
capped() {
	local n=$2
	if [ "$n" -gt "$MAXCONNS" ]; then
		log "open-file limit $NOFILE (hard): $1 scenario capped at" \
		    "$MAXCONNS connections instead of $n"
		n=$MAXCONNS
	fi
	echo $((n / 2 * 2))
}
IDLE_CONNS=$(capped idle "$IDLE_CONNS")
COHORT_CONNS=$(capped cohort $((COHORT_SESSIONS * 2)))
# One source address reaches some 28,000 ports of one server port, but
# the kernel's search for a free one slows down long before they run out:
# spread the connections over 127.0.0.1..K, 5,000 to an address, for the
# biggest scenario (every scenario uses them).
BIGGEST=$((IDLE_CONNS > COHORT_CONNS ? IDLE_CONNS : COHORT_CONNS))
SOURCES=$(( (BIGGEST + 4999) / 5000 ))

rm -rf "$OUT"
mkdir -p "$OUT"
CONN_EXTRA=() RATE_EXTRA=()
if "$MOCKINTD" --help 2>/dev/null | grep -q -- --max-conns-per-ip; then
	# Every bench connection comes from 127.0.0.1..K: no per-address
	# cap (thousands of people would come from thousands of addresses).
	CONN_EXTRA=(--max-conns-per-ip 0)
fi
if "$MOCKINTD" --help 2>/dev/null | grep -q -- --limit-requests-per-s; then
	# A closed loop drives one connection far past what a person
	# sends: the throughput scenarios lift the per-connection limit
	# (the abuse scenario keeps every default).
	RATE_EXTRA=(--limit-requests-per-s 0)
fi
EXTRA=("${CONN_EXTRA[@]}" "${RATE_EXTRA[@]}")
SERVER_EXTRA=("${EXTRA[@]}")	# what mockintd_run passes

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

# mockintd_run NAME SYNC PHASES LOAD-ARGS...: seed, start (with
# SERVER_EXTRA), load, stop.
mockintd_run() {
	local name=$1 sync=$2 phases=$3 users pid port
	shift 3
	users=$(arg_users "$@")
	seed "$name" "$users"
	"$MOCKINTD" --port 0 --db "$OUT/$name/mockint.db" \
	    --questions "$SRC/server/bank" --sync "$sync" --phases "$phases" \
	    "${SERVER_EXTRA[@]}" >"$OUT/$name/server.out" \
	    2>"$OUT/$name/server.log" &
	pid=$!
	PIDS+=("$pid")
	port=$(port_of "$OUT/$name/server.out")
	perf_start "$name" "$pid"
	"$BIN/mockint-load" --url "ws://127.0.0.1:$port" --label "$name" \
	    --tokens "$OUT/$name/tokens" --server-pid "$pid" --csv-header \
	    --db "$OUT/$name/mockint.db" --sources "$SOURCES" "$@" \
	    >"$OUT/$name/load.out" \
	    2>"$OUT/$name/load.err" || log "$name: mockint-load failed"
	perf_stop "$name"
	stop "$pid"
	sed -n '1,/^label,/p' "$OUT/$name/load.out" | sed '$d' >&2
}

# BENCH_PERF=1: a `perf record -g` of each server while its load runs
# (set-up included), its report in $OUT/NAME/perf.txt. Off by default:
# sampling costs the server a few per cent.
# Beside it, `perf stat` counts the server's system calls that write to
# or wait on sockets (perf-stat.txt): what a batching change saves shows
# there whatever else runs on the machine.
PERF_PID=
STAT_PID=
perf_start() {
	[ -n "${BENCH_PERF:-}" ] || return 0
	perf record -F 999 -g -p "$2" -o "$OUT/$1/perf.data" \
	    >/dev/null 2>&1 &
	PERF_PID=$!
	perf stat -e syscalls:sys_enter_sendto,syscalls:sys_enter_recvfrom \
	    -e syscalls:sys_enter_epoll_ctl,syscalls:sys_enter_epoll_wait \
	    -p "$2" -o "$OUT/$1/perf-stat.txt" >/dev/null 2>&1 &
	STAT_PID=$!
}
perf_stop() {
	[ -n "$PERF_PID" ] || return 0
	kill -TERM "$PERF_PID" 2>/dev/null
	kill -INT "$STAT_PID" 2>/dev/null	# stat prints its counts on INT
	wait "$PERF_PID" 2>/dev/null || true	# its status is the signal's
	wait "$STAT_PID" 2>/dev/null || true
	PERF_PID= STAT_PID=
	perf report -i "$OUT/$1/perf.data" --no-children --sort dso,symbol \
	    --stdio 2>/dev/null | grep -v '^$' | head -200 >"$OUT/$1/perf.txt" ||
	    true	# head closing the pipe is not a failure
}

# echo_run NAME LOAD-ARGS...: the same load against mockint-echo (with
# $ECHO_FLAGS).
echo_run() {
	local name=$1 pid port
	shift
	mkdir -p "$OUT/$name"
	# shellcheck disable=SC2086	# flags, split on purpose
	"$BIN/mockint-echo" --port 0 ${ECHO_FLAGS:-} >"$OUT/$name/server.out" \
	    2>"$OUT/$name/server.log" &
	pid=$!
	PIDS+=("$pid")
	port=$(port_of "$OUT/$name/server.out")
	perf_start "$name" "$pid"
	"$BIN/mockint-load" --echo --url "ws://127.0.0.1:$port" --label "$name" \
	    --server-pid "$pid" --csv-header --sources "$SOURCES" "$@" \
	    >"$OUT/$name/load.out" 2>"$OUT/$name/load.err" ||
	    log "$name: mockint-load failed"
	perf_stop "$name"
	stop "$pid"
	sed -n '1,/^label,/p' "$OUT/$name/load.out" | sed '$d' >&2
}

want() {
	case " $ONLY " in *" $1 "*) return 0 ;; esac
	return 1
}

# The users a mockint-load run authenticates: --conns (default 100),
# --guessers and the --bystander.
arg_users() {
	local conns=100 more=0
	while [ $# -gt 0 ]; do
		case $1 in
		--conns) conns=$2; shift ;;
		--guessers) more=$((more + $2)); shift ;;
		--bystander) more=$((more + 1)) ;;
		esac
		shift
	done
	echo $((conns + more))
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
	# The same frames as mockintd sends: the relay, and an ok to the
	# sender of each message.
	log "chat ceiling with an ok per message: mockint-echo --ack"
	ECHO_FLAGS=--ack echo_run chat-echo-ack "${CHAT_ARGS[@]}"
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

# The storm: the mix at STORM_SESSIONS, its rates scaled with them, and
# every pair queued at once so that the sessions start, and so change
# phase, within the same second (the mix pairs 32 at a time).
if want storm; then
	log "storm: $STORM_SESSIONS sessions, all changing phase at once"
	mockintd_run storm full prep=4,answer=600,followup=15,scoring=600 \
	    --conns $((STORM_SESSIONS * 2)) --duration 6 --size "$SIZE" \
	    --chat-rate "$STORM_CHAT_RATE" --note-rate "$STORM_NOTE_RATE" \
	    --pair-window "$STORM_SESSIONS"
fi

# The cohort: every pair queued at once through the real queue, so that
# all sessions start within the same second, then short phases, so that
# every phase change lands together too. The window starts with the first
# queue.join: how long until the last match and session arrived, then
# the timers of three phase changes, and the loop lag throughout.
if want cohort; then
	log "cohort: $((COHORT_CONNS / 2)) sessions starting at once"
	mockintd_run cohort full prep=3,answer=3,followup=3,scoring=30 \
	    --conns "$COHORT_CONNS" --cohort --duration "$COHORT_DURATION" \
	    --setup-timeout 150
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

# Abuse: one session floods its chat and notes (4 KiB texts, pipelined),
# ABUSE_GUESSERS connections guess room codes as fast as the replies come,
# beside ABUSE_SESSIONS honest sessions chatting and a bystander pinging.
# mockintd keeps every default limit (that is what is measured), but the
# cap of connections per address: all of these come from 127.0.0.1..K, so
# the cap would refuse the honest sessions rather than test anything, and
# the limits keyed by address (room.join's) apply all the same.
if want abuse; then
	log "abuse: $ABUSE_FLOODERS flooding, $ABUSE_GUESSERS guessing," \
	    "$ABUSE_SESSIONS honest sessions"
	SERVER_EXTRA=("${CONN_EXTRA[@]}")
	mockintd_run abuse full "$STEADY" \
	    --conns $(((ABUSE_SESSIONS + ABUSE_FLOODERS) * 2)) \
	    --flooders "$ABUSE_FLOODERS" --guessers "$ABUSE_GUESSERS" \
	    --bystander --duration "$ABUSE_DURATION" --size "$SIZE" \
	    --chat-rate "$ABUSE_CHAT_RATE"
	SERVER_EXTRA=("${EXTRA[@]}")
fi

# Web: the browser client's first load, BENCH_WEB_RUNS (5) cold loads in
# headless chromium against a mockintd with the default Argon2id cost:
# bytes transferred (gzipped) and uncompressed, the time from navigation
# to the sign-in form and from Sign in to the home screen
# (tests/web/bench-first-load.mjs; the npm packages of tests/web).
if want web; then
	log "web: the browser client's first load in headless chromium"
	mkdir -p "$OUT/web"
	if command -v node >/dev/null && command -v chromium >/dev/null &&
	    "$SRC/tests/web/npm-ci.sh" >"$OUT/web/npm.log" 2>&1; then
		MOCKINTD=$MOCKINTD node "$SRC/tests/web/bench-first-load.mjs" \
		    >"$OUT/web/load.out" 2>"$OUT/web/load.err" ||
		    log "web: bench-first-load failed"
		cat "$OUT/web/load.err" >&2
	else
		log "web: needs node, npm and chromium (deploy/install-deps.sh)"
	fi
fi

T1=$(date +%s)
read -r LOAD1 _ < /proc/loadavg
"$SRC/tests/bench/bench-table.sh" "$OUT" "$(nproc)" \
    "$(awk '/MemTotal/ { printf "%.0f", $2 / 1048576 }' /proc/meminfo)" \
    "$LOAD0" "$LOAD1" $((T1 - T0)) "$NOFILE"
