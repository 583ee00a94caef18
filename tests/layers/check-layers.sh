#!/bin/sh
# check-layers.sh — a tree's layers, checked on its sources: a file may
# include headers of its own layer, of the layers its table allows and of
# proto/, never of a layer above it or beside it, and none of the system
# headers its table forbids. The build already refuses an upward
# "#include" (each layer's library sees only its own include directory and
# those of the layers it links; the layers/*-compile tests prove it); this
# check says which file and which header, and also covers the libraries
# the include path cannot stop.
#
#   check-layers.sh TABLE DIR              check the tree DIR
#   check-layers.sh --self-test TABLE DIR  check that the check fails on
#       each violation the table plants, and passes on a clean copy
# TABLE: server.layers, client.layers (the format is described there).
set -u

# The layers $2 may include from, by table $1; fails for an unknown one.
allowed() {
	line=$(awk -v l="$2" '$1 == "layer" && $2 == l' "$1")
	[ -n "$line" ] || return 1
	echo "$line" | awk '{ for (i = 3; i <= NF; i++) if ($i != "-") \
	    printf "%s ", $i }'
}

# The system headers layer $2 must not include (an ERE), by table $1.
forbidden_system() {
	awk -v l="$2" '$1 == "system" && $2 == l { print $3 }' "$1"
}

# The layer holding header $2 under tree $1, or nothing.
layer_of() {
	for d in "$1"/*/; do
		if [ -f "$d$2" ]; then
			basename "$d"
			return
		fi
	done
}

check() {
	table=$1
	dir=$2
	bad=0
	for f in "$dir"/*.c "$dir"/*.h "$dir"/*/*.c "$dir"/*/*.h; do
		[ -f "$f" ] || continue
		rel=${f#"$dir"/}
		case $rel in
		main.c) layer=main ;;
		*/*) layer=${rel%%/*} ;;
		*)
			echo "$rel: outside every layer (put it in a folder)"
			bad=1
			continue ;;
		esac
		if ! ok=$(allowed "$table" "$layer"); then
			echo "$rel: '$layer' is not a known layer (add it to" \
			    "the build and to $(basename "$table"))"
			bad=1
			continue
		fi
		no=$(forbidden_system "$table" "$layer")
		for h in $(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f"); do
			to=$(layer_of "$dir" "$h")
			[ -n "$to" ] || continue	# proto/ or generated
			[ "$to" = "$layer" ] && continue
			case " $ok" in
			*" $to "*) continue ;;
			esac
			echo "$rel: includes $to/$h, but $layer/ may only use:" \
			    "${ok:-proto/ alone}"
			bad=1
		done
		[ -n "$no" ] || continue
		for h in $(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*<\([^>]*\)>.*/\1/p' "$f"); do
			if echo "$h" | grep -Eq "$no"; then
				echo "$rel: includes <$h>, which $layer/ must not use"
				bad=1
			fi
		done
	done
	return $bad
}

# Plant line $4 at the top of $3 in a fresh copy of $2; the check by
# table $1 must fail.
expect_failure() {
	rm -rf "$tmp/tree"
	cp -R "$2" "$tmp/tree"
	printf '%s\n' "$4" | cat - "$tmp/tree/$3" >"$tmp/planted"
	mv "$tmp/planted" "$tmp/tree/$3"
	if check "$1" "$tmp/tree" >"$tmp/out"; then
		echo "self-test: '$4' in $3 was not caught"
		return 1
	fi
	echo "self-test: caught: $(head -1 "$tmp/out")"
}

self_test() {
	tmp=$(mktemp -d) || exit 1
	trap 'rm -rf "$tmp"' EXIT
	cp -R "$2" "$tmp/tree"
	if ! check "$1" "$tmp/tree"; then
		echo "self-test: the clean tree fails the check"
		exit 1
	fi
	n=0
	# "plant FILE LINE": FILE, a tab, LINE (which has spaces).
	awk '$1 == "plant" { f = $2; sub(/^plant[ \t]+[^ \t]+[ \t]+/, "");
	    print f "\t" $0 }' "$1" >"$tmp/plants"
	while IFS='	' read -r file line; do
		expect_failure "$1" "$2" "$file" "$line" || exit 1
		n=$((n + 1))
	done <"$tmp/plants"
	[ "$n" -gt 0 ] || { echo "self-test: nothing planted"; exit 1; }
	# A file left at the top, beside main.c.
	rm -rf "$tmp/tree"
	cp -R "$2" "$tmp/tree"
	echo 'int x;' >"$tmp/tree/stray.c"
	if check "$1" "$tmp/tree" >/dev/null; then
		echo "self-test: a stray file at the top was not caught"
		exit 1
	fi
	echo "self-test: ok ($n planted violations caught)"
}

if [ "${1:-}" = "--self-test" ] && [ $# -eq 3 ]; then
	self_test "$2" "$3"
elif [ $# -eq 2 ] && [ -f "$1" ] && [ -d "$2" ]; then
	check "$1" "$2" || {
		echo "layers: see $(basename "$1") for the order"
		exit 1
	}
else
	echo "usage: check-layers.sh [--self-test] TABLE DIR" >&2
	exit 2
fi
