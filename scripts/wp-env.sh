#!/usr/bin/env bash
# WordPress and WooCommerce for the tests and the demo, at pinned versions.
#
#   scripts/wp-env.sh [--oldest] [--export]
#   eval "$(scripts/wp-env.sh --export)"        sets WP_CORE_DIR and WC_DIR in this shell
#   scripts/wp-env.sh --wp-cli [--export]       prints KCS_WP_CLI=<the WP-CLI phar> instead
#
# Default set: WordPress 6.8.x and WooCommerce 10.0.x, the versions the plugin is tested with.
# --oldest:    the oldest versions the plugin's header claims ("Requires at least",
#              "WC requires at least" in plugin/keycrm-sync.php), for a second run.
#
# Each of the two is found in this order:
#   1. WP_CORE_DIR / WC_DIR when set (--oldest: WP_CORE_DIR_OLDEST / WC_DIR_OLDEST), used as they
#      are: a WordPress core folder (with wp-settings.php) and a built WooCommerce (the release zip,
#      unzipped: woocommerce.php and vendor/);
#   2. the cache, KCS_WP_CACHE (default ~/.cache/wp-test-env): wordpress/ and woocommerce/ when
#      they hold the wanted series, else wordpress-VERSION/ and woocommerce-VERSION/;
#   3. the official release zips, downloaded, checked and unpacked into the cache:
#      WordPress  https://wordpress.org/wordpress-VERSION.zip against the .sha1 published next to it,
#      WooCommerce https://downloads.wordpress.org/plugin/woocommerce.VERSION.zip against the
#      SHA-256 of every file in https://downloads.wordpress.org/plugin-checksums/woocommerce/VERSION.json
#      (no file missing, none added, none different).
#      The bases can be changed with KCS_WP_DOWNLOAD_BASE and KCS_WC_DOWNLOAD_BASE (a mirror).
# Where none of this works (an offline machine) it exits 1 and says what to provide and how.
# --wp-cli: WP-CLI (the tests run the real `wp`) the same way: KCS_WP_CLI when set, else
# wp-cli.phar in the cache, else the pinned release
# https://github.com/wp-cli/wp-cli/releases/download/vVERSION/wp-cli-VERSION.phar checked against
# the .sha512 published next to it (KCS_WP_CLI_DOWNLOAD_BASE: a mirror of that folder).
# Prints WP_CORE_DIR=... and WC_DIR=... on stdout (with --export: "export ..." lines); what it
# did goes to stderr. The folders it finds are only read, never written.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Pinned versions. The default set accepts any release of the same series (e.g. a cached 6.8.8);
# a download fetches the pinned one.
WP_PIN=6.8.3
WC_PIN=10.0.2
# The oldest supported series (from the plugin's header) and the release of each to fetch.
declare -A WP_OLDEST_PIN=([6.6]=6.6.2)
declare -A WC_OLDEST_PIN=([9.0]=9.0.2)

WP_CLI_PIN=2.10.0

OLDEST=0 EXPORT=0 WP_CLI=0
for a in "$@"; do
  case "$a" in
    --oldest) OLDEST=1 ;;
    --export) EXPORT=1 ;;
    --wp-cli) WP_CLI=1 ;;
    -h | --help) sed -n '2,32p' "$0"; exit 0 ;;
    *) echo "wp-env: unknown argument $a (see --help)" >&2; exit 2 ;;
  esac
done

say() { echo "wp-env: $*" >&2; }
series() { echo "$1" | cut -d. -f1-2; }
CACHE=${KCS_WP_CACHE:-$HOME/.cache/wp-test-env}
WP_BASE=${KCS_WP_DOWNLOAD_BASE:-https://wordpress.org}
WC_BASE=${KCS_WC_DOWNLOAD_BASE:-https://downloads.wordpress.org}

header() { sed -n "s/^ \* $1: *//p" "$ROOT/plugin/keycrm-sync.php" | head -n 1 | tr -d '[:space:]'; }
if [[ $OLDEST = 1 ]]; then
  wp_min=$(header 'Requires at least') wc_min=$(header 'WC requires at least')
  WP_WANT=${WP_OLDEST_PIN[$wp_min]:-} WC_WANT=${WC_OLDEST_PIN[$wc_min]:-}
  [[ -n "$WP_WANT" && -n "$WC_WANT" ]] || {
    say "the plugin header claims WordPress $wp_min and WooCommerce $wc_min; add a release of each to WP_OLDEST_PIN / WC_OLDEST_PIN in $0"
    exit 2
  }
  WP_VAR=WP_CORE_DIR_OLDEST WC_VAR=WC_DIR_OLDEST WP_NAMES=("wordpress-$WP_WANT") WC_NAMES=("woocommerce-$WC_WANT")
else
  WP_WANT=$WP_PIN WC_WANT=$WC_PIN
  WP_VAR=WP_CORE_DIR WC_VAR=WC_DIR WP_NAMES=(wordpress "wordpress-$WP_WANT") WC_NAMES=(woocommerce "woocommerce-$WC_WANT")
fi

wp_version() { sed -n "s/^\$wp_version = '\(.*\)';/\1/p" "$1/wp-includes/version.php" 2>/dev/null; }
wc_version() { sed -n 's/^ \* Version: *//p' "$1/woocommerce.php" 2>/dev/null | head -n 1 | tr -d '[:space:]'; }
wp_ok() { [[ -f "$1/wp-settings.php" && -f "$1/wp-includes/version.php" ]]; }
wc_ok() { [[ -f "$1/woocommerce.php" && -f "$1/vendor/autoload_packages.php" ]]; }

# ---- downloads ---------------------------------------------------------------------------------
TMP="" # the download's temporary folder (set by resolve)
CACHE_EXISTED=0
[[ -d "$CACHE" ]] && CACHE_EXISTED=1
cleanup() {
  # A cache folder made by this run and left empty (every download refused) is removed again.
  [[ $CACHE_EXISTED = 1 ]] || rmdir "$CACHE" 2>/dev/null || true
  return 0
}
trap cleanup EXIT

fetch() { # URL FILE
  if command -v curl >/dev/null; then
    curl -fsSL --retry 2 --connect-timeout 15 --max-time 600 -o "$2" "$1" 2>&1 | tail -n 1
  elif command -v wget >/dev/null; then
    wget -nv -T 15 -t 2 -O "$2" "$1" 2>&1 | tail -n 1
  else
    echo "neither curl nor wget is installed"
    return 1
  fi
}

# ---- WP-CLI ------------------------------------------------------------------------------------
if [[ $WP_CLI = 1 ]]; then
  prefix=""
  [[ $EXPORT = 1 ]] && prefix="export "
  cli_ok() { php "$1" --version --allow-root 2>/dev/null | grep -q '^WP-CLI '; }
  if [[ -n "${KCS_WP_CLI:-}" ]]; then
    cli_ok "$KCS_WP_CLI" || { say "KCS_WP_CLI=$KCS_WP_CLI does not run as WP-CLI"; exit 1; }
    say "$(php "$KCS_WP_CLI" --version --allow-root) from KCS_WP_CLI=$KCS_WP_CLI"
    printf '%sKCS_WP_CLI=%q\n' "$prefix" "$KCS_WP_CLI"
    exit 0
  fi
  phar="$CACHE/wp-cli.phar"
  if [[ -f "$phar" ]] && cli_ok "$phar"; then
    say "$(php "$phar" --version --allow-root) from the cache, $phar"
    printf '%sKCS_WP_CLI=%q\n' "$prefix" "$phar"
    exit 0
  fi
  base=${KCS_WP_CLI_DOWNLOAD_BASE:-https://github.com/wp-cli/wp-cli/releases/download/v$WP_CLI_PIN}
  url="$base/wp-cli-$WP_CLI_PIN.phar"
  say "downloading WP-CLI $WP_CLI_PIN into $phar"
  mkdir -p "$CACHE"
  TMP=$(mktemp -d "$CACHE/.download-XXXXXX")
  why=""
  if ! out=$(fetch "$url" "$TMP/wp-cli.phar"); then
    why="$url: ${out:-download failed}"
  elif ! out=$(fetch "$url.sha512" "$TMP/wp-cli.phar.sha512"); then
    why="$url.sha512: ${out:-download failed}"
  else
    want=$(grep -oE '^[0-9a-f]{128}' "$TMP/wp-cli.phar.sha512" | head -n 1)
    got=$(sha512sum "$TMP/wp-cli.phar" | cut -d' ' -f1)
    if [[ -z "$want" ]]; then
      why="$url.sha512 holds no SHA-512"
    elif [[ "$want" != "$got" ]]; then
      why="$url: SHA-512 $got does not match the published $want; refused"
    elif ! cli_ok "$TMP/wp-cli.phar"; then
      why="$url does not run as WP-CLI"
    else
      mv "$TMP/wp-cli.phar" "$phar"
    fi
  fi
  rm -rf "$TMP"
  if [[ -n "$why" ]]; then
    say "WP-CLI: not in KCS_WP_CLI, not in the cache ($phar), and the download failed: $why"
    say "  provide it: KCS_WP_CLI=/path/to/wp-cli.phar, or put wp-cli-$WP_CLI_PIN.phar (SHA-512 in $url.sha512) at $phar"
    exit 1
  fi
  say "WP-CLI $WP_CLI_PIN checked and saved as $phar"
  printf '%sKCS_WP_CLI=%q\n' "$prefix" "$phar"
  exit 0
fi

# Unpacks ZIP in TMP and moves its single top folder TOP to DEST.
unpack() { # ZIP TOP DEST
  rm -rf "$TMP/unpacked"
  unzip -q "$1" -d "$TMP/unpacked" || { echo "could not unzip $1"; return 1; }
  [[ -d "$TMP/unpacked/$2" ]] || { echo "the zip has no $2/ folder"; return 1; }
}

download_wp() { # VERSION DEST  (prints why on failure)
  local url="$WP_BASE/wordpress-$1.zip" out want got
  out=$(fetch "$url" "$TMP/wp.zip") || { echo "$url: ${out:-download failed}"; return 1; }
  out=$(fetch "$url.sha1" "$TMP/wp.zip.sha1") || { echo "$url.sha1: ${out:-download failed}"; return 1; }
  want=$(grep -oE '^[0-9a-f]{40}' "$TMP/wp.zip.sha1" | head -n 1)
  got=$(sha1sum "$TMP/wp.zip" | cut -d' ' -f1)
  [[ -n "$want" ]] || { echo "$url.sha1 holds no SHA-1"; return 1; }
  [[ "$want" = "$got" ]] || { echo "$url: SHA-1 $got does not match the published $want; refused"; return 1; }
  unpack "$TMP/wp.zip" wordpress || return 1
  wp_ok "$TMP/unpacked/wordpress" || { echo "$url holds no WordPress core"; return 1; }
  [[ "$(wp_version "$TMP/unpacked/wordpress")" = "$1" ]] || { echo "$url holds WordPress $(wp_version "$TMP/unpacked/wordpress"), not $1"; return 1; }
  mv "$TMP/unpacked/wordpress" "$2"
}

download_wc() { # VERSION DEST
  local url="$WC_BASE/plugin/woocommerce.$1.zip" sums="$WC_BASE/plugin-checksums/woocommerce/$1.json" out
  out=$(fetch "$url" "$TMP/wc.zip") || { echo "$url: ${out:-download failed}"; return 1; }
  out=$(fetch "$sums" "$TMP/wc.json") || { echo "$sums: ${out:-download failed}"; return 1; }
  unpack "$TMP/wc.zip" woocommerce || return 1
  # Every file against the published per-file SHA-256 (a value or a list of accepted values).
  out=$(node - "$TMP/wc.json" "$TMP/unpacked/woocommerce" <<'JS' 2>&1
const { createHash } = require( 'node:crypto' );
const { readFileSync, readdirSync } = require( 'node:fs' );
const path = require( 'node:path' );
const [ sumsFile, dir ] = process.argv.slice( 2 );
const files = JSON.parse( readFileSync( sumsFile, 'utf8' ) ).files;
if ( ! files || typeof files !== 'object' ) {
	console.log( 'the checksum file lists no files' );
	process.exit( 1 );
}
const seen = new Set();
const bad = [];
const walk = ( rel ) => {
	for ( const e of readdirSync( path.join( dir, rel ), { withFileTypes: true } ) ) {
		const r = rel ? `${ rel }/${ e.name }` : e.name;
		if ( e.isDirectory() ) {
			walk( r );
			continue;
		}
		seen.add( r );
		const want = files[ r ]?.sha256;
		const got = createHash( 'sha256' ).update( readFileSync( path.join( dir, r ) ) ).digest( 'hex' );
		if ( want === undefined ) {
			bad.push( `${ r }: not in the checksum file` );
		} else if ( ! ( Array.isArray( want ) ? want : [ want ] ).includes( got ) ) {
			bad.push( `${ r }: SHA-256 differs` );
		}
	}
};
walk( '' );
for ( const r of Object.keys( files ) ) {
	if ( ! seen.has( r ) ) {
		bad.push( `${ r }: missing from the zip` );
	}
}
if ( bad.length > 0 ) {
	console.log( `${ bad.length } file(s) fail the check, e.g. ${ bad.slice( 0, 3 ).join( '; ' ) }` );
	process.exit( 1 );
}
JS
  ) || { echo "$url against $sums: ${out:-the check failed}; refused"; return 1; }
  wc_ok "$TMP/unpacked/woocommerce" || { echo "$url holds no built WooCommerce"; return 1; }
  [[ "$(wc_version "$TMP/unpacked/woocommerce")" = "$1" ]] || { echo "$url holds WooCommerce $(wc_version "$TMP/unpacked/woocommerce"), not $1"; return 1; }
  mv "$TMP/unpacked/woocommerce" "$2"
}

# ---- resolve -----------------------------------------------------------------------------------
# resolve LABEL VAR WANT ok_fn version_fn download_fn NAMES... → prints the folder (run in a
# subshell); says on stderr why it found none.
resolve() {
  local label=$1 var=$2 want=$3 ok=$4 version=$5 download=$6
  shift 6
  local set=${!var:-} name dir why target
  if [[ -n "$set" ]]; then
    if $ok "$set"; then
      say "$label $($version "$set") from $var=$set"
      echo "$set"
      return 0
    fi
    say "$var=$set is not a $label folder ($([[ $ok = wp_ok ]] && echo 'no wp-settings.php' || echo 'no woocommerce.php and vendor/: a built release is needed'))"
    return 1
  fi
  for name in "$@"; do
    dir="$CACHE/$name"
    if $ok "$dir" && [[ "$(series "$($version "$dir")")" = "$(series "$want")" ]]; then
      say "$label $($version "$dir") from the cache, $dir"
      echo "$dir"
      return 0
    fi
    $ok "$dir" && say "$dir holds $label $($version "$dir"), not $(series "$want").x: not used"
  done
  target="$CACHE/$1"
  [[ -e "$target" ]] && target="$CACHE/${*: -1}"
  say "downloading $label $want into $target"
  # Downloads and unpacks in a temporary folder inside the cache (so the final move is a rename);
  # removed whatever happens, so a refused download leaves nothing behind.
  mkdir -p "$CACHE"
  TMP=$(mktemp -d "$CACHE/.download-XXXXXX")
  local status=0
  why=$($download "$want" "$target") || status=$?
  rm -rf "$TMP"
  if [[ $status = 0 ]]; then
    say "$label $want checked and unpacked into $target"
    echo "$target"
    return 0
  fi
  say "$label $(series "$want").x: not in $var, not in the cache ($CACHE/{$(IFS=,; echo "$*")}), and the download failed: $why"
  return 1
}

WP_DIR=$(resolve WordPress "$WP_VAR" "$WP_WANT" wp_ok wp_version download_wp "${WP_NAMES[@]}") || true
WC_DIR_FOUND=$(resolve WooCommerce "$WC_VAR" "$WC_WANT" wc_ok wc_version download_wc "${WC_NAMES[@]}") || true
if [[ -z "$WP_DIR" || -z "$WC_DIR_FOUND" ]]; then
  {
    echo
    echo "wp-env: the tests and the demo need WordPress $(series "$WP_WANT").x and WooCommerce $(series "$WC_WANT").x (built)."
    [[ -z "$WP_DIR" ]] && echo "  WordPress is missing. Provide it in one of these ways:
    - $WP_VAR=/path/to/wordpress   a WordPress $(series "$WP_WANT").x core folder (the one with wp-settings.php)
    - unzip $WP_BASE/wordpress-$WP_WANT.zip (SHA-1 in $WP_BASE/wordpress-$WP_WANT.zip.sha1) and move
      its wordpress/ folder to $CACHE/${WP_NAMES[0]}
    - or run this script again where $WP_BASE is reachable (or set KCS_WP_DOWNLOAD_BASE to a mirror)"
    [[ -z "$WC_DIR_FOUND" ]] && echo "  WooCommerce is missing. Provide it in one of these ways:
    - $WC_VAR=/path/to/woocommerce   a built WooCommerce $(series "$WC_WANT").x (the release zip, unzipped: woocommerce.php, vendor/)
    - unzip $WC_BASE/plugin/woocommerce.$WC_WANT.zip and move its woocommerce/ folder to
      $CACHE/${WC_NAMES[0]} (per-file SHA-256: $WC_BASE/plugin-checksums/woocommerce/$WC_WANT.json)
    - or run this script again where $WC_BASE is reachable (or set KCS_WC_DOWNLOAD_BASE to a mirror)"
  } >&2
  exit 1
fi

prefix=""
[[ $EXPORT = 1 ]] && prefix="export "
printf '%sWP_CORE_DIR=%q\n%sWC_DIR=%q\n' "$prefix" "$WP_DIR" "$prefix" "$WC_DIR_FOUND"
