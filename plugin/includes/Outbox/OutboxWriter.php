<?php
/**
 * Writes captured marks to the outbox.
 *
 * @package KeyCrmSync
 */

declare( strict_types=1 );

namespace KeyCrmSync\Outbox;

use KeyCrmSync\Capture\SkuRules;
use KeyCrmSync\Exception\StorageFailed;

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
	 * Upserts the marks.
	 *
	 * @param list<array{sku:string, mask:int, product_id:int}> $marks Marks from the buffer.
	 * @throws StorageFailed When the database refuses the statement.
	 */
	public function write( array $marks ): void {
		$rows = $this->rows( $marks );
		foreach ( array_chunk( $rows, self::CHUNK ) as $chunk ) {
			$this->upsert( $chunk );
		}
	}

	/**
	 * Decides owner, mask and state of each marked SKU.
	 *
	 * @param list<array{sku:string, mask:int, product_id:int}> $marks Marks.
	 * @return list<array{sku:string, product_id:int, parent_id:int, mask:int, state:string}>
	 */
	private function rows( array $marks ): array {
		$owners     = $this->owners->resolve( array_column( $marks, 'sku' ), array_column( $marks, 'product_id' ) );
		$parent_ids = array();
		foreach ( $owners as $list ) {
			foreach ( $list as $owner ) {
				if ( 'product_variation' === $owner['type'] ) {
					$parent_ids[] = $owner['parent_id'];
				}
			}
		}
		$parent_skus = $this->owners->skus_of( $parent_ids );
		$rows        = array();
		foreach ( $marks as $mark ) {
			$rows[] = $this->row( $mark, $owners[ 's:' . $mark['sku'] ] ?? array(), $parent_skus );
		}
		return $rows;
	}

	/**
	 * One SKU's row values.
	 *
	 * @param array{sku:string, mask:int, product_id:int}           $mark        The mark.
	 * @param list<array{id:int, parent_id:int, type:string}>        $owners      Live owners of the SKU.
	 * @param array<int, string>                                     $parent_skus SKUs of variation parents.
	 * @return array{sku:string, product_id:int, parent_id:int, mask:int, state:string}
	 */
	private function row( array $mark, array $owners, array $parent_skus ): array {
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
			} elseif ( $row['parent_id'] > 0 && '' === ( $parent_skus[ $row['parent_id'] ] ?? '' ) ) {
				$usable = false; // Variation of a parent without a SKU.
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
	 *
	 * @param list<array{sku:string, product_id:int, parent_id:int, mask:int, state:string}> $rows Rows.
	 * @throws StorageFailed On a database error.
	 */
	private function upsert( array $rows ): void {
		global $wpdb;
		$now    = gmdate( 'Y-m-d H:i:s' );
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
				attempts = IF(state = 'dead' AND VALUES(state) = 'pending', 0, attempts),
				next_attempt_at = IF(VALUES(state) = 'pending', NULL, next_attempt_at),
				change_mask = IF(VALUES(change_mask) & 16, change_mask & ~8, change_mask & ~16) | VALUES(change_mask)
					| IF(state = 'skipped' AND VALUES(state) = 'pending', 15, 0),
				state = IF(VALUES(state) = 'skipped', 'skipped', IF(state = 'failed', 'failed', 'pending')),
				dirty_since = IF(version > synced_version, COALESCE(dirty_since, VALUES(dirty_since)), VALUES(dirty_since)),
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
