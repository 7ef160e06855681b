<?php
/**
 * The plugin's time source.
 *
 * @package KeyCrmSync
 */

declare( strict_types=1 );

namespace KeyCrmSync\Infrastructure;

/**
 * "Now" for everything the plugin stores or compares (outbox leases and back-offs, the stock-pull
 * schedule, remote SKUs, the inbox, the heartbeat): the wall clock, seen through the
 * `keycrm_sync_now` filter so that tests can move time instead of waiting for it. WP-Cron
 * schedules stay on `time()`, which is what WP-Cron compares them with.
 */
final class Clock {

	/** Filter on the current Unix timestamp (int); tests hook it to move time. */
	public const FILTER = 'keycrm_sync_now';

	/**
	 * Current Unix timestamp.
	 */
	public static function now(): int {
		$now = apply_filters( 'keycrm_sync_now', time() ); // The FILTER constant's value.
		return is_int( $now ) ? $now : time();
	}

	/**
	 * Now (or now + seconds) as a UTC DATETIME, as the plugin's tables store it.
	 *
	 * @param int $plus Seconds to add.
	 */
	public static function mysql( int $plus = 0 ): string {
		return gmdate( 'Y-m-d H:i:s', self::now() + $plus );
	}
}
