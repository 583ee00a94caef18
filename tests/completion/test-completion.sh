#!/bin/bash
# test-completion.sh — the shell completion of mockint: the bash script
# completes commands, subcommands and option values, the zsh one at least
# parses (when zsh is installed), and 'cmake --install' puts both where
# the shells look for them. Usage: test-completion.sh SOURCE_DIR BUILD_DIR
set -u
src=$1
build=$2
fail=0

complete_words()
{
	# The completions bash offers for the words given, the last one
	# being typed.
	COMP_WORDS=("$@")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMPREPLY=()
	_mockint
	echo "${COMPREPLY[*]}"
}

expect()
{
	local want=$1
	shift
	local got
	got=$(complete_words "$@")
	if [[ " $got " != *" $want "* ]]; then
		echo "FAIL: mockint ${*:2}: [$got] lacks [$want]"
		fail=1
	fi
}

source "$src/client/completion/mockint.bash" || exit 1
expect interview mockint in
expect questions mockint q
expect history mockint his
expect export mockint history ex
expect create mockint room ""
expect --difficulty mockint interview --di
expect hard mockint interview --difficulty h
expect never mockint --color n
expect json mockint history export 3 --format j
expect either mockint interview --role e
got=$(complete_words mockint room create --role e)
if [[ $got == *either* ]]; then
	echo "FAIL: room create offers --role either"
	fail=1
fi

if command -v zsh >/dev/null 2>&1; then
	zsh -n "$src/client/completion/_mockint" || { echo "FAIL: zsh -n"; fail=1; }
else
	echo "zsh is not installed: its script is only installed, not parsed"
fi

dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT
if ! DESTDIR=$dest cmake --install "$build" >/dev/null; then
	echo "FAIL: cmake --install"
	fail=1
fi
for f in share/bash-completion/completions/mockint \
    share/zsh/site-functions/_mockint; do
	if [[ -z $(find "$dest" -path "*/$f" -type f) ]]; then
		echo "FAIL: not installed: $f"
		fail=1
	fi
done
exit $fail
