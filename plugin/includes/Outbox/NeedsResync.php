<?php
/**
 * The "needs resync" flag: changes that could not be written to the outbox.
 *
 * @package KeyCrmSync
 */

declare( strict_types=1 );

namespace KeyCrmSync\Outbox;

use KeyCrmSync\Infrastructure\Clock;

/**
 * Set when the capture layer could not write its marks after its retries (the database kept
 * refusing: lock waits, deadlocks). Which SKUs changed is then unknown, so the next runner run
 * or sender claim marks every SKU (Resync) and clears the flag; the Overview screen shows it
 * meanwhile. A non-autoloaded option.
 */
final class NeedsResync {

	/** Option name. */
	public const OPTION = 'keycrm_sync_needs_resync';

	/**
	 * Records that changes were lost (keeps the first time until cleared).
	 *
	 * @param string $reason What failed (the database's message; shown to admins only).
	 */
	public static function flag( string $reason ): void {
		$since = self::get()['since'] ?? Clock::now();
		update_option(
			self::OPTION,
			array(
				'since'  => $since,
				'reason' => mb_substr( $reason, 0, 500 ),
			),
			false
		);
	}

	/**
	 * The flag, or null when not set.
	 *
	 * @return array{since:int, reason:string}|null
	 */
	public static function get(): ?array {
		$value = get_option( self::OPTION, null );
		if ( ! is_array( $value ) || ! isset( $value['since'] ) ) {
			return null;
		}
		return array(
			'since'  => (int) $value['since'],
			'reason' => (string) ( $value['reason'] ?? '' ),
		);
	}

	/**
	 * When flagged: marks every SKU (Resync) and clears the flag. Called by the runner inside
	 * WordPress and by the sender's claim before they claim.
	 *
	 * @param Resync $resync Resync marking.
	 * @return bool Whether a resync was started.
	 * @throws \KeyCrmSync\Exception\StorageFailed When marking fails (the flag stays).
	 */
	public static function act( Resync $resync ): bool {
		if ( null === self::get() ) {
			return false;
		}
		$resync->run();
		delete_option( self::OPTION );
		return true;
	}
}
