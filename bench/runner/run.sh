#!/usr/bin/env bash
# Benchmark of the runner inside WordPress (npm run bench:runner): prints numbers, it is not a
# timed test. Sets up a throw-away real WordPress + WooCommerce + MariaDB site
# (test/php/lib/site.sh), starts the keyCRM emulator as an HTTP server on
# KCS_TEST_EMULATOR_PORT (default KCS_TEST_PORT + 1000) and runs bench/runner/bench.php.
# Env: BENCH_RUNNER_SKUS (default "1000 10000"), KCS_TEST_PORT, WP_CORE_DIR / WC_DIR.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../../test/php/lib/site.sh
source "$HERE/../../test/php/lib/site.sh"
rc=0; kcs_site_up --no-http || rc=$?
[[ $rc = 2 ]] && exit 0
[[ $rc = 0 ]] || exit $rc
node --import tsx "$HERE/../../src/cli.ts" emulator --port "$KCS_TEST_EMULATOR_PORT" --api-key bench-key \
  --warehouse 1 >"$TMP/emulator.log" 2>&1 &
EMU_PID=$!
trap 'kill "$EMU_PID" 2>/dev/null || true; kcs_cleanup' EXIT
for _ in $(seq 1 300); do (exec 3<>"/dev/tcp/127.0.0.1/$KCS_TEST_EMULATOR_PORT") 2>/dev/null && break; sleep 0.2; done
php -d memory_limit=512M "$HERE/bench.php"
