#!/bin/sh
# run.sh BUILD_DIR SECONDS [TARGET...] — fuzz each target (default: every
# tests/fuzz/fuzz-*.c) for SECONDS with the libFuzzer binaries of a FUZZ=ON
# build (`make fuzz`, and `make test` with a few seconds each).
#
# The seed corpus is copied to a scratch directory first, so that what the
# fuzzer adds never dirties the repository; the regression inputs are read
# too (they must keep passing). Fails on the first target that finds a
# crash, a leak, UB, a timeout or a broken invariant, and says how to
# reproduce it and keep it as a regression input.
set -eu

if [ $# -lt 2 ]; then
	echo "usage: $0 BUILD_DIR SECONDS [TARGET...]" >&2
	exit 2
fi
build=$1 seconds=$2
shift 2
src=$(cd "$(dirname "$0")" && pwd)
work=$build/fuzz-work

targets=$*
if [ -z "$targets" ]; then
	for f in "$src"/fuzz-*.c; do
		t=${f##*/fuzz-}
		targets="$targets ${t%.c}"
	done
fi

# Longest input per target: past every limit worth reaching, short enough
# to stay fast. A message over 4 KiB hits the text limits (PROTO_MAX_TEXT);
# a question file over 8 KiB can hold a line over QUESTIONS_MAX_LINE.
max_len() {
	case $1 in
	message) echo 8192 ;;
	questions) echo 16384 ;;
	options) echo 1024 ;;
	sanitize) echo 4096 ;;
	*) echo 4096 ;;
	esac
}

for t in $targets; do
	bin=$build/tests/fuzz/fuzz-$t
	dir=$work/$t
	if [ ! -x "$bin" ]; then
		echo "fuzz: $bin is missing (configure with clang and -DFUZZ=ON)" >&2
		exit 2
	fi
	rm -rf "$dir"
	mkdir -p "$dir/corpus" "$dir/artifacts"
	cp "$src/corpus/$t/"* "$dir/corpus/"
	# The arguments, built in "$@" (the targets are in $targets).
	set -- -max_total_time="$seconds" -max_len="$(max_len "$t")" \
	    -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
	    -artifact_prefix="$dir/artifacts/" "$dir/corpus"
	[ -f "$src/$t.dict" ] && set -- -dict="$src/$t.dict" "$@"
	[ -d "$src/regress/$t" ] && set -- "$@" "$src/regress/$t"
	echo "fuzz: $t for ${seconds}s ..."
	if UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	    "$bin" "$@" >"$dir/log" 2>&1; then
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/log")
		rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$dir/log")
		done_line=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$dir/log" | tail -n 1)
		cov=$(echo "$done_line" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
		ft=$(echo "$done_line" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
		corp=$(echo "$done_line" | sed -n 's/.* corp: \([0-9]*\).*/\1/p')
		echo "fuzz: $t ok: $runs runs ($rate/s), cov $cov, ft $ft," \
		    "corpus $corp (log: $dir/log)"
	else
		rc=$?
		tail -n 60 "$dir/log" >&2
		echo "fuzz: $t FAILED (exit $rc); full log: $dir/log" >&2
		for a in "$dir/artifacts/"*; do
			[ -f "$a" ] || continue
			echo "fuzz: reproduce: $bin $a" >&2
			echo "fuzz: keep it:   cp $a $src/regress/$t/NAME" >&2
		done
		exit 1
	fi
done
