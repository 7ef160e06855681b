<?php
/**
 * Re-queues the SKUs a changed setting affects.
 *
 * @package KeyCrmSync
 */

declare( strict_types=1 );

namespace KeyCrmSync\Outbox;

use KeyCrmSync\Exception\StorageFailed;
use KeyCrmSync\Infrastructure\Dates;

/**
 * Set-based marks (like "Resync all", but only the rows a setting, or a renamed or moved product
 * category, changes what is sent for), as bulk work (priority 1), so live changes still go first.
 */
final class SettingsRequeue {

	/**
	 * "Quantity sent for in-stock items without managed stock" changed: marks the stock of every
	 * SKU whose product does not manage stock (nor takes it from a variable product that does)
	 * and is in stock or on backorder.
	 *
	 * @return int Rows marked.
	 * @throws StorageFailed On a database error.
	 */
	public function untracked_stock(): int {
		global $wpdb;
		return $this->mark(
			"JOIN {$wpdb->postmeta} ss ON ss.post_id = p.ID AND ss.meta_key = '_stock_status' AND ss.meta_value IN ('instock', 'onbackorder')
			LEFT JOIN {$wpdb->postmeta} ms ON ms.post_id = p.ID AND ms.meta_key = '_manage_stock'
			LEFT JOIN {$wpdb->postmeta} pms ON p.post_type = 'product_variation' AND pms.post_id = p.post_parent AND pms.meta_key = '_manage_stock'",
			"COALESCE(ms.meta_value, 'no') <> 'yes' AND COALESCE(pms.meta_value, 'no') <> 'yes'",
			ChangeMask::STOCK,
			array()
		);
	}

	/**
	 * The statuses created in keyCRM changed: marks every SKU keyCRM does not hold yet whose
	 * product (or variable parent) has one of these statuses.
	 *
	 * @param string[] $statuses Statuses added to or removed from the setting.
	 * @return int Rows marked.
	 * @throws StorageFailed On a database error.
	 */
	public function statuses( array $statuses ): int {
		global $wpdb;
		$in = implode( ',', array_fill( 0, count( $statuses ), '%s' ) );
		return $this->mark_new_skus(
			"LEFT JOIN {$wpdb->posts} pp ON p.post_type = 'product_variation' AND pp.ID = p.post_parent",
			"(p.post_status IN ($in) OR pp.post_status IN ($in))",
			array_merge( array_values( $statuses ), array_values( $statuses ) )
		);
	}

	/**
	 * "Create external products" changed: marks every external product keyCRM does not hold yet.
	 *
	 * @return int Rows marked.
	 * @throws StorageFailed On a database error.
	 */
	public function external(): int {
		global $wpdb;
		return $this->mark_new_skus(
			"JOIN {$wpdb->term_relationships} tr ON tr.object_id = p.ID
			JOIN {$wpdb->term_taxonomy} tt ON tt.term_taxonomy_id = tr.term_taxonomy_id AND tt.taxonomy = 'product_type'
			JOIN {$wpdb->terms} t ON t.term_id = tt.term_id AND t.slug = 'external'",
			'1 = 1',
			array()
		);
	}

	/**
	 * Product categories renamed, moved or deleted: marks the product data of every SKU whose
	 * product (or variable parent) is in one of them, so its category path is sent again.
	 *
	 * @param int[] $term_ids Category term ids (with their subcategories).
	 * @return int Rows marked.
	 * @throws StorageFailed On a database error.
	 */
	public function categories( array $term_ids ): int {
		global $wpdb;
		$term_ids = array_values( array_unique( array_map( 'intval', $term_ids ) ) );
		if ( array() === $term_ids ) {
			return 0;
		}
		$in = implode( ',', array_fill( 0, count( $term_ids ), '%d' ) );
		return $this->mark(
			"JOIN {$wpdb->term_relationships} tr ON tr.object_id = CASE WHEN p.post_type = 'product_variation' THEN p.post_parent ELSE p.ID END
			JOIN {$wpdb->term_taxonomy} tt ON tt.term_taxonomy_id = tr.term_taxonomy_id AND tt.taxonomy = 'product_cat'",
			"tt.term_id IN ($in)",
			ChangeMask::PRODUCT,
			array_map( 'strval', $term_ids )
		);
	}

	/**
	 * Marks (all data and creation) the rows of live products matching $where that keyCRM does
	 * not hold as far as the outbox knows (never created: a create was held back by the settings).
	 *
	 * @param string       $join  Extra joins on the product `p`.
	 * @param string       $where Condition (placeholders for $args).
	 * @param list<string> $args  Values.
	 * @return int Rows marked.
	 * @throws StorageFailed On a database error.
	 */
	private function mark_new_skus( string $join, string $where, array $args ): int {
		return $this->mark( $join, "o.keycrm_offer_id IS NULL AND o.pushed_offer_hash IS NULL AND o.pushed_stock IS NULL AND {$where}", ChangeMask::FULL, $args );
	}

	/**
	 * Marks the live outbox rows the join and condition select (dirty, version + 1, the mask).
	 *
	 * @param string       $join  SQL joins on `o` (outbox) and `p` (post).
	 * @param string       $where SQL condition.
	 * @param int          $mask  Change mask to add.
	 * @param list<string> $args  Values of the condition's placeholders.
	 * @return int Rows marked.
	 * @throws StorageFailed On a database error.
	 */
	private function mark( string $join, string $where, int $mask, array $args ): int {
		global $wpdb;
		$table = OutboxTable::name();
		$now   = Dates::mysql();
		// phpcs:disable WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- table names from $wpdb; values are placeholders.
		$sql      = "UPDATE {$table} o
			JOIN {$wpdb->posts} p ON p.ID = o.product_id AND p.post_type IN ('product', 'product_variation') AND p.post_status NOT IN ('trash', 'auto-draft')
			{$join}
			SET o.dirty_since = CASE WHEN o.version > o.synced_version THEN COALESCE(o.dirty_since, %s) ELSE %s END,
				o.priority = CASE WHEN o.version > o.synced_version THEN o.priority ELSE 1 END,
				o.version = o.version + 1,
				o.change_mask = o.change_mask | %d,
				o.state = CASE WHEN o.state = 'failed' THEN 'failed' ELSE 'pending' END,
				o.updated_at = %s
			WHERE o.state IN ('pending', 'synced', 'failed') AND {$where}";
		$affected = $wpdb->query( $wpdb->prepare( $sql, array_merge( array( $now, $now, $mask, $now ), $args ) ) ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared,WordPress.DB.PreparedSQLPlaceholders.UnfinishedPrepare
		// phpcs:enable
		if ( false === $affected ) {
			throw StorageFailed::from_wpdb( 'requeue' );
		}
		return (int) $affected;
	}
}
