#!/bin/sh
# npm-ci.sh — install tests/web's npm packages (puppeteer-core, axe-core,
# ws) exactly as package-lock.json pins them, when node_modules is absent
# or older than the lock file; otherwise do nothing, so that a rerun of
# the tests costs no time. ctest runs it before the first web test.
set -eu
cd "$(dirname "$0")"
stamp=node_modules/.package-lock.json
if [ -f "$stamp" ] && [ ! package-lock.json -nt "$stamp" ]; then
	exit 0
fi
exec npm ci --no-audit --no-fund
