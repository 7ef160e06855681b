<?php
/**
 * Writes captured marks to the outbox.
 *
 * @package KeyCrmSync
 */

declare( strict_types=1 );

namespace KeyCrmSync\Outbox;

use KeyCrmSync\Exception\StorageFailed;
use KeyCrmSync\Infrastructure\Clock;
use KeyCrmSync\Problems\ProblemIndex;
use KeyCrmSync\Sku\SkuOwners;
use KeyCrmSync\Sku\SkuRules;

/**
 * Turns buffered marks into one upsert per SKU (`version = version + 1`, mask OR-ed in), after
 * deciding each SKU's owner and whether it is usable (`skipped` when it is not).
 */
final class OutboxWriter {

	/** Rows per INSERT statement. */
	private const CHUNK = 500;

	/**
	 * Constructor.
	 *
	 * @param SkuOwners $owners Resolves SKUs to live products.
	 */
	public function __construct( private SkuOwners $owners ) {
	}

	/**
	 * Upserts the marks, then brings the stored problem list up to date for every product they
	 * touch.
	 *
	 * @param list<array{sku:string, mask:int, product_id:int, problems?:bool}> $marks   Marks from the buffer.
	 * @param int[]                                                             $skuless Changed products that have no SKU (no outbox row).
	 * @throws StorageFailed When the database refuses the statement.
	 */
	public function write( array $marks, array $skuless = array() ): void {
		$marks   = $this->stock_only( $marks );
		$touched = $skuless;
		$known   = array();
		$rows    = array() === $marks ? array() : $this->rows( $marks, $touched, $known );
		foreach ( array_chunk( $rows, self::CHUNK ) as $chunk ) {
			$this->upsert( $chunk );
		}
		( new ProblemIndex() )->refresh( $touched, $this->owners, $known );
	}

	/**
	 * Stock quantity changes (orders: the most frequent change) of SKUs whose row exists, is held
	 * by the same product and is not set aside: one UPDATE, no owner lookup. Who holds a SKU and
	 * whether it is usable change only with changes that take the full path (SKU, status, a new
	 * or deleted product), so such a row already says what the full path would find. When the
	 * UPDATE does not reach every one of these marks (a new SKU, another product, a skipped row),
	 * all of them take the full path as well (a second version bump only sends the SKU again).
	 *
	 * @param list<array{sku:string, mask:int, product_id:int, problems?:bool}> $marks Marks.
	 * @return list<array{sku:string, mask:int, product_id:int, problems?:bool}> The marks left for the full path.
	 * @throws StorageFailed On a database error.
	 */
	private function stock_only( array $marks ): array {
		global $wpdb;
		$stock = array();
		$rest  = array();
		foreach ( $marks as $mark ) {
			if ( ChangeMask::STOCK === $mark['mask'] && $mark['product_id'] > 0 ) {
				$stock[] = $mark;
			} else {
				$rest[] = $mark;
			}
		}
		if ( array() === $stock || count( $stock ) > self::CHUNK ) {
			return $marks;
		}
		$now   = Clock::mysql();
		$where = array();
		$args  = array( $now, $now, $now );
		foreach ( $stock as $mark ) {
			$where[] = '(sku = %s AND product_id = %d)';
			array_push( $args, $mark['sku'], $mark['product_id'] );
		}
		$table = OutboxTable::name();
		// Same assignments as upsert() for a usable row (left to right, each reading old values).
		$sql    = "UPDATE {$table} SET
				attempts = CASE WHEN state = 'dead' THEN 0 ELSE attempts END,
				next_attempt_at = NULL,
				change_mask = (change_mask & ~16) | 1,
				state = CASE WHEN state = 'failed' THEN 'failed' ELSE 'pending' END,
				dirty_since = CASE WHEN version > synced_version THEN COALESCE(dirty_since, %s) ELSE %s END,
				version = version + 1,
				priority = 0,
				updated_at = %s
			WHERE state <> 'skipped' AND (" . implode( ' OR ', $where ) . ')';
		$result = $wpdb->query( $wpdb->prepare( $sql, $args ) ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared -- placeholders only; table from prefix.
		if ( false === $result ) {
			throw StorageFailed::from_wpdb( 'upsert' );
		}
		return count( $stock ) === (int) $result ? $rest : $marks;
	}

	/**
	 * Decides owner, mask and state of each marked SKU.
	 *
	 * @param list<array{sku:string, mask:int, product_id:int, problems?:bool}> $marks   Marks.
	 * @param int[]                                                             $touched Receives every product involved.
	 * @param array<string, list<array{id:int, parent_id:int, type:string}>> $known Receives the resolved owners by "s:" . SKU.
	 * @return list<array{sku:string, product_id:int, parent_id:int, mask:int, state:string}>
	 */
	private function rows( array $marks, array &$touched, array &$known ): array {
		$owners = $this->owners->resolve( array_column( $marks, 'sku' ), array_column( $marks, 'product_id' ) );
		foreach ( $marks as $mark ) {
			$known[ 's:' . $mark['sku'] ] = $owners[ 's:' . $mark['sku'] ] ?? array();
		}
		$rows = array();
		foreach ( $marks as $mark ) {
			$held   = $owners[ 's:' . $mark['sku'] ] ?? array();
			$rows[] = $this->row( $mark, $held );
			if ( $mark['problems'] ?? ( 0 !== ( $mark['mask'] & ~ChangeMask::STOCK ) ) ) {
				// A stock quantity alone (an order) changes no problem, nor does a save the
				// capture knows changed only names or prices (the buffer says so); anything else may.
				$touched = array_merge( $touched, array( $mark['product_id'] ), array_column( $held, 'id' ) );
			}
		}
		return $rows;
	}

	/**
	 * One SKU's row values.
	 *
	 * A variation is usable whether or not its variable product has a SKU (keyCRM needs SKUs on
	 * offers only; the parent's keyCRM product id is kept on the parent, see ParentProduct).
	 *
	 * @param array{sku:string, mask:int, product_id:int}    $mark   The mark.
	 * @param list<array{id:int, parent_id:int, type:string}> $owners Live owners of the SKU.
	 * @return array{sku:string, product_id:int, parent_id:int, mask:int, state:string}
	 */
	private function row( array $mark, array $owners ): array {
		$mask   = $mark['mask'];
		$usable = null === SkuRules::problem( $mark['sku'] );
		$row    = array(
			'sku'        => $mark['sku'],
			'product_id' => $mark['product_id'],
			'parent_id'  => 0,
		);
		if ( array() === $owners ) {
			// Nobody holds the SKU any more: it left the shop.
			$mask = ( $mask | ChangeMask::RETIRE ) & ~ChangeMask::CREATE;
		} else {
			if ( $mask & ChangeMask::RETIRE ) {
				// Another product left the SKU but an owner remains: push the owner's data again.
				$mask = ( $mask & ~ChangeMask::RETIRE ) | ChangeMask::FULL;
			}
			$owner             = $owners[0];
			$row['product_id'] = $owner['id'];
			$row['parent_id']  = 'product_variation' === $owner['type'] ? $owner['parent_id'] : 0;
			if ( count( $owners ) > 1 ) {
				$usable = false; // Duplicate SKU.
			}
		}
		$row['mask']  = $mask;
		$row['state'] = $usable ? 'pending' : 'skipped';
		return $row;
	}

	/**
	 * One multi-row INSERT … ON DUPLICATE KEY UPDATE.
	 *
	 * Assignment order matters (MySQL/MariaDB evaluate left to right with updated values):
	 * attempts, next_attempt_at and change_mask read the old state before state is replaced.
	 * A new change clears any backoff (a failed row's fix is tried at once); attempts are kept
	 * (only a dead row starts again from 0).
	 * CASE, not IF(): the demo's SQLite translator evaluates IF() to its else branch.
	 *
	 * @param list<array{sku:string, product_id:int, parent_id:int, mask:int, state:string}> $rows Rows.
	 * @throws StorageFailed On a database error.
	 */
	private function upsert( array $rows ): void {
		global $wpdb;
		$now    = Clock::mysql();
		$values = array();
		$args   = array();
		foreach ( $rows as $r ) {
			$values[] = '(%s, %d, NULLIF(%d, 0), 1, 0, %d, 0, %s, %s, %s, %s)';
			array_push( $args, $r['sku'], $r['product_id'], $r['parent_id'], $r['mask'], $r['state'], $now, $now, $now );
		}
		$table  = OutboxTable::name();
		$sql    = "INSERT INTO {$table} (sku, product_id, parent_id, version, synced_version, change_mask, priority, state, created_at, updated_at, dirty_since)
			VALUES " . implode( ', ', $values ) . "
			ON DUPLICATE KEY UPDATE
				attempts = CASE WHEN state = 'dead' AND VALUES(state) = 'pending' THEN 0 ELSE attempts END,
				next_attempt_at = CASE WHEN VALUES(state) = 'pending' THEN NULL ELSE next_attempt_at END,
				change_mask = (CASE WHEN (VALUES(change_mask) & 16) <> 0 THEN change_mask & ~8 ELSE change_mask & ~16 END) | VALUES(change_mask)
					| (CASE WHEN state = 'skipped' AND VALUES(state) = 'pending' THEN 15 ELSE 0 END),
				state = CASE WHEN VALUES(state) = 'skipped' THEN 'skipped' WHEN state = 'failed' THEN 'failed' ELSE 'pending' END,
				dirty_since = CASE WHEN version > synced_version THEN COALESCE(dirty_since, VALUES(dirty_since)) ELSE VALUES(dirty_since) END,
				version = version + 1,
				priority = 0,
				product_id = VALUES(product_id),
				parent_id = VALUES(parent_id),
				updated_at = VALUES(updated_at)";
		$result = $wpdb->query( $wpdb->prepare( $sql, $args ) ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared -- placeholders only; table from prefix.
		if ( false === $result ) {
			throw StorageFailed::from_wpdb( 'upsert' );
		}
	}
}
