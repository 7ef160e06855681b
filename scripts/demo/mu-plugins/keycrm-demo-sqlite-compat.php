<?php
/**
 * Plugin Name: keyCRM Sync demo: SQLite compatibility
 * Description: Demo shop only (WordPress Playground on SQLite). Playground's MySQL-on-SQLite driver
 * stores VARBINARY columns as BLOBs and then never matches them against string parameters, so
 * `WHERE sku = 'X'` finds nothing. This rewrites VARBINARY(n) to VARCHAR(n) in table definitions.
 * Trade-off: the driver compares VARCHAR case-insensitively, so in the demo two SKUs that differ
 * only in letter case are one SKU. Production shops run MySQL/MariaDB and do not load this file.
 *
 * @package KeyCrmSync\Demo
 */

declare( strict_types=1 );

defined( 'ABSPATH' ) || exit;

add_filter(
	'query',
	static function ( string $query ): string {
		if ( ! preg_match( '/^\s*(CREATE|ALTER)\s+TABLE\b/i', $query ) ) {
			return $query;
		}
		return (string) preg_replace( '/\bvarbinary\s*\((\d+)\)/i', 'varchar($1)', $query );
	}
);
