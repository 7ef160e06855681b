<?php
/**
 * The checks of `wp keycrm-sync doctor`.
 *
 * @package KeyCrmSync
 */

declare( strict_types=1 );

namespace KeyCrmSync\Cli;

use KeyCrmSync\Infrastructure\KeyCrmApi;
use KeyCrmSync\Settings\Settings;
use KeyCrmSync\Status\StatusReport;

/**
 * Each check is ok, warning or error, with a sentence a shop owner can act on.
 */
final class Doctor {

	/** WP-Cron counts as stalled when a due event waits longer than this (seconds). */
	public const CRON_LATE_SECONDS = 600;

	/**
	 * Takes what it reads.
	 *
	 * @param StatusReport $status   Status report.
	 * @param Settings     $settings Settings.
	 */
	public function __construct( private StatusReport $status, private Settings $settings ) {
	}

	/**
	 * Runs every check.
	 *
	 * @return list<array{check:string, status:string, message:string}>
	 */
	public function checks(): array {
		$report = $this->status->build();
		return array(
			$this->woocommerce(),
			$this->settings(),
			$this->keycrm(),
			$this->runner( $report['sender'] ),
			$this->cron(),
			$this->queue( $report ),
			$this->problems( (int) $report['problems'] ),
		);
	}

	/**
	 * WooCommerce active, and which version.
	 */
	private function woocommerce(): array {
		if ( ! function_exists( 'WC' ) ) {
			return self::row( 'woocommerce', 'error', 'WooCommerce is not active: activate it (Plugins).' );
		}
		$need = defined( 'KEYCRM_SYNC_MIN_WC' ) ? KEYCRM_SYNC_MIN_WC : '0';
		if ( version_compare( WC()->version, $need, '<' ) ) {
			return self::row( 'woocommerce', 'error', sprintf( 'WooCommerce %s is older than the %s this plugin needs: update it.', WC()->version, $need ) );
		}
		return self::row( 'woocommerce', 'ok', 'WooCommerce ' . WC()->version );
	}

	/**
	 * API key and warehouse.
	 */
	private function settings(): array {
		if ( '' === (string) $this->settings->get( 'api_key' ) ) {
			return self::row( 'settings', 'error', 'No keyCRM API key: enter it in WooCommerce → keyCRM Sync → Settings (keyCRM: Settings → General → API key).' );
		}
		$warehouse = $this->settings->get( 'warehouse_id' );
		if ( null === $warehouse ) {
			return self::row( 'settings', 'error', 'No keyCRM warehouse is set, so stock cannot be sent: choose one in WooCommerce → keyCRM Sync → Settings.' );
		}
		return self::row( 'settings', 'ok', sprintf( 'API key set; stock goes to keyCRM warehouse #%d; stock source: %s', (int) $warehouse, (string) $this->settings->get( 'stock_source' ) ) );
	}

	/**
	 * One cheap authenticated request to keyCRM.
	 */
	private function keycrm(): array {
		$key = (string) $this->settings->get( 'api_key' );
		if ( '' === $key ) {
			return self::row( 'keycrm', 'warning', 'Not checked: no API key.' );
		}
		$answer = KeyCrmApi::get( '/offers?limit=1', $key );
		if ( null !== $answer['error'] ) {
			return self::row( 'keycrm', 'error', sprintf( 'keyCRM (%s) cannot be reached from this server: %s', KeyCrmApi::root(), $answer['error'] ) );
		}
		if ( 401 === $answer['status'] || 403 === $answer['status'] ) {
			return self::row( 'keycrm', 'error', 'keyCRM refused the API key: copy it again from keyCRM (Settings → General → API key).' );
		}
		if ( 200 !== $answer['status'] ) {
			return self::row( 'keycrm', 'error', sprintf( 'keyCRM answered HTTP %d to a test request; try again later.', $answer['status'] ) );
		}
		return self::row( 'keycrm', 'ok', sprintf( 'keyCRM (%s) accepts the API key', KeyCrmApi::root() ) );
	}

	/**
	 * Whether a sender has been sending.
	 *
	 * @param array<string, mixed>|null $sender The heartbeat (SenderStatus).
	 */
	private function runner( ?array $sender ): array {
		if ( null === $sender ) {
			return self::row( 'runner', 'warning', 'No sender has run yet: start the Node sender (the command is on the Overview screen).' );
		}
		if ( ! $sender['online'] ) {
			return self::row( 'runner', 'warning', sprintf( 'The sender %s was last seen at %s: check that it still runs.', (string) $sender['worker_id'], (string) $sender['last_seen_at'] ) );
		}
		return self::row( 'runner', 'ok', sprintf( 'The sender %s is sending (last seen %s)', (string) $sender['worker_id'], (string) $sender['last_seen_at'] ) );
	}

	/**
	 * Whether WP-Cron runs: the oldest due event must not wait long.
	 */
	private function cron(): array {
		$late = 0;
		foreach ( array_keys( (array) _get_cron_array() ) as $timestamp ) {
			$late = max( $late, time() - (int) $timestamp );
			break; // The array is sorted by time: the first event is the oldest.
		}
		$disabled = defined( 'DISABLE_WP_CRON' ) && DISABLE_WP_CRON;
		if ( $late > self::CRON_LATE_SECONDS ) {
			return self::row(
				'wp-cron',
				'warning',
				sprintf(
					'WP-Cron has not run for %d minutes%s: set up a system cron that runs every minute, e.g. `* * * * * wp --path=%s cron event run --due-now`.',
					intdiv( $late, 60 ),
					$disabled ? ' (DISABLE_WP_CRON is set)' : '',
					ABSPATH
				)
			);
		}
		return self::row( 'wp-cron', 'ok', $disabled ? 'DISABLE_WP_CRON is set and a system cron runs the due events' : 'WP-Cron runs (visits trigger it)' );
	}

	/**
	 * Dead SKUs and old pending changes.
	 *
	 * @param array<string, mixed> $report Status report.
	 */
	private function queue( array $report ): array {
		$dead = (int) $report['counts']['dead'];
		if ( $dead > 0 ) {
			return self::row( 'queue', 'warning', sprintf( '%d SKUs gave up after repeated failures: see Items → Failed, fix the cause, then `wp keycrm-sync retry --all`.', $dead ) );
		}
		$age = $report['oldest_pending_age_seconds'];
		if ( null !== $age && $age > HOUR_IN_SECONDS ) {
			return self::row( 'queue', 'warning', sprintf( '%d changes wait; the oldest for %d minutes: is a sender running?', (int) $report['dirty'], intdiv( (int) $age, 60 ) ) );
		}
		return self::row( 'queue', 'ok', sprintf( '%d SKUs tracked, %d waiting to sync', (int) $report['total'], (int) $report['dirty'] ) );
	}

	/**
	 * SKU problems.
	 *
	 * @param int $count Number of problems.
	 */
	private function problems( int $count ): array {
		if ( $count > 0 ) {
			return self::row( 'skus', 'warning', sprintf( '%d products cannot be synced because of their SKU: `wp keycrm-sync problems` lists them.', $count ) );
		}
		return self::row( 'skus', 'ok', 'Every product has a usable SKU' );
	}

	/**
	 * One result row.
	 *
	 * @param string $check   Check name.
	 * @param string $status  ok, warning or error.
	 * @param string $message Sentence.
	 * @return array{check:string, status:string, message:string}
	 */
	private static function row( string $check, string $status, string $message ): array {
		return array(
			'check'   => $check,
			'status'  => $status,
			'message' => $message,
		);
	}
}
