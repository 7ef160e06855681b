<?php
/**
 * When the sender's stock pull is due, and what the last one did.
 *
 * @package KeyCrmSync
 */

declare( strict_types=1 );

namespace KeyCrmSync\StockSource;

use KeyCrmSync\Infrastructure\Dates;
use KeyCrmSync\Settings\Settings;

/**
 * State of the periodic pull in one non-autoloaded option. The sender asks whether a pull is due
 * (interval elapsed since the last finished pull, or an admin pressed "Pull stock now"), reports
 * its start and its end; the admin UI shows the result.
 */
final class PullSchedule {

	/** Option name (not autoloaded). */
	public const OPTION = 'keycrm_sync_stock_pull';

	/** A started pull not finished within this many seconds is considered dead. */
	public const STALE_AFTER = 3600;

	/**
	 * @param Settings $settings Settings (pull_interval_minutes).
	 */
	public function __construct( private Settings $settings ) {
	}

	/**
	 * Stored state.
	 *
	 * @return array{last_started_at: int|null, last_finished_at: int|null, requested_at: int|null, last_result: array<string, mixed>|null}
	 */
	public function state(): array {
		$stored = get_option( self::OPTION, array() );
		$stored = is_array( $stored ) ? $stored : array();
		return array(
			'last_started_at'  => isset( $stored['last_started_at'] ) ? (int) $stored['last_started_at'] : null,
			'last_finished_at' => isset( $stored['last_finished_at'] ) ? (int) $stored['last_finished_at'] : null,
			'requested_at'     => isset( $stored['requested_at'] ) ? (int) $stored['requested_at'] : null,
			'last_result'      => isset( $stored['last_result'] ) && is_array( $stored['last_result'] ) ? $stored['last_result'] : null,
		);
	}

	/**
	 * Whether a pull should start now, and why.
	 *
	 * @param int $now Unix time.
	 * @return array{due: bool, reason: string}
	 */
	public function due( int $now ): array {
		$s        = $this->state();
		$interval = (int) $this->settings->get( 'pull_interval_minutes' ) * 60;
		$running  = null !== $s['last_started_at'] && ( $s['last_finished_at'] ?? 0 ) < $s['last_started_at']
			&& $now - $s['last_started_at'] < self::STALE_AFTER;
		if ( $running ) {
			return array(
				'due'    => false,
				'reason' => 'running',
			);
		}
		if ( null !== $s['requested_at'] && $s['requested_at'] >= ( $s['last_started_at'] ?? 0 ) ) {
			return array(
				'due'    => true,
				'reason' => 'requested',
			);
		}
		if ( 0 === $interval ) {
			return array(
				'due'    => false,
				'reason' => 'interval_off',
			);
		}
		if ( null === $s['last_finished_at'] || $now - $s['last_finished_at'] >= $interval ) {
			return array(
				'due'    => true,
				'reason' => 'interval',
			);
		}
		return array(
			'due'    => false,
			'reason' => 'not_yet',
		);
	}

	/**
	 * An admin asked for a pull now.
	 *
	 * @param int $now Unix time.
	 */
	public function request( int $now ): void {
		$this->save( array( 'requested_at' => $now ) );
	}

	/**
	 * The sender starts a pull.
	 *
	 * @param int $now Unix time.
	 */
	public function start( int $now ): void {
		$this->save( array( 'last_started_at' => $now ) );
	}

	/**
	 * The sender finished a pull.
	 *
	 * @param int                  $now    Unix time.
	 * @param array<string, mixed> $result What it did (pages, scanned, counts, complete, error).
	 */
	public function finish( int $now, array $result ): void {
		$s      = $this->state();
		$update = array(
			'last_finished_at' => $now,
			'last_result'      => $result,
		);
		if ( null !== $s['requested_at'] && $s['requested_at'] <= ( $s['last_started_at'] ?? $now ) ) {
			$update['requested_at'] = null;
		}
		$this->save( $update );
	}

	/**
	 * The state as the REST API returns it (ISO dates).
	 *
	 * @param int $now Unix time.
	 * @return array<string, mixed>
	 */
	public function to_response( int $now ): array {
		$s   = $this->state();
		$iso = static fn( ?int $t ) => null === $t ? null : Dates::iso_ts( $t );
		return $this->due( $now ) + array(
			'stock_source'     => (string) $this->settings->get( 'stock_source' ),
			'stock_apply'      => (string) $this->settings->get( 'stock_apply' ),
			'interval_minutes' => (int) $this->settings->get( 'pull_interval_minutes' ),
			'last_started_at'  => $iso( $s['last_started_at'] ),
			'last_finished_at' => $iso( $s['last_finished_at'] ),
			'requested_at'     => $iso( $s['requested_at'] ),
			'last_result'      => null === $s['last_result'] ? null : array( 'counts' => (object) ( $s['last_result']['counts'] ?? array() ) ) + $s['last_result'],
		);
	}

	/**
	 * Merges values into the option.
	 *
	 * @param array<string, int|array<string, mixed>|null> $values Values.
	 */
	private function save( array $values ): void {
		$stored = get_option( self::OPTION, array() );
		update_option( self::OPTION, array_merge( is_array( $stored ) ? $stored : array(), $values ), false );
	}
}
