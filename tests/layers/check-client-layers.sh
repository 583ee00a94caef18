#!/bin/sh
# check-client-layers.sh — the client's layers (client/CMakeLists.txt),
# checked on the sources: a file may include headers of its own layer,
# of the layers below it and of proto/, never of a layer above it or
# beside it. The build already refuses an upward "#include" (each layer
# sees only its own include directory and those below); this check says
# which file and which header, and also covers the system headers the
# include path cannot stop: curses only in tui/, libwebsockets only in
# transport/, libuv nowhere in text/, vm/ or tui/.
#
#   check-client-layers.sh CLIENT_DIR              check the tree
#   check-client-layers.sh --self-test CLIENT_DIR  check that the check
#       fails on planted violations of each kind, and passes on a clean
#       copy of the tree
set -u

# The layers a layer may include from, besides itself and proto/.
allowed() {
	case $1 in
	text|transport|vm) echo "" ;;
	tui) echo "vm text" ;;
	cmd) echo "tui vm transport text" ;;
	main) echo "cmd tui vm transport text" ;;
	*) return 1 ;;
	esac
}

# The system headers a layer must not include (a grep -E pattern).
forbidden_system() {
	case $1 in
	text|vm) echo '^(n?curses|ncursesw/.*|libwebsockets|uv)\.h$' ;;
	tui) echo '^(libwebsockets|uv)\.h$' ;;
	transport) echo '^(n?curses|ncursesw/.*)\.h$' ;;
	*) echo '^(libwebsockets)\.h$' ;;
	esac
}

# The layer holding client header $2 under client dir $1, or nothing.
layer_of() {
	for d in "$1"/*/; do
		if [ -f "$d$2" ]; then
			basename "$d"
			return
		fi
	done
}

check() {
	dir=$1
	bad=0
	for f in "$dir"/* "$dir"/*/*; do
		[ -f "$f" ] || continue
		case $f in
		*.c|*.h) ;;
		*) continue ;;
		esac
		rel=${f#"$dir"/}
		case $rel in
		main.c) layer=main ;;
		*/*) layer=${rel%%/*} ;;
		*)
			echo "$rel: outside every layer (put it in a folder)"
			bad=1
			continue ;;
		esac
		if ! ok=$(allowed "$layer"); then
			echo "$rel: '$layer' is not a known layer (add it to" \
			    "client/CMakeLists.txt and to this script)"
			bad=1
			continue
		fi
		no=$(forbidden_system "$layer")
		for h in $(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f"); do
			to=$(layer_of "$dir" "$h")
			[ -n "$to" ] || continue	# proto/ or a system header
			[ "$to" = "$layer" ] && continue
			case " $ok " in
			*" $to "*) continue ;;
			esac
			echo "$rel: includes $to/$h, but $layer/ may only use:" \
			    "${ok:-proto/ alone}"
			bad=1
		done
		for h in $(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*<\([^>]*\)>.*/\1/p' "$f"); do
			if echo "$h" | grep -Eq "$no"; then
				echo "$rel: includes <$h>, which $layer/ must not use"
				bad=1
			fi
		done
	done
	return $bad
}

# Plant $3 at the top of $2 in a fresh copy of $1; the check must fail.
expect_failure() {
	rm -rf "$tmp/client"
	cp -R "$1" "$tmp/client"
	printf '%s\n' "$3" | cat - "$tmp/client/$2" >"$tmp/planted"
	mv "$tmp/planted" "$tmp/client/$2"
	if check "$tmp/client" >"$tmp/out"; then
		echo "self-test: '$3' in $2 was not caught"
		return 1
	fi
	echo "self-test: caught: $(cat "$tmp/out")"
}

self_test() {
	tmp=$(mktemp -d) || exit 1
	trap 'rm -rf "$tmp"' EXIT
	rm -rf "$tmp/client"
	cp -R "$1" "$tmp/client"
	if ! check "$tmp/client"; then
		echo "self-test: the clean tree fails the check"
		exit 1
	fi
	expect_failure "$1" vm/vm.c '#include "ui.h"' &&
	expect_failure "$1" vm/vm.h '#include "rpc.h"' &&
	expect_failure "$1" transport/rpc.c '#include "vm.h"' &&
	expect_failure "$1" tui/ui.c '#include "cmd.h"' &&
	expect_failure "$1" text/fmt.c '#include "live.h"' &&
	expect_failure "$1" vm/vm_keys.c '#include <curses.h>' &&
	expect_failure "$1" tui/ui.c '#include <libwebsockets.h>' &&
	expect_failure "$1" vm/vm_notes.c '#include <uv.h>' || exit 1
	# A file left at the top, beside main.c.
	rm -rf "$tmp/client"
	cp -R "$1" "$tmp/client"
	echo 'int x;' >"$tmp/client/stray.c"
	if check "$tmp/client" >/dev/null; then
		echo "self-test: a stray client/stray.c was not caught"
		exit 1
	fi
	echo "self-test: ok"
}

if [ "${1:-}" = "--self-test" ] && [ $# -eq 2 ]; then
	self_test "$2"
elif [ $# -eq 1 ] && [ -d "$1" ]; then
	check "$1" || {
		echo "client layers: see client/CMakeLists.txt for the order"
		exit 1
	}
else
	echo "usage: check-client-layers.sh [--self-test] CLIENT_DIR" >&2
	exit 2
fi
