#!/usr/bin/env bash
# Shared by test/php/run.sh and bench/capture/run.sh: sets up a throw-away test site.
#   source test/php/lib/site.sh; kcs_site_up [--no-http]
# Creates a temp dir with a private mariadbd (unix socket, no TCP), a copy of WordPress
# (WP_CORE_DIR) with WooCommerce (WC_DIR) and this plugin linked in, installs everything
# (test/php/bin/install.php) and, unless --no-http, serves it with php -S on 127.0.0.1:$PORT.
# Exports KCS_TEST_URL KCS_TEST_DOCROOT KCS_TEST_DB_SOCKET KCS_TEST_TMP; an EXIT trap stops
# the servers it started and deletes the temp dir (KCS_KEEP=1 keeps it).
# Returns 2 (and prints SKIPPED) when WordPress or WooCommerce is not available.

kcs_site_up() {
  local http=1
  [[ "${1:-}" = --no-http ]] && http=0
  ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
  WP_CORE_DIR=${WP_CORE_DIR:-$HOME/.cache/wp-test-env/wordpress}
  WC_DIR=${WC_DIR:-$HOME/.cache/wp-test-env/woocommerce}
  PORT=${KCS_TEST_PORT:-8101}
  if [[ ! -f "$WP_CORE_DIR/wp-settings.php" || ! -f "$WC_DIR/woocommerce.php" ]]; then
    echo "SKIPPED: PHP tests need WordPress (WP_CORE_DIR=$WP_CORE_DIR) and built WooCommerce (WC_DIR=$WC_DIR); not found."
    return 2
  fi
  for bin in php phpunit mariadbd mariadb-install-db mariadb; do
    command -v "$bin" >/dev/null || [[ -x /usr/sbin/$bin ]] || { echo "missing $bin (apt-get install php-cli php-mysql phpunit mariadb-server)" >&2; return 1; }
  done
  MARIADBD=$(command -v mariadbd || echo /usr/sbin/mariadbd)

  TMP=$(mktemp -d /tmp/kcs-phptest-XXXXXX)
  SOCK="$TMP/mysqld.sock"
  DB_PID=""; PHP_PID=""
  kcs_cleanup() {
    [[ -n "$PHP_PID" ]] && { kill -- "-$PHP_PID" 2>/dev/null || kill "$PHP_PID" 2>/dev/null || true; }
    if [[ -n "$DB_PID" ]]; then
      kill "$DB_PID" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$DB_PID" 2>/dev/null || break; sleep 0.1; done
    fi
    if [[ "${KCS_KEEP:-0}" = 1 ]]; then echo "kept $TMP"; else rm -rf "$TMP"; fi
  }
  trap kcs_cleanup EXIT

  USEROPT=(); [[ $(id -u) = 0 ]] && USEROPT=(--user=root)
  MYOPTS=(--innodb-buffer-pool-size=256M --innodb-log-file-size=64M --innodb-flush-log-at-trx-commit=2
          --innodb-doublewrite=0 --skip-log-bin --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci)
  mariadb-install-db --no-defaults "${USEROPT[@]}" --datadir="$TMP/db" "${MYOPTS[@]}" \
    --auth-root-authentication-method=normal --skip-test-db >"$TMP/mariadb-install.log" 2>&1 \
    || { cat "$TMP/mariadb-install.log"; return 1; }
  "$MARIADBD" --no-defaults "${USEROPT[@]}" --datadir="$TMP/db" --socket="$SOCK" --pid-file="$TMP/mariadbd.pid" --tmpdir="$TMP" \
    --skip-networking --log-error="$TMP/mariadb.log" "${MYOPTS[@]}" </dev/null >/dev/null 2>&1 &
  DB_PID=$!
  for _ in $(seq 1 120); do mariadb --no-defaults -S "$SOCK" -u root -e 'select 1' >/dev/null 2>&1 && break; sleep 0.25; done
  mariadb --no-defaults -S "$SOCK" -u root -e "CREATE DATABASE wp_tests DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
    CREATE USER 'wp'@'localhost' IDENTIFIED BY 'wp'; GRANT ALL PRIVILEGES ON wp_tests.* TO 'wp'@'localhost';" \
    || { cat "$TMP/mariadb.log"; return 1; }

  DOCROOT="$TMP/www"
  cp -a "$WP_CORE_DIR/." "$DOCROOT/"
  rm -f "$DOCROOT/wp-config.php"
  mkdir -p "$DOCROOT/wp-content/plugins" "$DOCROOT/wp-content/uploads"
  ln -s "$WC_DIR" "$DOCROOT/wp-content/plugins/woocommerce"
  ln -s "$ROOT/plugin" "$DOCROOT/wp-content/plugins/keycrm-sync"

  # The keyCRM emulator of the runner tests listens on KCS_TEST_EMULATOR_PORT (default: PORT + 1000).
  export KCS_TEST_EMULATOR_PORT=${KCS_TEST_EMULATOR_PORT:-$((PORT + 1000))}
  export KCS_TEST_KEYCRM_URL="http://127.0.0.1:$KCS_TEST_EMULATOR_PORT/v1"
  export KCS_TEST_URL="http://127.0.0.1:$PORT" KCS_TEST_DOCROOT="$DOCROOT" KCS_TEST_DB_SOCKET="$SOCK" KCS_TEST_TMP="$TMP"
  php "$ROOT/test/php/bin/write-config.php" >"$DOCROOT/wp-config.php" || return 1
  php -d memory_limit=512M "$ROOT/test/php/bin/install.php" || return 1

  [[ $http = 1 ]] || return 0
  (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && { echo "port $PORT is in use (set KCS_TEST_PORT)" >&2; return 1; }
  PHP_CLI_SERVER_WORKERS=4 setsid php -d memory_limit=512M -d display_errors=0 -d log_errors=1 -d error_log="$TMP/php-server.log" \
    -S "127.0.0.1:$PORT" -t "$DOCROOT" </dev/null >>"$TMP/php-server.log" 2>&1 &
  PHP_PID=$!
  for _ in $(seq 1 80); do (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 0.1; done

}
