#!/usr/bin/env bash
# PHP tests of the plugin on a real WordPress + WooCommerce + MariaDB.
#
# Sets up everything in a temporary directory and removes it afterwards (test/php/lib/site.sh,
# with the project's site library test/shop/lib/site.sh):
#   - a private mariadbd on a unix socket (no TCP),
#   - a copy of WordPress from WP_CORE_DIR with WooCommerce (WC_DIR) and this plugin linked in,
#   - WordPress installed, WooCommerce + keyCRM Sync activated,
#   - php -S on 127.0.0.1:$KCS_TEST_PORT for the tests that go through real HTTP
#     (application passwords, cookies, nonces),
# then runs Debian's phpunit with test/php/phpunit.xml. Extra arguments go to phpunit
# (e.g. --filter ClaimTest, --group http).
#
# Env: WP_CORE_DIR, WC_DIR (unset: scripts/wp-env.sh finds them), KCS_TEST_PORT (default 8101),
#      KCS_TEST_EMULATOR_PORT (keyCRM emulator of the runner tests, default KCS_TEST_PORT + 1000),
#      KCS_KEEP=1 keeps the temp dir for debugging.
# Exit 77 (with a SKIPPED line) when WordPress or WooCommerce is not to be had; under CI=true that
# is a failure (exit 1) instead.
set -euo pipefail

# shellcheck source=lib/site.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/site.sh"
rc=0; kcs_site_up || rc=$?
[[ $rc = 0 ]] || exit $rc

cd "$ROOT"
status=0
phpunit -c test/php/phpunit.xml "$@" || status=$?
if [[ $status -ne 0 && -s "$TMP/logs/debug.log" ]]; then echo "--- debug.log (tail)"; tail -n 30 "$TMP/logs/debug.log"; fi
exit $status
