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
 *
 * An attempt is counted before the work (begin_attempt()), so a PHP timeout or fatal error,
 * which no catch sees, still counts; a large row records how far it got (progress()), which
 * resets its attempts: only a part that fails MAX_ATTEMPTS times in a row makes it failed.
 */
final class StockInbox {

	/** Attempts before a row is given up as failed. */
	public const MAX_ATTEMPTS = 5;

	/** Applied rows older than this many days are deleted by prune(). */
	public const KEEP_DAYS = 7;

	/** A pending row received longer ago than this (seconds) is shown as stuck. */
	public const STUCK_AFTER = 600;

	/**
	 * Stores a batch. A webhook body equal to one received before (the same items, as stored) is
	 * recorded as a repeat of the first one (`replay_of`): applied in that one's place in the
	 * order (see position()), so a SKU a newer batch has set since keeps the newer value.
	 *
	 * @param string            $source  'webhook' or 'pull'.
	 * @param list<StockUpdate> $updates Validated updates.
	 * @return int Inbox row id.
	 * @throws \RuntimeException When the row cannot be written (the caller must answer 5xx).
	 */
	public function store( string $source, array $updates ): int {
		global $wpdb;
		$payload = (string) wp_json_encode( array_map( static fn( StockUpdate $u ) => $u->to_array(), $updates ) );
		$row     = array(
			'source'      => $source,
			'received_at' => Clock::mysql(),
			'item_count'  => count( $updates ),
			'payload'     => $payload,
			'status'      => 'pending',
		);
		if ( 'webhook' === $source ) {
			$row['body_hash'] = hash( 'sha256', $payload );
			$table            = StockSourceSchema::inbox_table();
			// phpcs:ignore WordPress.DB.DirectDatabaseQuery.DirectQuery, WordPress.DB.DirectDatabaseQuery.NoCaching, WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- custom table name from the schema class.
			$first = $wpdb->get_var( $wpdb->prepare( "SELECT MIN(COALESCE(replay_of, id)) FROM {$table} WHERE body_hash = %s", $row['body_hash'] ) );
			if ( null !== $first ) {
				$row['replay_of'] = (int) $first;
			}
		}
		// phpcs:ignore WordPress.DB.DirectDatabaseQuery.DirectQuery -- custom table.
		$ok = $wpdb->insert( StockSourceSchema::inbox_table(), $row );
		if ( false === $ok ) {
			throw new \RuntimeException( 'Could not store the stock batch: ' . $wpdb->last_error );
		}
		return (int) $wpdb->insert_id;
	}

	/**
	 * The place of a row in the order of keyCRM's batches: its own id, or for a repeated webhook
	 * body the id of the first row with that body.
	 *
	 * @param int $id Row id.
	 */
	public function position( int $id ): int {
		global $wpdb;
		$table = StockSourceSchema::inbox_table();
		// phpcs:ignore WordPress.DB.DirectDatabaseQuery.DirectQuery, WordPress.DB.DirectDatabaseQuery.NoCaching, WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- custom table name from the schema class.
		$of = $wpdb->get_var( $wpdb->prepare( "SELECT replay_of FROM {$table} WHERE id = %d", $id ) );
		return null === $of ? $id : (int) $of;
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
	 * Counts an attempt before the work starts. A row already at MAX_ATTEMPTS becomes failed.
	 *
	 * @param int $id Row id.
	 * @return bool Whether the row may be worked on (pending, attempts left).
	 */
	public function begin_attempt( int $id ): bool {
		global $wpdb;
		$table = StockSourceSchema::inbox_table();
		// phpcs:ignore WordPress.DB.DirectDatabaseQuery.DirectQuery, WordPress.DB.DirectDatabaseQuery.NoCaching, WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- custom table name from the schema class.
		$ok = $wpdb->query( $wpdb->prepare( "UPDATE {$table} SET attempts = attempts + 1 WHERE id = %d AND status = 'pending' AND attempts < %d", $id, self::MAX_ATTEMPTS ) );
		if ( 1 === $ok ) {
			return true;
		}
		// phpcs:ignore WordPress.DB.DirectDatabaseQuery.DirectQuery, WordPress.DB.DirectDatabaseQuery.NoCaching, WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- custom table name from the schema class.
		$wpdb->query( $wpdb->prepare( "UPDATE {$table} SET status = 'failed', last_error = COALESCE(last_error, %s) WHERE id = %d AND status = 'pending'", 'Applying stopped before the end (a PHP timeout or fatal error) too many times.', $id ) );
		return false;
	}

	/**
	 * Records how far a row got: the first $applied_items items are done; its attempts restart.
	 *
	 * @param int                $id            Row id.
	 * @param int                $applied_items Items done.
	 * @param array<string, int> $summary       Outcome counts of the items done.
	 */
	public function progress( int $id, int $applied_items, array $summary ): void {
		global $wpdb;
		// phpcs:ignore WordPress.DB.DirectDatabaseQuery.DirectQuery, WordPress.DB.DirectDatabaseQuery.NoCaching -- custom table.
		$wpdb->update(
			StockSourceSchema::inbox_table(),
			array(
				'applied_items' => $applied_items,
				'attempts'      => 0,
				'summary'       => (string) wp_json_encode( $summary ),
			),
			array( 'id' => $id )
		);
	}

	/**
	 * Records why an attempt failed (the attempt was counted by begin_attempt()): the row stays
	 * pending until MAX_ATTEMPTS, then becomes failed.
	 *
	 * @param int    $id    Row id.
	 * @param string $error Reason.
	 */
	public function mark_attempt_failed( int $id, string $error ): void {
		global $wpdb;
		$table = StockSourceSchema::inbox_table();
		// status first, from the old attempts: MySQL and SQLite then agree (MySQL reads updated values).
		// phpcs:ignore WordPress.DB.DirectDatabaseQuery.DirectQuery, WordPress.DB.DirectDatabaseQuery.NoCaching, WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- custom table name from the schema class.
		$wpdb->query( $wpdb->prepare( "UPDATE {$table} SET last_error = %s, status = CASE WHEN attempts >= %d THEN 'failed' ELSE 'pending' END WHERE id = %d", mb_substr( $error, 0, 2000 ), self::MAX_ATTEMPTS, $id ) );
	}

	/**
	 * Of these SKUs, those whose applied value came from a batch newer than $id.
	 *
	 * @param list<string> $skus SKUs.
	 * @param int          $id   Inbox row id.
	 * @return array<string, true> 's:' . SKU => true.
	 */
	public function superseded( array $skus, int $id ): array {
		global $wpdb;
		if ( array() === $skus ) {
			return array();
		}
		$table = StockSourceSchema::applied_table();
		$in    = implode( ',', array_fill( 0, count( $skus ), '%s' ) );
		// phpcs:ignore WordPress.DB.DirectDatabaseQuery.DirectQuery, WordPress.DB.DirectDatabaseQuery.NoCaching, WordPress.DB.PreparedSQL.InterpolatedNotPrepared, WordPress.DB.PreparedSQL.NotPrepared -- custom table name; placeholders only.
		$newer = $wpdb->get_col( $wpdb->prepare( "SELECT sku FROM {$table} WHERE inbox_id > %d AND sku IN ($in)", array_merge( array( $id ), $skus ) ) );
		$out   = array();
		foreach ( (array) $newer as $sku ) {
			$out[ 's:' . $sku ] = true;
		}
		return $out;
	}

	/**
	 * Records that these SKUs now hold the values of row $id (never moves a SKU back to an
	 * older row).
	 *
	 * @param list<string> $skus SKUs.
	 * @param int          $id   Inbox row id.
	 * @throws \RuntimeException When the record cannot be written.
	 */
	public function record_applied( array $skus, int $id ): void {
		global $wpdb;
		if ( array() === $skus ) {
			return;
		}
		$now    = gmdate( 'Y-m-d H:i:s' );
		$values = array();
		$args   = array();
		foreach ( $skus as $sku ) {
			$values[] = '(%s, %d, %s)';
			array_push( $args, $sku, $id, $now );
		}
		$table = StockSourceSchema::applied_table();
		// phpcs:ignore WordPress.DB.DirectDatabaseQuery.DirectQuery, WordPress.DB.DirectDatabaseQuery.NoCaching, WordPress.DB.PreparedSQL.InterpolatedNotPrepared, WordPress.DB.PreparedSQL.NotPrepared, WordPress.DB.PreparedSQLPlaceholders.UnfinishedPrepare -- custom table name; placeholders built per row.
		$ok = $wpdb->query( $wpdb->prepare( "INSERT INTO {$table} (sku, inbox_id, applied_at) VALUES " . implode( ', ', $values ) . ' ON DUPLICATE KEY UPDATE applied_at = CASE WHEN VALUES(inbox_id) >= inbox_id THEN VALUES(applied_at) ELSE applied_at END, inbox_id = GREATEST(inbox_id, VALUES(inbox_id))', $args ) );
		if ( false === $ok ) {
			throw new \RuntimeException( 'Could not record the applied stock batch.' );
		}
	}

	/**
	 * Oldest pending rows.
	 *
	 * @param int $limit Most rows.
	 * @return list<array{id: int, position: int, updates: list<StockUpdate>, applied_items: int, summary: array<string, int>}>
	 */
	public function pending( int $limit ): array {
		global $wpdb;
		$table = StockSourceSchema::inbox_table();
		// phpcs:ignore WordPress.DB.DirectDatabaseQuery.DirectQuery, WordPress.DB.DirectDatabaseQuery.NoCaching, WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- custom table name from the schema class.
		$rows = $wpdb->get_results( $wpdb->prepare( "SELECT id, replay_of, payload, applied_items, summary FROM {$table} WHERE status = 'pending' ORDER BY id LIMIT %d", $limit ), ARRAY_A );
		$out  = array();
		foreach ( (array) $rows as $row ) {
			try {
				$updates = StockPayload::from_array( json_decode( (string) $row['payload'], true ) );
			} catch ( InvalidStockPayload $e ) {
				// phpcs:ignore WordPress.DB.DirectDatabaseQuery.DirectQuery, WordPress.DB.DirectDatabaseQuery.NoCaching -- custom table.
				$wpdb->update(
					$table,
					array(
						'status'     => 'failed',
						'last_error' => $e->getMessage(),
					),
					array( 'id' => (int) $row['id'] )
				);
				continue;
			}
			$out[] = array(
				'id'            => (int) $row['id'],
				'position'      => null === $row['replay_of'] ? (int) $row['id'] : (int) $row['replay_of'],
				'updates'       => $updates,
				'applied_items' => (int) $row['applied_items'],
				'summary'       => array_map( 'intval', (array) json_decode( (string) $row['summary'], true ) ),
			);
		}
		return $out;
	}

	/**
	 * The oldest pending row, for the Stock from keyCRM screen (null when none is waiting).
	 *
	 * @param int $now Unix time.
	 * @return array{id: int, received_at: string, items: int, applied_items: int, attempts: int, last_error: string|null, stuck: bool}|null
	 */
	public function oldest_pending( int $now ): ?array {
		global $wpdb;
		$table = StockSourceSchema::inbox_table();
		// phpcs:ignore WordPress.DB.DirectDatabaseQuery.DirectQuery, WordPress.DB.DirectDatabaseQuery.NoCaching, WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- custom table name from the schema class.
		$row = $wpdb->get_row( "SELECT id, received_at, item_count, applied_items, attempts, last_error FROM {$table} WHERE status = 'pending' ORDER BY id LIMIT 1", ARRAY_A );
		if ( ! is_array( $row ) ) {
			return null;
		}
		$received = (int) strtotime( $row['received_at'] . ' UTC' );
		return array(
			'id'            => (int) $row['id'],
			'received_at'   => gmdate( 'Y-m-d\TH:i:s\Z', $received ),
			'items'         => (int) $row['item_count'],
			'applied_items' => (int) $row['applied_items'],
			'attempts'      => (int) $row['attempts'],
			'last_error'    => null === $row['last_error'] ? null : (string) $row['last_error'],
			'stuck'         => $now - $received > self::STUCK_AFTER,
		);
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
