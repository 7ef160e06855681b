#!/usr/bin/env bash
# Full test run on a fresh Debian 12 / Ubuntu machine with Node 20:
# installs what the tests need (Debian packages, npm ci), then runs the
# TypeScript checks, jest, the build, the PHP tests on a real WordPress +
# WooCommerce + MariaDB, and the browser tests. Non-zero on any failure.
#
# WordPress and WooCommerce are not part of this repository: the tests that
# need them read WP_CORE_DIR / WC_DIR (default ~/.cache/wp-test-env/…) and skip
# with a line saying so when they are absent.
set -uo pipefail
cd "$(dirname "$0")/.."

export WP_CORE_DIR="${WP_CORE_DIR:-$HOME/.cache/wp-test-env/wordpress}"
export WC_DIR="${WC_DIR:-$HOME/.cache/wp-test-env/woocommerce}"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

APT_PACKAGES=(php-cli php-mysql php-xml php-mbstring php-curl php-intl php-gd php-zip php-bcmath
	phpunit mariadb-server chromium composer zip unzip)

log() { printf '\n==> %s\n' "$*"; }

install_system_packages() {
	local missing=()
	for p in "${APT_PACKAGES[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && { log "Debian packages: all present"; return 0; }
	log "installing Debian packages: ${missing[*]}"
	local SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
	timeout 600 $SUDO apt-get update -qq &&
		DEBIAN_FRONTEND=noninteractive timeout 1200 $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

install_node_packages() {
	log "npm ci"
	timeout 1200 npm ci --no-audit --no-fund --loglevel=error
}

passed=0; failed=0; failed_names=()
stage() {
	local name=$1; shift
	log "$name: $*"
	local start=$SECONDS
	if "$@"; then
		passed=$((passed + 1)); echo "--- $name ok ($((SECONDS - start)) s)"
	else
		failed=$((failed + 1)); failed_names+=("$name"); echo "--- $name FAILED ($((SECONDS - start)) s)"
	fi
}

install_system_packages || { echo "could not install Debian packages"; exit 1; }
install_node_packages || { echo "npm ci failed"; exit 1; }

stage typecheck npm run --silent typecheck
stage lint npm run --silent lint
stage build npm run --silent build
stage jest npm run --silent test:js
stage php npm run --silent test:php
if npm run 2>/dev/null | grep -q '^  test:e2e$'; then
	stage e2e npm run --silent test:e2e
fi

log "summary"
[ $failed -gt 0 ] && echo "failed stages: ${failed_names[*]}"
echo "stages: $passed passed, $failed failed"
[ $failed -eq 0 ]
