#!/bin/sh
# smoke.sh — the ctest bench/smoke: a few seconds of the benchmark tools
# end to end, so that `make test` notices when they break. Seeds 20 users,
# starts mockintd (MOCKINTD) with short phases and the bundled bank, runs
# mockint-load for 3 s with 20 connections (a closed loop of chat and
# notes, then paced), then mockint-echo --ack with mockint-load --echo for
# 1 s, then a --cohort of 10 sessions on the first server for 2.5 s, then
# the abuse mode (--flooders, --guessers, --bystander) for 2 s against a
# second mockintd with the default limits, then mockint-history's seed (50
# sessions) and a few measured reads, and checks that the CSV lines hold
# sane non-zero numbers.
set -eu

: "${MOCKINTD:?} ${MOCKINT_LOAD:?} ${MOCKINT_SEED:?} ${MOCKINT_ECHO:?}"
: "${MOCKINT_HISTORY:?}"
: "${MOCKINT_SOURCE_DIR:?}"

dir=$(mktemp -d "${TMPDIR:-/tmp}/mockint-smoke.XXXXXX")
srv=
echo_pid=
abuse_srv=
cleanup() {
	[ -n "$srv" ] && kill "$srv" 2>/dev/null && wait "$srv" 2>/dev/null
	[ -n "$abuse_srv" ] && kill "$abuse_srv" 2>/dev/null &&
	    wait "$abuse_srv" 2>/dev/null
	[ -n "$echo_pid" ] && kill "$echo_pid" 2>/dev/null &&
	    wait "$echo_pid" 2>/dev/null
	[ -n "${MOCKINT_KEEP_TMP:-}" ] || rm -rf "$dir"
}
trap cleanup EXIT INT TERM

fail() {
	echo "bench/smoke: $*" >&2
	for f in "$dir"/*.out "$dir"/*.err "$dir"/*.log; do
		[ -f "$f" ] && { echo "--- $f" >&2; tail -n 30 "$f" >&2; }
	done
	exit 1
}

# Wait (at most 10 s) for "listening on HOST:PORT" in $1; print PORT.
port_of() {
	i=0
	while [ $i -lt 100 ]; do
		# The server may not have made its output file yet.
		p=$(sed -n 's/^listening on .*:\([0-9][0-9]*\)$/\1/p' "$1" \
		    2>/dev/null || true)
		[ -n "$p" ] && { echo "$p"; return 0; }
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# The value of CSV column $2 in the output file $1 (header, then line).
col() {
	tail -n 2 "$1" | awk -F, -v name="$2" '
	    NR == 1 { for (i = 1; i <= NF; i++) if ($i == name) c = i }
	    NR == 2 && c { print $c }'
}

# Is CSV column $2 of $1 a number greater than $3?
above() {
	v=$(col "$1" "$2")
	awk -v v="$v" -v min="$3" 'BEGIN { exit !(v != "" && v + 0 > min) }' ||
	    fail "$2 is '$v' in $1, expected more than $3"
}

"$MOCKINT_SEED" --db "$dir/mockint.db" --users 20 --tokens "$dir/tokens" \
    >"$dir/seed.out" 2>"$dir/seed.err" || fail "mockint-seed failed"
[ "$(wc -l <"$dir/tokens")" -eq 20 ] || fail "expected 20 tokens"

conn_extra=
if "$MOCKINTD" --help 2>/dev/null | grep -q -- --max-conns-per-ip; then
	conn_extra="--max-conns-per-ip 0"
fi
extra=$conn_extra
# Each bench connection stands for many users' load: no per-connection
# request limit (run-bench.sh does the same).
if "$MOCKINTD" --help 2>/dev/null | grep -q -- --limit-requests-per-s; then
	extra="$extra --limit-requests-per-s 0"
fi
# ... nor per session: 20 connections' closed loop puts some 1,000 messages
# into each of 10 sessions within the 1.5 s, the default per-session cap
# (then every chat.send is too_large, and the paced window relays none).
if "$MOCKINTD" --help 2>/dev/null | grep -q -- --limit-chat-messages; then
	extra="$extra --limit-chat-messages 1000000 --limit-notes 1000000"
	extra="$extra --limit-chat-bytes 1073741824"
	extra="$extra --limit-note-bytes 1073741824"
fi
# shellcheck disable=SC2086
"$MOCKINTD" --port 0 --db "$dir/mockint.db" \
    --questions "$MOCKINT_SOURCE_DIR/server/bank" --sync normal \
    --phases prep=1,answer=1,followup=1,scoring=30 $extra \
    >"$dir/server.out" 2>"$dir/server.log" &
srv=$!
port=$(port_of "$dir/server.out") || fail "mockintd did not start"

"$MOCKINT_LOAD" --url "ws://127.0.0.1:$port" --tokens "$dir/tokens" \
    --conns 20 --duration 1.5 --chat-rate 200 --note-rate 50 \
    --chat-window 2 --note-window 1 --server-pid "$srv" --label smoke \
    --setup-timeout 20 --csv-header >"$dir/load.out" 2>"$dir/load.err" ||
    fail "mockint-load failed"
[ "$(col "$dir/load.out" conns)" = 20 ] || fail "not 20 connections held"
[ "$(col "$dir/load.out" sessions)" = 10 ] || fail "not 10 live sessions"
above "$dir/load.out" chat_per_s 50
above "$dir/load.out" notes_per_s 10
above "$dir/load.out" chat_max_per_s 50
above "$dir/load.out" notes_max_per_s 10
above "$dir/load.out" chat_p99_ms 0
above "$dir/load.out" note_p99_ms 0
above "$dir/load.out" timers 0
above "$dir/load.out" server_rss_kib 1000
[ "$(col "$dir/load.out" errors)" = 0 ] || fail "errors in the load run"

# --ack: the relay and an ok to each sender (what the loader must ignore).
"$MOCKINT_ECHO" --port 0 --ack >"$dir/echo.out" 2>"$dir/echo.err" &
echo_pid=$!
eport=$(port_of "$dir/echo.out") || fail "mockint-echo did not start"
"$MOCKINT_LOAD" --echo --url "ws://127.0.0.1:$eport" --conns 20 \
    --duration 1 --chat-rate 200 --server-pid "$echo_pid" --label smoke-echo \
    --setup-timeout 20 --csv-header >"$dir/echo-load.out" \
    2>"$dir/echo-load.err" || fail "mockint-load --echo failed"
[ "$(col "$dir/echo-load.out" sessions)" = 10 ] || fail "echo: not 10 pairs"
above "$dir/echo-load.out" chat_per_s 50
[ "$(col "$dir/echo-load.out" errors)" = 0 ] || fail "errors in the echo run"

# Is CSV column $2 of $1 exactly $3?
is() {
	[ "$(col "$1" "$2")" = "$3" ] ||
	    fail "$2 is '$(col "$1" "$2")' in $1, expected $3"
}

# A cohort: 10 more users, every pair queued at once, the window from the
# first join through two phase changes (prep and answer are 1 s here).
"$MOCKINT_SEED" --db "$dir/mockint.db" --start 20 --users 20 \
    --tokens "$dir/cohort.tokens" >"$dir/seed2.out" 2>"$dir/seed2.err" ||
    fail "mockint-seed (cohort) failed"
"$MOCKINT_LOAD" --url "ws://127.0.0.1:$port" --tokens "$dir/cohort.tokens" \
    --conns 20 --cohort --duration 2.5 --server-pid "$srv" \
    --db "$dir/mockint.db" --label smoke-cohort --setup-timeout 20 \
    --csv-header >"$dir/cohort.out" 2>"$dir/cohort.err" ||
    fail "mockint-load --cohort failed"
is "$dir/cohort.out" sessions 10
above "$dir/cohort.out" start_all_ms 0
above "$dir/cohort.out" start_p99_ms 0
# Clock events: each of the 20 clients' change to answer at least (the
# change to followup can fall past the window on a busy machine).
above "$dir/cohort.out" timers 19
above "$dir/cohort.out" rss_start_kib 1000
above "$dir/cohort.out" db_end_kib 0
took=$(col "$dir/cohort.out" start_all_ms)
awk -v v="$took" 'BEGIN { exit !(v < 10000) }' ||
    fail "the cohort took $took ms to start"
is "$dir/cohort.out" errors 0

# Abuse, against a server with the default limits (but the cap per
# address: all of it comes from 127.0.0.1), and a session's chat limited
# to 64 KiB so that the flood meets too_large within the 2 s: 5 honest
# sessions, 1 flooding, 3 guessers, the bystander.
"$MOCKINT_SEED" --db "$dir/abuse.db" --users 16 --tokens "$dir/abuse.tokens" \
    >"$dir/seed3.out" 2>"$dir/seed3.err" || fail "mockint-seed (abuse) failed"
# shellcheck disable=SC2086
"$MOCKINTD" --port 0 --db "$dir/abuse.db" \
    --questions "$MOCKINT_SOURCE_DIR/server/bank" --sync normal \
    --limit-chat-bytes 65536 $conn_extra \
    >"$dir/abuse-server.out" 2>"$dir/abuse-server.log" &
abuse_srv=$!
aport=$(port_of "$dir/abuse-server.out") ||
    fail "mockintd (abuse) did not start"
"$MOCKINT_LOAD" --url "ws://127.0.0.1:$aport" --tokens "$dir/abuse.tokens" \
    --conns 12 --flooders 1 --guessers 3 --bystander --chat-rate 20 \
    --duration 2 --server-pid "$abuse_srv" --db "$dir/abuse.db" \
    --label smoke-abuse --setup-timeout 20 --csv-header \
    >"$dir/abuse.out" 2>"$dir/abuse.err" || fail "mockint-load (abuse) failed"
a=$dir/abuse.out
is "$a" sessions 6
is "$a" flooders 1
is "$a" guessers 3
is "$a" errors 0
above "$a" chat_per_s 5
above "$a" chat_p99_ms 0
above "$a" ping_p99_ms 0
above "$a" flood_ok 0
above "$a" flood_too_large 0
above "$a" flood_rate_limited 0
above "$a" guess_not_found 0
above "$a" guess_rate_limited 0
above "$a" rss_end_kib 1000
above "$a" db_bound_kib 0
above "$a" db_end_kib 0

# History: the seeder writes the schema's current tables (it broke once
# when a migration added a NOT NULL column) and the reads get answers.
"$MOCKINT_HISTORY" seed --db "$dir/history.db" \
    --questions "$MOCKINT_SOURCE_DIR/server/bank" --sessions 50 --notes 400 \
    --tokens "$dir/history.token" >"$dir/hseed.out" 2>"$dir/hseed.err" ||
    fail "mockint-history seed failed"
kill "$srv" 2>/dev/null && wait "$srv" 2>/dev/null
"$MOCKINTD" --port 0 --db "$dir/history.db" \
    --questions "$MOCKINT_SOURCE_DIR/server/bank" \
    >"$dir/server.out" 2>"$dir/history-server.log" &
srv=$!
hport=$(port_of "$dir/server.out") || fail "mockintd (history) did not start"
"$MOCKINT_HISTORY" measure --url "ws://127.0.0.1:$hport" \
    --tokens "$dir/history.token" --n 5 >"$dir/history.out" \
    2>"$dir/history.err" || fail "mockint-history measure failed"

cat "$dir/load.out" "$dir/echo-load.out" "$dir/cohort.out" "$a" \
    "$dir/history.out"
echo "bench/smoke: ok"
