#!/bin/sh
# install-deps.sh — install the Debian 12 packages mockint needs to build,
# run and test. Idempotent: does nothing when every package is present.
# Run as root (or through sudo); as another user it lists what is missing and
# fails, so that a build never starts on a half-provisioned machine.
# cracklib-runtime builds the dictionary libpwquality checks passwords
# against (/var/cache/cracklib); mockintd does not start without it.
# chromium, nodejs and npm run the browser client's tests (tests/web/),
# fonts-liberation draws their screenshots' text.
set -eu

PKGS="build-essential cmake pkg-config clang libclang-rt-14-dev
libuv1-dev libwebsockets-dev libwebsockets-evlib-uv libsqlite3-dev
libsodium-dev libjansson-dev libncurses-dev libcmocka-dev
libpwquality-dev cracklib-runtime
sqlite3 tmux openssl valgrind gzip
chromium fonts-liberation"

# Any node with npm will do (node 18 or later): NodeSource's nodejs
# package bundles npm and conflicts with Debian's, so ask for the Debian
# packages only when the commands are missing.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1
then
	PKGS="$PKGS nodejs npm"
fi

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done

[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
	echo "install-deps: missing packages:$missing" >&2
	echo "install-deps: run 'sudo deploy/install-deps.sh' once, then try again" >&2
	exit 1
fi

echo "install-deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing
