<?php
/**
 * The claim / ack protocol of the outbox.
 *
 * @package KeyCrmSync
 */

declare( strict_types=1 );

namespace KeyCrmSync\Outbox;

use KeyCrmSync\Exception\StorageFailed;
use KeyCrmSync\Infrastructure\Dates;

/**
 * Claim: one UPDATE leases due dirty rows (live changes before resync backlog), then a SELECT by
 * the lease token. Ack: per SKU, only where the token still matches; a row changed during the
 * flight keeps version > synced_version and is claimed again.
 */
final class OutboxQueue {

	/**
	 * Constructor.
	 *
	 * @param Backoff $backoff Retry delays.
	 */
	public function __construct( private Backoff $backoff ) {
	}

	/**
	 * Leases up to $limit due dirty rows, live changes (priority 0) before the resync backlog.
	 *
	 * @param int  $limit         Rows at most.
	 * @param int  $lease_seconds Lease length.
	 * @param bool $live_only     Only live changes: a sender with enough queued work still picks
	 *                            up an order's stock change without taking more backlog.
	 * @return array{token:string|null, expires_at:string|null, rows:list<object>}
	 * @throws StorageFailed On a database error.
	 */
	public function claim( int $limit, int $lease_seconds, bool $live_only = false ): array {
		global $wpdb;
		$table   = OutboxTable::name();
		$token   = bin2hex( random_bytes( 16 ) );
		$now     = Dates::mysql();
		$expires = Dates::mysql( $lease_seconds );
		// reclaimed is assigned first: it reads the previous lease (an expired one means the last
		// sender never acknowledged, so a create it sent may have landed in keyCRM).
		$sql     = "UPDATE {$table} SET reclaimed = (lease_token IS NOT NULL), lease_token = %s, lease_expires_at = %s
			WHERE state IN ('pending', 'failed') AND version > synced_version
				AND (lease_expires_at IS NULL OR lease_expires_at <= %s)
				AND (next_attempt_at IS NULL OR next_attempt_at <= %s)
				AND priority <= %d
			ORDER BY priority, id LIMIT %d";
		$claimed = $wpdb->query( $wpdb->prepare( $sql, $token, $expires, $now, $now, $live_only ? 0 : 255, $limit ) ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared -- placeholders only.
		if ( false === $claimed ) {
			throw StorageFailed::from_wpdb( 'claim' );
		}
		if ( 0 === $claimed ) {
			return array(
				'token'      => null,
				'expires_at' => null,
				'rows'       => array(),
			);
		}
		$rows = $wpdb->get_results( $wpdb->prepare( "SELECT * FROM {$table} WHERE lease_token = %s ORDER BY priority, id", $token ) ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- table from prefix.
		return array(
			'token'      => $token,
			'expires_at' => $expires,
			'rows'       => $rows,
		);
	}

	/**
	 * Dirty rows that are not leased (what is still waiting).
	 */
	public function backlog(): int {
		global $wpdb;
		$table = OutboxTable::name();
		return (int) $wpdb->get_var( $wpdb->prepare( "SELECT COUNT(*) FROM {$table} WHERE state IN ('pending', 'failed') AND version > synced_version AND (lease_expires_at IS NULL OR lease_expires_at <= %s)", Dates::mysql() ) ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- table from prefix.
	}

	/**
	 * Records the sender's per-SKU results. A result for a row not leased under $token only
	 * records the keyCRM ids it carries (a lost lease, or the sender's `ids-only` record of a new
	 * variable product's id, made before its variations are added). A result with `parent_id`
	 * records that variable product's keyCRM id on the product itself (ParentProduct).
	 *
	 * @param string                     $token        Lease token of the claim.
	 * @param list<array<string, mixed>> $results      AckResult items (validated by the REST schema).
	 * @param int                        $max_attempts Failures before a row is dead.
	 * @return array{acknowledged:int, stale:int}
	 * @throws StorageFailed On a database error.
	 */
	public function ack( string $token, array $results, int $max_attempts ): array {
		global $wpdb;
		$table  = OutboxTable::name();
		$leased = array();
		foreach ( $wpdb->get_results( $wpdb->prepare( "SELECT sku, version, attempts FROM {$table} WHERE lease_token = %s", $token ) ) as $row ) { // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- table from prefix.
			$leased[ 's:' . $row->sku ] = $row;
		}
		$counts = array(
			'acknowledged' => 0,
			'stale'        => 0,
		);
		$wpdb->query( 'START TRANSACTION' );
		try {
			foreach ( $results as $result ) {
				$row = $leased[ 's:' . $result['sku'] ] ?? null;
				$ok  = null !== $row && $this->ack_one( $token, $row, $result, $max_attempts );
				++$counts[ $ok ? 'acknowledged' : 'stale' ];
				if ( null === $row ) {
					$this->record_ids( (string) $result['sku'], $result );
				}
				if ( ! empty( $result['parent_id'] ) && ! empty( $result['keycrm_product_id'] ) ) {
					ParentProduct::record( (int) $result['parent_id'], (int) $result['keycrm_product_id'] );
				}
			}
		} catch ( StorageFailed $e ) {
			$wpdb->query( 'ROLLBACK' );
			throw $e;
		}
		$wpdb->query( 'COMMIT' );
		return $counts;
	}

	/**
	 * Applies one result to a row leased under $token.
	 *
	 * @param string               $token        Lease token.
	 * @param object               $row          Leased row (sku, version, attempts).
	 * @param array<string, mixed> $result       AckResult.
	 * @param int                  $max_attempts Failures before dead.
	 * @return bool Whether the acknowledged version is the row's current version.
	 * @throws StorageFailed On a database error.
	 */
	private function ack_one( string $token, object $row, array $result, int $max_attempts ): bool {
		global $wpdb;
		$version = (int) $result['version'];
		$set     = array( 'lease_token = NULL', 'lease_expires_at = NULL', 'updated_at = %s' );
		$args    = array( Dates::mysql() );
		if ( 'synced' === $result['outcome'] ) {
			array_push( $set, "state = CASE WHEN %d >= version THEN 'synced' ELSE 'pending' END", 'change_mask = CASE WHEN %d >= version THEN 0 ELSE change_mask END', 'dirty_since = CASE WHEN %d >= version THEN NULL ELSE dirty_since END', 'synced_version = GREATEST(synced_version, LEAST(%d, version))', 'attempts = 0', 'next_attempt_at = NULL', 'priority = CASE WHEN %d >= version THEN 0 ELSE priority END', 'synced_at = %s' );
			array_push( $args, $version, $version, $version, $version, $version, Dates::mysql() );
			// A synced result may say why nothing was sent (the settings keep the product out of keyCRM).
			if ( isset( $result['code'] ) ) {
				array_push( $set, 'last_error = %s', 'last_error_code = %s' );
				array_push( $args, (string) ( $result['error'] ?? '' ), (string) $result['code'] );
			} else {
				array_push( $set, 'last_error = NULL', 'last_error_code = NULL' );
			}
		} elseif ( 'retry' === $result['outcome'] && 'released' === ( $result['code'] ?? '' ) ) {
			// A sender that stops hands back work it did not try: no attempt, no backoff.
			$set[] = 'next_attempt_at = NULL';
		} else {
			// A failure counts against the version it was sent for: when the row changed during
			// the flight (a fix saved meanwhile), the new version is untried, so no attempt is
			// counted, no backoff set and the row never becomes dead for it. state comes before
			// attempts and reads the old count (MySQL reads values assigned to its left, SQLite
			// the old ones: this order reads the same on both). CASE, not IF(): see OutboxWriter.
			$state = 'failed' === $result['outcome'] ? 'failed' : 'pending';
			array_push(
				$set,
				"state = CASE WHEN %d >= version THEN (CASE WHEN %s = 'failed' AND attempts + 1 >= %d THEN 'dead' ELSE %s END) ELSE state END",
				'attempts = CASE WHEN %d >= version THEN attempts + 1 ELSE attempts END',
				'next_attempt_at = CASE WHEN %d >= version THEN %s ELSE NULL END',
				'last_error = %s',
				'last_error_code = %s'
			);
			array_push( $args, $version, $state, $max_attempts, $state, $version, $version, Dates::mysql( $this->backoff->delay( (int) $row->attempts + 1 ) ), (string) ( $result['error'] ?? '' ), (string) ( $result['code'] ?? '' ) );
		}
		foreach ( $this->pushed_columns( $result ) as $column => $value ) {
			$set[]  = null === $value ? "$column = NULL" : "$column = %s";
			$args[] = $value;
		}
		$args     = array_values( array_filter( $args, static fn( $v ) => null !== $v ) );
		$args[]   = $token;
		$args[]   = (string) $row->sku;
		$table    = OutboxTable::name();
		$sql      = "UPDATE {$table} SET " . implode( ', ', $set ) . ' WHERE lease_token = %s AND sku = %s';
		$affected = $wpdb->query( $wpdb->prepare( $sql, $args ) ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared -- column names are fixed strings; values are placeholders.
		if ( false === $affected ) {
			throw StorageFailed::from_wpdb( 'ack' );
		}
		return 'synced' !== $result['outcome'] || $version >= (int) $row->version;
	}

	/**
	 * keyCRM ids reported for a row whose lease was lost are still facts worth keeping.
	 *
	 * @param string               $sku    SKU.
	 * @param array<string, mixed> $result AckResult.
	 * @throws StorageFailed On a database error.
	 */
	private function record_ids( string $sku, array $result ): void {
		global $wpdb;
		$set  = array();
		$args = array();
		foreach ( array( 'keycrm_product_id', 'keycrm_offer_id' ) as $column ) {
			if ( isset( $result[ $column ] ) ) {
				$set[]  = "$column = %d";
				$args[] = (int) $result[ $column ];
			}
		}
		if ( array() === $set ) {
			return;
		}
		$args[] = $sku;
		$table  = OutboxTable::name();
		if ( false === $wpdb->query( $wpdb->prepare( "UPDATE {$table} SET " . implode( ', ', $set ) . ' WHERE sku = %s', $args ) ) ) { // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared, WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- table from prefix; fixed column names, placeholders.
			throw StorageFailed::from_wpdb( 'ack' );
		}
	}

	/**
	 * keyCRM ids and pushed values present in a result (absent keys are left unchanged).
	 *
	 * @param array<string, mixed> $result AckResult.
	 * @return array<string, string|null>
	 */
	private function pushed_columns( array $result ): array {
		$out = array();
		foreach ( array( 'keycrm_product_id', 'keycrm_offer_id', 'pushed_stock', 'pushed_offer_hash', 'pushed_product_hash' ) as $column ) {
			if ( array_key_exists( $column, $result ) ) {
				$out[ $column ] = null === $result[ $column ] ? null : (string) $result[ $column ];
			}
		}
		return $out;
	}
}
