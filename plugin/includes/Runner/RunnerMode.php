<?php
/**
 * Which runner sends for this shop: the Node sender or the runner inside WordPress.
 *
 * @package KeyCrmSync
 */

declare( strict_types=1 );

namespace KeyCrmSync\Runner;

use KeyCrmSync\Infrastructure\Dates;
use KeyCrmSync\Settings\Heartbeat;
use KeyCrmSync\Settings\Settings;

/**
 * Exactly one runner sends. A Node sender whose heartbeat is online (it claimed within two
 * minutes) sends and the runner inside WordPress stands by; otherwise the runner inside WordPress
 * sends, on by default once the API key and the warehouse are set (the PHP constant
 * KEYCRM_SYNC_IN_WORDPRESS set to false turns it off).
 */
final class RunnerMode {

	/**
	 * Constructor.
	 *
	 * @param Settings  $settings  Settings.
	 * @param Heartbeat $heartbeat The Node sender's heartbeat.
	 */
	public function __construct( private Settings $settings, private Heartbeat $heartbeat ) {
	}

	/**
	 * The runner and the reason: WordPress (no_sender|sender_offline), node (sender_online),
	 * none (settings_incomplete|disabled).
	 *
	 * @return array{runner:string, reason:string}
	 */
	public function mode(): array {
		$sender = $this->heartbeat->status();
		if ( null !== $sender && $sender['online'] ) {
			return array(
				'runner' => 'node',
				'reason' => 'sender_online',
			);
		}
		if ( ! $this->settings->complete() ) {
			return array(
				'runner' => 'none',
				'reason' => 'settings_incomplete',
			);
		}
		if ( defined( 'KEYCRM_SYNC_IN_WORDPRESS' ) && ! constant( 'KEYCRM_SYNC_IN_WORDPRESS' ) ) {
			return array(
				'runner' => 'none',
				'reason' => 'disabled',
			);
		}
		return array(
			'runner' => 'wordpress', // phpcs:ignore WordPress.WP.CapitalPDangit -- the runner's name in the REST contract.
			'reason' => null === $sender ? 'no_sender' : 'sender_offline',
		);
	}

	/**
	 * RunnerStatus of the REST contract: the mode plus the in-WordPress runner's last run.
	 *
	 * @return array<string, mixed>
	 */
	public function report(): array {
		$last = get_option( Runner::STATUS_OPTION );
		$last = is_array( $last ) ? $last : array();
		$iso  = static fn( $ts ) => is_numeric( $ts ) ? Dates::iso_ts( (int) $ts ) : null;
		return $this->mode() + array(
			'last_run_at'     => $iso( $last['last_run_at'] ?? null ),
			'next_run_at'     => $iso( $last['next_at'] ?? null ),
			'last_success_at' => $iso( $last['last_success_at'] ?? null ),
			'last_error'      => isset( $last['last_error'] ) && is_string( $last['last_error'] ) ? $last['last_error'] : null,
			'last_error_at'   => $iso( $last['last_error_at'] ?? null ),
			'last_synced'     => isset( $last['last_synced'] ) ? (int) $last['last_synced'] : null,
			'cron_disabled'   => defined( 'DISABLE_WP_CRON' ) && constant( 'DISABLE_WP_CRON' ),
		);
	}
}
