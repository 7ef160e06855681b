#!/usr/bin/env bash
# Capture benchmark (npm run bench:capture): prints numbers and ratios, it is not a timed test.
# Sets up a throw-away real WordPress + WooCommerce + MariaDB site (test/php/lib/site.sh), then
# runs bench/capture/bench.php. Env: BENCH_SAVES (default 1000), BENCH_ROUNDS (default 1),
# BENCH_SKUS (default "10000 100000"; 0 leaves the resync part out), BENCH_CLAIM (default 10000;
# 0 leaves the claim out), WP_CORE_DIR / WC_DIR as for the PHP tests.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../../test/php/lib/site.sh
source "$HERE/../../test/php/lib/site.sh"
rc=0; kcs_site_up --no-http || rc=$?
[[ $rc = 0 ]] || exit $rc
php -d memory_limit=512M "$HERE/bench.php"
