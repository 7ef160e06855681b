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
		$ids  = array_unique( array_merge( $this->lookup_ids( $skus ), array_map( 'intval', $candidate_ids ) ) );
		foreach ( $this->sku_rows( $ids ) as $row ) {
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
	 * Product ids whose SKU in WooCommerce's indexed lookup table matches (case-insensitively)
	 * one of the SKUs. A separate query on purpose: combined with the id list by OR, MariaDB
	 * would scan the whole posts table.
	 *
	 * @param string[] $skus SKUs.
	 * @return int[]
	 */
	private function lookup_ids( array $skus ): array {
		global $wpdb;
		$table = $wpdb->prefix . 'wc_product_meta_lookup';
		$in    = implode( ',', array_fill( 0, count( $skus ), '%s' ) );
		return array_map( 'intval', $wpdb->get_col( $wpdb->prepare( "SELECT product_id FROM {$table} WHERE sku IN ($in)", $skus ) ) ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared,WordPress.DB.PreparedSQLPlaceholders.UnfinishedPrepare -- table from prefix, $in is placeholders.
	}

	/**
	 * Live product/variation posts with their SKU.
	 *
	 * @param int[] $ids Post ids.
	 * @return object[] Rows with ID, post_parent, post_type, sku.
	 */
	private function sku_rows( array $ids ): array {
		global $wpdb;
		$ids = array_values( array_filter( $ids ) );
		if ( array() === $ids ) {
			return array();
		}
		$in  = implode( ',', array_fill( 0, count( $ids ), '%d' ) );
		$sql = "SELECT p.ID, p.post_parent, p.post_type, m.meta_value AS sku
			FROM {$wpdb->posts} p JOIN {$wpdb->postmeta} m ON m.post_id = p.ID AND m.meta_key = '_sku'
			WHERE p.ID IN ($in) AND p.post_type IN ('product', 'product_variation') AND p.post_status NOT IN ('trash', 'auto-draft')";
		return $wpdb->get_results( $wpdb->prepare( $sql, $ids ) ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared -- built from placeholders above.
	}
}
