#!/usr/bin/env bash
# The plugin's PHP gate: `php -l` on every plugin file, then PHP_CodeSniffer with phpcs.xml.dist.
#
# PHP_CodeSniffer is looked for in this order: $PHPCS (a phpcs executable or phpcs.php script);
# ~/.cache/wpcs/phpcs/bin/phpcs (a PHP_CodeSniffer whose installed_paths has the WordPress Coding
# Standards); `phpcs` on PATH (Debian's php-codesniffer). When the one found has no WordPress-Extra
# standard, the ruleset runs without its "WordPress…" rules and a loud line says so; under CI that is
# allowed (a fresh machine cannot install WPCS: it is not packaged for Debian or npm).
#
# Usage: bash scripts/phpcs.sh [--fix] [phpcs args...]      --fix runs phpcbf instead.
# Exit: 0 clean, 1 violations or syntax errors, 2 no PHP_CodeSniffer at all.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

fix=0
if [[ "${1:-}" = --fix ]]; then fix=1; shift; fi
if [[ "${1:-}" = -h || "${1:-}" = --help ]]; then sed -n '2,12p' "$0"; exit 0; fi

# 1. Syntax: every PHP file of the plugin, with the PHP that runs the tests.
bad=0
while IFS= read -r -d '' file; do
	out=$(php -l "$file" 2>&1) || { echo "$out"; bad=1; }
done < <(find plugin -name '*.php' -not -path 'plugin/vendor/*' -not -path 'plugin/build/*' -print0)
[[ $bad = 0 ]] || { echo "php -l: syntax errors above"; exit 1; }
echo "php -l: $(find plugin -name '*.php' -not -path 'plugin/vendor/*' -not -path 'plugin/build/*' | wc -l) files, no syntax errors"

# 2. PHP_CodeSniffer.
PHPCS_CMD=()
if [[ -n "${PHPCS:-}" ]]; then
	if [[ -x "$PHPCS" ]]; then PHPCS_CMD=("$PHPCS"); else PHPCS_CMD=(php "$PHPCS"); fi
elif [[ -f "$HOME/.cache/wpcs/phpcs/bin/phpcs" ]]; then
	PHPCS_CMD=(php "$HOME/.cache/wpcs/phpcs/bin/phpcs")
elif command -v phpcs >/dev/null; then
	PHPCS_CMD=(phpcs)
else
	echo "phpcs: PHP_CodeSniffer not found (apt-get install php-codesniffer, or set PHPCS=/path/to/phpcs)"
	exit 2
fi
if [[ $fix = 1 ]]; then
	PHPCS_CMD=("${PHPCS_CMD[@]/%phpcs/phpcbf}")
fi

ruleset="$ROOT/phpcs.xml.dist"
if ! "${PHPCS_CMD[@]}" -i 2>/dev/null | grep -q 'WordPress-Extra'; then
	echo "!!! phpcs: the WordPress Coding Standards are not installed for ${PHPCS_CMD[*]}:"
	echo "!!!        running phpcs.xml.dist without its WordPress rules (PHP_CodeSniffer's own sniffs only)."
	echo "!!!        To run them all: see 'Developing' in README.md (WPCS 3.1 on PHP_CodeSniffer 3.13)."
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	# The ruleset without the rules that need WPCS (an XML edit with PHP's DOM, not text surgery).
	php -r '
		$doc = new DOMDocument();
		$doc->preserveWhiteSpace = true;
		$doc->load( $argv[1] );
		$xpath = new DOMXPath( $doc );
		foreach ( iterator_to_array( $xpath->query( "/ruleset/rule[starts-with(@ref, \"WordPress\")]" ) ) as $rule ) {
			$rule->parentNode->removeChild( $rule );
		}
		// Relative <file> and <exclude-pattern> entries stay relative to the project root.
		$doc->save( $argv[2] );
	' "$ruleset" "$tmp/phpcs.xml" || exit 1
	ruleset="$tmp/phpcs.xml"
fi

"${PHPCS_CMD[@]}" --standard="$ruleset" --basepath="$ROOT" "$@" "$ROOT/plugin"
status=$?
[[ $fix = 1 && $status = 1 ]] && status=0   # phpcbf: 1 means "fixed some"
exit $status
