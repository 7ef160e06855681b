<?php
/**
 * Which live products currently hold a SKU.
 *
 * @package KeyCrmSync
 */

declare( strict_types=1 );

namespace KeyCrmSync\Outbox;

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
		foreach ( $this->sku_rows( $skus, array_map( 'intval', $candidate_ids ) ) as $row ) {
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
	 * `_sku` of the given posts (parents of variations), keyed by post id.
	 *
	 * @param int[] $ids Post ids.
	 * @return array<int, string>
	 */
	public function skus_of( array $ids ): array {
		global $wpdb;
		$ids = array_values( array_filter( array_unique( array_map( 'intval', $ids ) ) ) );
		if ( array() === $ids ) {
			return array();
		}
		$in   = implode( ',', array_fill( 0, count( $ids ), '%d' ) );
		$rows = $wpdb->get_results( $wpdb->prepare( "SELECT post_id, meta_value FROM {$wpdb->postmeta} WHERE meta_key = '_sku' AND post_id IN ($in)", $ids ) ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared,WordPress.DB.PreparedSQLPlaceholders.UnfinishedPrepare -- $in is a list of %d placeholders.
		$out  = array();
		foreach ( $rows as $row ) {
			$out[ (int) $row->post_id ] = (string) $row->meta_value;
		}
		return $out;
	}

	/**
	 * Live product/variation posts with their SKU, among the candidates and the products whose
	 * SKU in WooCommerce's lookup table matches (case-insensitively) one of the SKUs. One query.
	 *
	 * @param string[] $skus SKUs.
	 * @param int[]    $ids  Candidate post ids.
	 * @return object[] Rows with ID, post_parent, post_type, sku.
	 */
	private function sku_rows( array $skus, array $ids ): array {
		global $wpdb;
		$ids    = array_values( array_filter( $ids ) );
		$lookup = $wpdb->prefix . 'wc_product_meta_lookup';
		$in_ids = array() === $ids ? '0' : implode( ',', array_fill( 0, count( $ids ), '%d' ) );
		$in_sku = implode( ',', array_fill( 0, count( $skus ), '%s' ) );
		$sql    = "SELECT p.ID, p.post_parent, p.post_type, m.meta_value AS sku
			FROM {$wpdb->posts} p JOIN {$wpdb->postmeta} m ON m.post_id = p.ID AND m.meta_key = '_sku'
			WHERE (p.ID IN ($in_ids) OR p.ID IN (SELECT product_id FROM {$lookup} WHERE sku IN ($in_sku)))
				AND p.post_type IN ('product', 'product_variation') AND p.post_status NOT IN ('trash', 'auto-draft')";
		return $wpdb->get_results( $wpdb->prepare( $sql, array_merge( $ids, $skus ) ) ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared -- built from placeholders above.
	}
}
