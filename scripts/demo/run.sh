#!/usr/bin/env bash
# The demo (`npm start`): does its own set-up, then starts the shop, the keyCRM emulator and the
# sender (scripts/demo/main.ts). Set-up on a fresh clone: `npm ci` when node_modules is missing
# or older than package-lock.json, `npm run build` when dist/ or plugin/build/ is missing or
# older than its sources. Arguments are passed to the demo (`npm start -- --help`).
set -euo pipefail
cd "$(dirname "$0")/../.."

say() { printf '[demo] %s\n' "$*"; }

node_ok() {
	command -v node >/dev/null || return 1
	node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit((a===20&&b>=19)||(a===22&&b>=12)||a>22?0:1)'
}
if ! node_ok; then
	say "Node.js 20.19+ (or 22.12+) is needed; found: $(node --version 2>/dev/null || echo none)"
	exit 1
fi

# newer_than TARGET DIR...: true when TARGET is missing or some file under DIR is newer.
stale() {
	local target=$1; shift
	[ -e "$target" ] || return 0
	[ -n "$(find "$@" -newer "$target" -type f -print -quit 2>/dev/null)" ]
}

if [ ! -d node_modules/@wp-playground/cli ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
	say "installing npm packages (npm ci, about a minute)…"
	npm ci --no-audit --no-fund
fi
if stale dist/cli.js src; then
	say "building the sender (npm run build:sender)…"
	npm run --silent build:sender
fi
if [ -d admin-ui ] && stale plugin/build/admin.asset.php admin-ui; then
	say "building the admin UI (npm run build:admin)…"
	npm run --silent build:admin
fi

exec node --import tsx scripts/demo/main.ts "$@"
