<?php
/**
 * Which live products currently hold a SKU.
 *
 * @package KeyCrmSync
 */

declare( strict_types=1 );

namespace KeyCrmSync\Sku;

/**
 * Resolves SKUs to the live (not trashed) products and variations whose `_sku` is exactly that
 * SKU. Candidates come from WooCommerce's indexed SKU lookup table plus the products the changes
 * came from; each candidate is then checked against its `_sku` post meta byte for byte.
 */
final class SkuOwners {

	/**
	 * Live owners per SKU.
	 *
	 * @param string[] $skus          SKUs to resolve.
	 * @param int[]    $candidate_ids Products known to be involved (the sources of the changes).
	 * @return array<string, list<array{id:int, parent_id:int, type:string}>> Keyed by "s:" . SKU.
	 */
	public function resolve( array $skus, array $candidate_ids ): array {
		if ( array() === $skus ) {
			return array();
		}
		$want = array_fill_keys( array_map( static fn( $s ) => 's:' . $s, $skus ), true );
		$out  = array();
		foreach ( $this->sku_rows( $skus, $candidate_ids ) as $row ) {
			$key = 's:' . $row->sku;
			if ( isset( $want[ $key ] ) ) {
				$out[ $key ][] = array(
					'id'        => (int) $row->ID,
					'parent_id' => (int) $row->post_parent,
					'type'      => (string) $row->post_type,
				);
			}
		}
		return $out;
	}

	/**
	 * Live product/variation posts with their SKU, in one query (one round trip: this runs at the
	 * end of every request that changed a product): those whose SKU in WooCommerce's indexed
	 * lookup table matches (case-insensitively) one of the SKUs, plus the candidates. Two SELECTs
	 * joined by UNION ALL, not one with `OR` (MariaDB would scan the whole posts table); neither
	 * UNION DISTINCT nor ORDER BY, which cost a temporary table: duplicates are dropped and rows
	 * ordered by ID here.
	 *
	 * @param string[] $skus SKUs.
	 * @param int[]    $ids  Candidate post ids.
	 * @return object[] Rows with ID, post_parent, post_type, sku; ordered by ID.
	 */
	private function sku_rows( array $skus, array $ids ): array {
		global $wpdb;
		$ids    = array_values( array_filter( array_unique( array_map( 'intval', $ids ) ) ) );
		$lookup = $wpdb->prefix . 'wc_product_meta_lookup';
		$select = 'SELECT p.ID, p.post_parent, p.post_type, m.meta_value AS sku FROM ';
		$where  = " JOIN {$wpdb->postmeta} m ON m.post_id = p.ID AND m.meta_key = '_sku'
			WHERE p.post_type IN ('product', 'product_variation') AND p.post_status NOT IN ('trash', 'auto-draft') AND ";
		$sql    = $select . "{$lookup} l JOIN {$wpdb->posts} p ON p.ID = l.product_id" . $where . 'l.sku IN (' . implode( ',', array_fill( 0, count( $skus ), '%s' ) ) . ')';
		$args   = array_values( $skus );
		if ( array() !== $ids ) {
			$sql .= ' UNION ALL ' . $select . "{$wpdb->posts} p" . $where . 'p.ID IN (' . implode( ',', array_fill( 0, count( $ids ), '%d' ) ) . ')';
			$args = array_merge( $args, $ids );
		}
		$rows = array();
		foreach ( $wpdb->get_results( $wpdb->prepare( $sql, $args ) ) as $row ) { // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared,WordPress.DB.PreparedSQLPlaceholders.UnfinishedPrepare -- built from placeholders above.
			$rows[ sprintf( '%020d', $row->ID ) . "\0" . $row->sku ] = $row; // A row found by both SELECTs once.
		}
		ksort( $rows, SORT_STRING );
		return array_values( $rows );
	}
}
