#!/usr/bin/env bash
# Starts a fresh WordPress + WooCommerce shop on loopback (private MariaDB, php -S), for the
# jest and Playwright tests and for trying things by hand. It keeps running until shop-down.sh.
#
#   test/shop/shop-up.sh [--plugin DIR]... [--mu FILE]... [--site DIR] [--port N] [--force]
#   test/shop/shop-up.sh --restart --site DIR     start a stopped shop again (data kept)
#
#   --plugin DIR   a plugin folder to link in and activate after WooCommerce (e.g. "$PWD/plugin")
#   --mu FILE      an extra must-use plugin file
#   --site DIR     the shop's folder (default /tmp/kcs-shop-PORT); --force replaces an existing one
#   --port N       its port on 127.0.0.1 (default 8180)
# WordPress and WooCommerce: WP_CORE_DIR and WC_DIR, or what scripts/wp-env.sh finds; they are
# only read. Writes SITE_DIR/site.env (shell: SITE_URL ADMIN_USER ADMIN_PASS APP_PASS SITE_DIR
# DOCROOT DB_SOCKET WP_VERSION WC_VERSION) and prints it. Exit 1 with the reason on failure.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib/site.sh
source "$HERE/lib/site.sh"

die() { echo "shop-up: $*" >&2; exit 1; }
PORT=8180 SITE="" FORCE=0 RESTART=0 PLUGINS=() MUS=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --plugin) PLUGINS+=("${2:?--plugin needs a folder}"); shift 2 ;;
    --mu) MUS+=("$(realpath "${2:?--mu needs a file}")"); shift 2 ;;
    --site) SITE=${2:?--site needs a folder}; shift 2 ;;
    --port) PORT=${2:?--port needs a number}; shift 2 ;;
    --force) FORCE=1; shift ;;
    --restart) RESTART=1; shift ;;
    -h | --help) sed -n '2,15p' "$0"; exit 0 ;;
    *) die "unknown argument $1 (see --help)" ;;
  esac
done
[[ "$PORT" =~ ^[0-9]+$ ]] || die "--port must be a number"
SITE=${SITE:-/tmp/kcs-shop-$PORT}

if [[ $RESTART = 1 ]]; then
  [[ -f "$SITE/site.env" ]] || die "$SITE has no site.env: not a shop made by shop-up.sh"
  # shellcheck disable=SC1091
  source "$SITE/site.env"
  [[ -f "$SITE_DIR/run/php.pid" ]] && kill -0 "$(cat "$SITE_DIR/run/php.pid")" 2>/dev/null && die "$SITE_DIR is running"
  kcs_db_start "$SITE_DIR" || exit 1
  echo "$KCS_DB_SOCKET" >"$SITE_DIR/run/socket"
  kcs_php_start "$SITE_DIR" "$HOST" "$PORT" || exit 1
  kcs_log "running again: $SITE_URL/"
  exit 0
fi

if [[ -z "${WP_CORE_DIR:-}" || -z "${WC_DIR:-}" ]]; then
  dirs=$(bash "$KCS_ROOT/scripts/wp-env.sh" --export) || die "no WordPress / WooCommerce (see above)"
  eval "$dirs"
fi
if [[ -e "$SITE" ]]; then
  [[ $FORCE = 1 ]] || die "$SITE exists (--force replaces it, shop-down.sh --purge $SITE removes it)"
  bash "$HERE/shop-down.sh" --purge "$SITE" >/dev/null 2>&1 || true
  rm -rf "$SITE"
fi
kcs_port_open 127.0.0.1 "$PORT" && die "port 127.0.0.1:$PORT is in use"

started=$SECONDS
MU_LIST=$(IFS=:; echo "${MUS[*]}")
KCS_SITE_MU=$MU_LIST kcs_site_create "$SITE" 127.0.0.1 "$PORT" "${PLUGINS[@]}" || {
  bash "$HERE/shop-down.sh" "$SITE" >/dev/null 2>&1 || true
  die "the shop did not come up (logs in $SITE/logs)"
}
SITE=$(realpath "$SITE")
APP_PASS=$(KCS_SITE_DOCROOT="$SITE/www" KCS_SITE_URL="http://127.0.0.1:$PORT" kcs_setup app-password) || die "no application password"
{
  printf 'SITE_URL=%q\nHOST=%q\nPORT=%q\n' "http://127.0.0.1:$PORT" 127.0.0.1 "$PORT"
  printf 'ADMIN_USER=%q\nADMIN_PASS=%q\nAPP_PASS=%q\n' admin password "$APP_PASS"
  printf 'SITE_DIR=%q\nDOCROOT=%q\nDB_SOCKET=%q\n' "$SITE" "$SITE/www" "$(cat "$SITE/run/socket")"
  printf 'WP_VERSION=%q\nWC_VERSION=%q\n' "$(kcs_wp_version "$SITE/www")" "$(kcs_wc_version "$SITE/www/wp-content/plugins/woocommerce")"
} >"$SITE/site.env"
kcs_log "ready in $((SECONDS - started)) s: http://127.0.0.1:$PORT/wp-admin/ (admin / password); stop: test/shop/shop-down.sh [--purge] $SITE"
cat "$SITE/site.env"
