<?php
/**
 * The sender's heartbeat, recorded on every claim.
 *
 * @package KeyCrmSync
 */

declare( strict_types=1 );

namespace KeyCrmSync\Settings;

use KeyCrmSync\Infrastructure\Clock;
use KeyCrmSync\Infrastructure\Dates;

/**
 * Stored in a non-autoloaded option (it changes on every claim; no page load needs it).
 */
final class Heartbeat {

	/** Option name. */
	public const OPTION = 'keycrm_sync_heartbeat';

	/** A sender seen within this many seconds is online. */
	public const ONLINE_SECONDS = 120;

	/**
	 * Records a claim.
	 *
	 * @param string               $worker_id Worker id.
	 * @param array<string, mixed> $beat      Heartbeat fields sent by the sender (already validated).
	 */
	public function record( string $worker_id, array $beat ): void {
		$data = array(
			'worker_id'            => '' !== $worker_id ? $worker_id : (string) ( $beat['worker_id'] ?? 'unknown' ),
			'version'              => (string) ( $beat['version'] ?? '' ),
			'last_seen_at'         => Clock::now(),
			'last_success_at'      => $beat['last_success_at'] ?? null,
			'last_error'           => $beat['last_error'] ?? null,
			'last_error_at'        => $beat['last_error_at'] ?? null,
			'requests_last_minute' => isset( $beat['requests_last_minute'] ) ? (int) $beat['requests_last_minute'] : null,
			'synced_last_minute'   => isset( $beat['synced_last_minute'] ) ? (int) $beat['synced_last_minute'] : null,
			'eta_seconds'          => isset( $beat['eta_seconds'] ) ? (float) $beat['eta_seconds'] : null,
		);
		update_option( self::OPTION, $data, false );
	}

	/**
	 * SenderStatus of the contract, or null when no sender ever claimed.
	 *
	 * @return array<string, mixed>|null
	 */
	public function status(): ?array {
		$data = get_option( self::OPTION );
		if ( ! is_array( $data ) || ! isset( $data['last_seen_at'] ) ) {
			return null;
		}
		$seen = (int) $data['last_seen_at'];
		return array(
			'worker_id'            => (string) $data['worker_id'],
			'version'              => (string) $data['version'],
			'last_seen_at'         => Dates::iso_ts( $seen ),
			'online'               => Clock::now() - $seen <= self::ONLINE_SECONDS,
			'last_success_at'      => is_string( $data['last_success_at'] ) ? $data['last_success_at'] : null,
			'last_error'           => is_string( $data['last_error'] ) ? $data['last_error'] : null,
			'last_error_at'        => is_string( $data['last_error_at'] ) ? $data['last_error_at'] : null,
			'requests_last_minute' => $data['requests_last_minute'],
			'synced_last_minute'   => $data['synced_last_minute'],
			'eta_seconds'          => $data['eta_seconds'],
		);
	}
}
