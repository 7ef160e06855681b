#!/usr/bin/env bash
# Shared by test/php/run.sh and bench/capture/run.sh: a throw-away test site, built the one way
# the project builds sites (test/shop/lib/site.sh).
#   source test/php/lib/site.sh; kcs_site_up [--no-http]
# Creates a temp dir with a private mariadbd (unix socket, no TCP), a copy of WordPress
# (WP_CORE_DIR) with WooCommerce (WC_DIR) and this plugin linked in, installs and activates
# everything and, unless --no-http, serves it with php -S on 127.0.0.1:$KCS_TEST_PORT (default 8101).
# Exports KCS_TEST_URL KCS_TEST_DOCROOT KCS_TEST_DB_SOCKET KCS_TEST_TMP; an EXIT trap stops
# the servers it started and deletes the temp dir (KCS_KEEP=1 keeps it).
# WP_CORE_DIR / WC_DIR unset: scripts/wp-env.sh finds them (cache or download).
# When WordPress or WooCommerce cannot be had it returns 77 with a SKIPPED line, or, under CI=true,
# 1 with the reason: CI never passes with the plugin untested.

# shellcheck source=../../shop/lib/site.sh
source "$(dirname "${BASH_SOURCE[0]}")/../../shop/lib/site.sh"
ROOT=$KCS_ROOT

kcs_site_up() {
  local http=1 missing dirs
  [[ "${1:-}" = --no-http ]] && http=0
  PORT=${KCS_TEST_PORT:-8101}
  if [[ -z "${WP_CORE_DIR:-}" || -z "${WC_DIR:-}" ]]; then
    dirs=$(bash "$ROOT/scripts/wp-env.sh" --export) && eval "$dirs"
  fi
  missing=$(kcs_wordpress_missing)
  [[ -n "$missing" ]] || missing=$(kcs_programs_missing)
  [[ -n "$missing" ]] || command -v phpunit >/dev/null || missing="not installed: phpunit (Debian: apt-get install phpunit)"
  if [[ -n "$missing" ]]; then
    if kcs_ci; then
      echo "FAILED: the PHP tests cannot run under CI: $missing" >&2
      return 1
    fi
    echo "######## SKIPPED PHP tests: $missing (under CI=true this fails)" >&2
    [[ -n "${KCS_SKIP_LOG:-}" ]] && echo "PHP tests: $missing" >>"$KCS_SKIP_LOG"
    return 77
  fi

  TMP=$(mktemp -d /tmp/kcs-phptest-XXXXXX)
  kcs_cleanup() {
    kcs_site_stop "$TMP"
    if [[ "${KCS_KEEP:-0}" = 1 ]]; then echo "kept $TMP"; else rm -rf "$TMP"; fi
  }
  trap kcs_cleanup EXIT
  # The servers run in their own sessions: stopped by the EXIT trap on Ctrl-C or kill as well.
  trap 'exit 130' INT
  trap 'exit 143' TERM

  # No cron, plain permalinks and no storefront pages: the tests' ids and URLs stay as the
  # committed fixtures have them.
  # The test clock (test-clock.php) lets tests move the plugin's time instead of sleeping.
  # The keyCRM emulator of the runner tests listens on KCS_TEST_EMULATOR_PORT (default: PORT + 1000);
  # the site's KEYCRM_SYNC_API_URL points at it.
  export KCS_TEST_EMULATOR_PORT=${KCS_TEST_EMULATOR_PORT:-$((PORT + 1000))}
  export KCS_TEST_KEYCRM_URL="http://127.0.0.1:$KCS_TEST_EMULATOR_PORT/v1"
  KCS_SITE_KEYCRM_URL=$KCS_TEST_KEYCRM_URL \
  KCS_SITE_CRON=off KCS_SITE_PERMALINKS='' KCS_SITE_WC_PAGES=no KCS_SITE_HTTP=$http KCS_SITE_TITLE='keyCRM Sync Tests' \
    KCS_SITE_MU="$ROOT/test/php/lib/test-clock.php" \
    kcs_site_create "$TMP" 127.0.0.1 "$PORT" "$ROOT/plugin" || return 1
  export KCS_TEST_URL="http://127.0.0.1:$PORT" KCS_TEST_DOCROOT="$TMP/www" KCS_TEST_DB_SOCKET="$KCS_DB_SOCKET" KCS_TEST_TMP="$TMP"
}
