#!/usr/bin/env bash
# The one way this project builds a WordPress + WooCommerce + MariaDB site on loopback.
# Sourced by test/shop/shop-up.sh (a shop that keeps running for jest, Playwright and manual
# checks) and test/php/lib/site.sh (the PHP suite's throw-away site). Nothing here downloads
# anything; WordPress and WooCommerce come from WP_CORE_DIR / WC_DIR (scripts/wp-env.sh finds them).
#
# Layout of a site folder SITE_DIR:
#   www/    the docroot: a COPY of WP_CORE_DIR, wp-config.php, wp-content/ (uploads, mu-plugins);
#           WooCommerce and the project's plugins are symlinked into wp-content/plugins
#   db/     MariaDB's data directory (a private mariadbd on a unix socket, no TCP)
#   run/    pid files and the socket        logs/   debug.log, php-server.log, mariadb.log, mail.log
#   site.env  (shop-up.sh only) shell-sourceable URL, logins, paths
#
# WP_CORE_DIR and WC_DIR are read-only to this library: core is copied (symlinks resolved, so
# nothing in the copy points back into the source), WooCommerce is linked and never written to,
# wp-config.php is written into the copy only.

KCS_SHOP_LIB="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
KCS_ROOT="$(cd "$KCS_SHOP_LIB/../../.." && pwd)"

kcs_log() { printf '[shop %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
kcs_port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }
kcs_ci() { [[ -n "${CI:-}" && "${CI:-}" != false && "${CI:-}" != 0 ]]; }

# Why WordPress / WooCommerce at WP_CORE_DIR / WC_DIR cannot be used (empty when they can).
kcs_wordpress_missing() {
  local core=${WP_CORE_DIR:-} wc=${WC_DIR:-}
  if [[ -z "$core" || ! -f "$core/wp-settings.php" ]]; then
    echo "no WordPress core at WP_CORE_DIR=${core:-(unset)} (a folder with wp-settings.php; scripts/wp-env.sh provides one)"
  elif [[ -z "$wc" || ! -f "$wc/woocommerce.php" ]]; then
    echo "no WooCommerce at WC_DIR=${wc:-(unset)} (a folder with woocommerce.php; scripts/wp-env.sh provides one)"
  elif [[ ! -f "$wc/vendor/autoload_packages.php" ]]; then
    echo "WC_DIR=$wc is not a built WooCommerce (no vendor/autoload_packages.php): use the release zip, unzipped"
  fi
}

# Programs a site needs that are not installed (empty when all are there).
kcs_programs_missing() {
  local p out=()
  for p in php mariadbd mariadb-install-db mariadb setsid; do
    command -v "$p" >/dev/null || [[ -x /usr/sbin/$p ]] || out+=("$p")
  done
  [[ ${#out[@]} -eq 0 ]] || echo "not installed: ${out[*]} (Debian: apt-get install php-cli php-mysql php-xml php-mbstring php-curl php-intl php-gd php-zip mariadb-server)"
}

# kcs_stop_pidfile FILE [SECONDS]: TERM the process (its process group when it leads one), wait, KILL.
kcs_stop_pidfile() {
  local file=$1 wait=${2:-15} pid
  [[ -f "$file" ]] || return 0
  pid=$(cat "$file")
  if [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    local i
    for ((i = 0; i < wait * 10; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && { kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true; }
  fi
  rm -f "$file"
}

KCS_DB_OPTS=(--innodb-buffer-pool-size=256M --innodb-log-file-size=64M --innodb-flush-log-at-trx-commit=2
  --innodb-doublewrite=0 --skip-log-bin --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci)
kcs_db_user_opt() { [[ $(id -u) = 0 ]] && echo --user=root; }

# kcs_db_start SITE_DIR: starts the site's mariadbd (initialises db/ the first time); sets KCS_DB_SOCKET.
kcs_db_start() {
  local site=$1 mariadbd
  mariadbd=$(command -v mariadbd || echo /usr/sbin/mariadbd)
  KCS_DB_SOCKET="$site/run/mysqld.sock"
  # Unix socket paths are limited to about 107 bytes.
  (( ${#KCS_DB_SOCKET} > 100 )) && KCS_DB_SOCKET="/tmp/kcs-mysqld-$(printf '%s' "$site" | cksum | cut -d' ' -f1).sock"
  if [[ ! -d "$site/db/mysql" ]]; then
    # shellcheck disable=SC2046
    mariadb-install-db --no-defaults $(kcs_db_user_opt) --datadir="$site/db" "${KCS_DB_OPTS[@]}" \
      --auth-root-authentication-method=normal --skip-test-db >"$site/logs/mariadb-install.log" 2>&1 \
      || { kcs_log "mariadb-install-db failed, see $site/logs/mariadb-install.log"; return 1; }
  fi
  # shellcheck disable=SC2046
  setsid "$mariadbd" --no-defaults $(kcs_db_user_opt) --datadir="$site/db" --socket="$KCS_DB_SOCKET" \
    --pid-file="$site/run/mariadbd.pid" --tmpdir="$site/run" --skip-networking \
    --log-error="$site/logs/mariadb.log" "${KCS_DB_OPTS[@]}" </dev/null >/dev/null 2>&1 &
  local i
  for ((i = 0; i < 240; i++)); do
    mariadb --no-defaults -S "$KCS_DB_SOCKET" -u root -e 'select 1' >/dev/null 2>&1 && return 0
    sleep 0.25
  done
  kcs_log "MariaDB did not start, see $site/logs/mariadb.log"
  return 1
}

# kcs_db_create DB_NAME: the database and its user (wp / wp) on KCS_DB_SOCKET.
kcs_db_create() {
  mariadb --no-defaults -S "$KCS_DB_SOCKET" -u root -e "CREATE DATABASE $1 DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
    CREATE USER 'wp'@'localhost' IDENTIFIED BY 'wp'; GRANT ALL PRIVILEGES ON $1.* TO 'wp'@'localhost';"
}

# kcs_docroot_build SITE_DIR: www/ = a copy of WP_CORE_DIR with WooCommerce linked in.
kcs_docroot_build() {
  local site=$1 core wc
  core=$(realpath "$WP_CORE_DIR") && wc=$(realpath "$WC_DIR") || return 1
  mkdir -p "$site/www"
  # -L: a symlink inside core is copied as the file it points to, never as a link back into it.
  cp -aL "$core/." "$site/www/" || return 1
  rm -f "$site/www/wp-config.php"
  mkdir -p "$site/www/wp-content/plugins" "$site/www/wp-content/mu-plugins" "$site/www/wp-content/uploads"
  rm -rf "$site/www/wp-content/plugins/woocommerce"
  ln -s "$wc" "$site/www/wp-content/plugins/woocommerce"
  cp "$KCS_SHOP_LIB/mu-plugins/kcs-test-site.php" "$site/www/wp-content/mu-plugins/"
}

# kcs_link_plugin SITE_DIR DIR: links a plugin folder into wp-content/plugins and prints its slug:
# the name of its main file (the top-level .php with a "Plugin Name:" header), so plugin/ becomes
# wp-content/plugins/keycrm-sync as on a real shop; the folder's name when there is none.
kcs_link_plugin() {
  local dir main slug
  dir=$(realpath "$2") && [[ -d "$dir" ]] || return 1
  main=$(grep -l -E '^[[:space:]/*#@]*Plugin Name:' "$dir"/*.php 2>/dev/null | head -n 1)
  slug=$(basename "${main:-$dir}" .php)
  rm -rf "$1/www/wp-content/plugins/$slug"
  ln -s "$dir" "$1/www/wp-content/plugins/$slug" && echo "$slug"
}

# kcs_php_start SITE_DIR HOST PORT: php -S with the router, in its own session (pid = process group).
kcs_php_start() {
  local site=$1 host=$2 port=$3 i
  kcs_port_open "$host" "$port" && { kcs_log "port $host:$port is in use (choose another port)"; return 1; }
  PHP_CLI_SERVER_WORKERS=${KCS_PHP_WORKERS:-4} setsid bash -c 'echo $$ >"$1"; shift; exec "$@"' _ "$site/run/php.pid" \
    php -d memory_limit=512M -d max_execution_time=300 -d display_errors=0 -d log_errors=1 \
    -d error_log="$site/logs/php-errors.log" -d post_max_size=64M -d upload_max_filesize=64M \
    -S "$host:$port" -t "$site/www" "$KCS_SHOP_LIB/router.php" </dev/null >>"$site/logs/php-server.log" 2>&1 &
  for ((i = 0; i < 100; i++)); do kcs_port_open "$host" "$port" && return 0; sleep 0.1; done
  kcs_log "php -S did not start on $host:$port, see $site/logs/php-server.log"
  return 1
}

# kcs_site_stop SITE_DIR: stops php -S and mariadbd of a site (by the pids it recorded).
kcs_site_stop() {
  kcs_stop_pidfile "$1/run/php.pid" 10
  kcs_stop_pidfile "$1/run/mariadbd.pid" 30
  [[ -f "$1/run/socket" ]] && { rm -f "$(cat "$1/run/socket")"; rm -f "$1/run/socket"; }
  return 0
}

# kcs_setup STEP [ARG...]: one step of test/shop/lib/setup.php in its own PHP process.
kcs_setup() {
  php -d memory_limit=512M -d display_errors=stderr "$KCS_SHOP_LIB/setup.php" "$@"
}

# kcs_site_create SITE_DIR HOST PORT [PLUGIN_DIR...]
#   env: KCS_SITE_CRON=on|off (default on), KCS_SITE_PERMALINKS (default /%postname%/),
#        KCS_SITE_WC_PAGES=no (no shop/cart/checkout pages),
#        KCS_SITE_TITLE, KCS_SITE_MU (colon-separated extra mu-plugin files), KCS_SITE_HTTP=0 (no php -S)
# A fresh site: database, docroot, wp-config.php, WordPress installed, WooCommerce and the plugins
# activated, WooCommerce configured as an offline test shop. SITE_DIR must not exist or be empty.
kcs_site_create() {
  local site=$1 host=$2 port=$3
  shift 3
  local missing
  missing=$(kcs_wordpress_missing)
  [[ -z "$missing" ]] || { kcs_log "$missing"; return 1; }
  missing=$(kcs_programs_missing)
  [[ -z "$missing" ]] || { kcs_log "$missing"; return 1; }
  mkdir -p "$site/run" "$site/logs" || return 1
  site=$(realpath "$site")
  KCS_SITE_DIR=$site
  KCS_SITE_URL="http://$host:$port"

  kcs_log "WordPress $(kcs_wp_version "$WP_CORE_DIR") from $WP_CORE_DIR, WooCommerce $(kcs_wc_version "$WC_DIR") from $WC_DIR"
  kcs_docroot_build "$site" || { kcs_log "could not copy WordPress into $site/www"; return 1; }
  local p slug slugs=(woocommerce) m
  for p in "$@"; do
    slug=$(kcs_link_plugin "$site" "$p") || { kcs_log "no plugin folder $p"; return 1; }
    slugs+=("$slug")
  done
  if [[ -n "${KCS_SITE_MU:-}" ]]; then
    local mus
    IFS=: read -r -a mus <<<"$KCS_SITE_MU"
    for m in "${mus[@]}"; do ln -s "$(realpath "$m")" "$site/www/wp-content/mu-plugins/$(basename "$m")" || return 1; done
  fi

  kcs_db_start "$site" || return 1
  echo "$KCS_DB_SOCKET" >"$site/run/socket"
  kcs_db_create wordpress || { kcs_log "could not create the database, see $site/logs/mariadb.log"; return 1; }

  KCS_SITE_URL=$KCS_SITE_URL KCS_SITE_DIR=$site KCS_DB_SOCKET=$KCS_DB_SOCKET KCS_SITE_CRON=${KCS_SITE_CRON:-on} \
    php "$KCS_SHOP_LIB/wp-config.php" >"$site/www/wp-config.php" || return 1

  export KCS_SITE_DOCROOT="$site/www" KCS_SITE_URL
  kcs_setup install "${KCS_SITE_TITLE:-keyCRM Sync test shop}" || return 1
  kcs_setup activate "${slugs[@]}" || return 1
  KCS_SITE_PERMALINKS=${KCS_SITE_PERMALINKS-/%postname%/} kcs_setup configure || return 1
  # Notices written while installing (e.g. WooCommerce's early textdomain notice) are kept apart,
  # so logs/debug.log holds only what happens once the site is up.
  [[ -f "$site/logs/debug.log" ]] && mv "$site/logs/debug.log" "$site/logs/setup-debug.log"
  [[ "${KCS_SITE_HTTP:-1}" = 0 ]] || kcs_php_start "$site" "$host" "$port"
}

kcs_wp_version() { sed -n "s/^\$wp_version = '\(.*\)';/\1/p" "$1/wp-includes/version.php" 2>/dev/null; }
kcs_wc_version() { sed -n 's/^ \* Version: *//p' "$1/woocommerce.php" 2>/dev/null | head -n 1; }
