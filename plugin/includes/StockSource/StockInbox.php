<?php
/**
 * The stock inbox: every accepted batch is stored before it is applied.
 *
 * @package KeyCrmSync
 */

declare( strict_types=1 );

namespace KeyCrmSync\StockSource;

use KeyCrmSync\Infrastructure\Clock;

/**
 * Rows of `{prefix}keycrm_sync_stock_inbox`: pending → applied, or failed after MAX_ATTEMPTS.
 * A crash or error while applying leaves the row pending; StockSourceModule retries pending
 * rows from WP-Cron, so nothing accepted is lost.
 */
final class StockInbox {

	/** Attempts before a row is given up as failed. */
	public const MAX_ATTEMPTS = 5;

	/** Applied rows older than this many days are deleted by prune(). */
	public const KEEP_DAYS = 7;

	/**
	 * Stores a batch.
	 *
	 * @param string            $source  'webhook' or 'pull'.
	 * @param list<StockUpdate> $updates Validated updates.
	 * @return int Inbox row id.
	 * @throws \RuntimeException When the row cannot be written (the caller must answer 5xx).
	 */
	public function store( string $source, array $updates ): int {
		global $wpdb;
		$payload = wp_json_encode( array_map( static fn( StockUpdate $u ) => $u->to_array(), $updates ) );
		// phpcs:ignore WordPress.DB.DirectDatabaseQuery.DirectQuery -- custom table.
		$ok = $wpdb->insert(
			StockSourceSchema::inbox_table(),
			array(
				'source'      => $source,
				'received_at' => Clock::mysql(),
				'item_count'  => count( $updates ),
				'payload'     => (string) $payload,
				'status'      => 'pending',
			),
			array( '%s', '%s', '%d', '%s', '%s' )
		);
		if ( false === $ok ) {
			throw new \RuntimeException( 'Could not store the stock batch: ' . $wpdb->last_error );
		}
		return (int) $wpdb->insert_id;
	}

	/**
	 * Marks a row applied with its summary.
	 *
	 * @param int                $id      Row id.
	 * @param array<string, int> $summary Outcome counts.
	 */
	public function mark_applied( int $id, array $summary ): void {
		global $wpdb;
		// phpcs:ignore WordPress.DB.DirectDatabaseQuery.DirectQuery, WordPress.DB.DirectDatabaseQuery.NoCaching -- custom table.
		$wpdb->update(
			StockSourceSchema::inbox_table(),
			array(
				'status'     => 'applied',
				'applied_at' => Clock::mysql(),
				'summary'    => (string) wp_json_encode( $summary ),
				'last_error' => null,
			),
			array( 'id' => $id )
		);
	}

	/**
	 * Records a failed attempt: the row stays pending until MAX_ATTEMPTS, then becomes failed.
	 *
	 * @param int    $id    Row id.
	 * @param string $error Reason.
	 */
	public function mark_attempt_failed( int $id, string $error ): void {
		global $wpdb;
		$table = StockSourceSchema::inbox_table();
		// status first, from the old attempts: MySQL and SQLite then agree (MySQL reads updated values).
		// phpcs:ignore WordPress.DB.DirectDatabaseQuery.DirectQuery, WordPress.DB.DirectDatabaseQuery.NoCaching, WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- custom table name from the schema class.
		$wpdb->query( $wpdb->prepare( "UPDATE {$table} SET status = CASE WHEN attempts + 1 >= %d THEN 'failed' ELSE 'pending' END, attempts = attempts + 1, last_error = %s WHERE id = %d", self::MAX_ATTEMPTS, substr( $error, 0, 2000 ), $id ) );
	}

	/**
	 * Oldest pending rows.
	 *
	 * @param int $limit Most rows.
	 * @return list<array{id: int, updates: list<StockUpdate>}>
	 */
	public function pending( int $limit ): array {
		global $wpdb;
		$table = StockSourceSchema::inbox_table();
		// phpcs:ignore WordPress.DB.DirectDatabaseQuery.DirectQuery, WordPress.DB.DirectDatabaseQuery.NoCaching, WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- custom table name from the schema class.
		$rows = $wpdb->get_results( $wpdb->prepare( "SELECT id, payload FROM {$table} WHERE status = 'pending' ORDER BY id LIMIT %d", $limit ), ARRAY_A );
		$out  = array();
		foreach ( (array) $rows as $row ) {
			try {
				$updates = StockPayload::from_array( json_decode( (string) $row['payload'], true ) );
			} catch ( InvalidStockPayload $e ) {
				$this->mark_attempt_failed( (int) $row['id'], $e->getMessage() );
				continue;
			}
			$out[] = array(
				'id'      => (int) $row['id'],
				'updates' => $updates,
			);
		}
		return $out;
	}

	/**
	 * Counts rows per status.
	 *
	 * @return array{pending: int, applied: int, failed: int}
	 */
	public function counts(): array {
		global $wpdb;
		$table = StockSourceSchema::inbox_table();
		// phpcs:ignore WordPress.DB.DirectDatabaseQuery.DirectQuery, WordPress.DB.DirectDatabaseQuery.NoCaching, WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- custom table name from the schema class.
		$rows   = $wpdb->get_results( "SELECT status, COUNT(*) AS n FROM {$table} GROUP BY status", ARRAY_A );
		$counts = array(
			'pending' => 0,
			'applied' => 0,
			'failed'  => 0,
		);
		foreach ( (array) $rows as $row ) {
			$counts[ (string) $row['status'] ] = (int) $row['n'];
		}
		return $counts;
	}

	/**
	 * Deletes applied rows older than KEEP_DAYS (failed rows are kept for inspection).
	 */
	public function prune(): void {
		global $wpdb;
		$table = StockSourceSchema::inbox_table();
		// phpcs:ignore WordPress.DB.DirectDatabaseQuery.DirectQuery, WordPress.DB.DirectDatabaseQuery.NoCaching, WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- custom table name from the schema class.
		$wpdb->query( $wpdb->prepare( "DELETE FROM {$table} WHERE status = 'applied' AND applied_at < %s", Clock::mysql( -self::KEEP_DAYS * DAY_IN_SECONDS ) ) );
	}
}
