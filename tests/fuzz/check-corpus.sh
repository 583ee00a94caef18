#!/bin/sh
# check-corpus.sh DISPATCH_C CORPUS_DIR — fail unless the message corpus
# has a seed for every request type in dispatch.c's table. The seeds are
# where the fuzzer starts from; a type without one is only reached if the
# fuzzer happens to spell its name and its required fields.
set -eu
dispatch=$1 corpus=$2

names=$(sed -n '/^static const struct cmd_entry table\[\]/,/^};/p' "$dispatch" |
	sed -n 's/^[[:space:]]*{[[:space:]]*"\([^"]*\)",.*/\1/p')
if [ -z "$names" ]; then
	echo "check-corpus: no request table found in $dispatch" >&2
	exit 1
fi
missing=0
count=0
for name in $names; do
	count=$((count + 1))
	re=$(printf '%s' "$name" | sed 's/\./\\./g')
	if ! grep -qlE "\"type\"[[:space:]]*:[[:space:]]*\"$re\"" "$corpus"/*; then
		echo "check-corpus: no seed in $corpus for request type '$name'" >&2
		missing=1
	fi
done
[ "$missing" = 0 ] && echo "check-corpus: $count request types, each has a seed"
exit "$missing"
