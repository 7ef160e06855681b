#!/usr/bin/env bash
# Runs PHP inside a shop started by shop-up.sh, with WordPress and the plugins loaded, as admin.
#   test/shop/shop-eval.sh SITE_DIR -r 'echo WC()->version;'
#   test/shop/shop-eval.sh SITE_DIR script.php [ARG...]      (the script sees them in $args)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SITE=${1:?usage: shop-eval.sh SITE_DIR -r CODE | FILE [ARG...]}
shift
[[ -f "$SITE/site.env" ]] || { echo "shop-eval: $SITE has no site.env" >&2; exit 1; }
# shellcheck disable=SC1091
source "$SITE/site.env"
KCS_SITE_DOCROOT=$DOCROOT KCS_SITE_URL=$SITE_URL exec php -d memory_limit=512M -d display_errors=stderr "$HERE/lib/eval.php" "$@"
