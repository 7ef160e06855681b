#!/usr/bin/env bash
# Stops a shop started by shop-up.sh (its php -S and its MariaDB, by their recorded pids).
#   test/shop/shop-down.sh [--purge] SITE_DIR     --purge also deletes SITE_DIR
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib/site.sh
source "$HERE/lib/site.sh"
PURGE=0 SITE=""
for a in "$@"; do
  case "$a" in
    --purge) PURGE=1 ;;
    -h | --help) sed -n '2,3p' "$0"; exit 0 ;;
    *) SITE=$a ;;
  esac
done
[[ -n "$SITE" && -d "$SITE/run" ]] || { echo "shop-down: ${SITE:-(none)} is not a shop folder" >&2; exit 1; }
kcs_site_stop "$SITE"
if [[ $PURGE = 1 ]]; then rm -rf "$SITE"; fi
