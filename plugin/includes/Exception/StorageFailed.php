<?php
/**
 * A database statement of the plugin failed.
 *
 * @package KeyCrmSync
 */

declare( strict_types=1 );

namespace KeyCrmSync\Exception;

/**
 * Thrown when $wpdb reports an error; carries the database's message (never values or secrets).
 */
final class StorageFailed extends \RuntimeException {

	/**
	 * Builds the exception from $wpdb's last error.
	 *
	 * @param string $what What the plugin was doing, e.g. "claim".
	 */
	public static function from_wpdb( string $what ): self {
		global $wpdb;
		return new self( sprintf( 'keyCRM Sync outbox %s failed: %s', $what, (string) $wpdb->last_error ) );
	}
}
