<?php
/**
 * A claimed SKU's current values (ClaimedItem in the contract).
 *
 * @package KeyCrmSync
 */

declare( strict_types=1 );

namespace KeyCrmSync\Snapshot;

/**
 * Reads values at claim time, so the sender always pushes what the shop holds now.
 */
final class ItemSnapshot {

	/**
	 * Snapshots of claimed rows, loading products in chunks with primed caches.
	 *
	 * @param list<object> $rows Outbox rows.
	 * @return list<array<string, mixed>>
	 */
	public function for_rows( array $rows ): array {
		$out = array();
		foreach ( array_chunk( $rows, 200 ) as $chunk ) {
			$ids = array_filter( array_map( static fn( $r ) => (int) $r->product_id, $chunk ) );
			$ids = array_merge( $ids, array_filter( array_map( static fn( $r ) => (int) $r->parent_id, $chunk ) ) );
			_prime_post_caches( array_unique( $ids ), true, true );
			foreach ( $chunk as $row ) {
				$out[] = $this->item( $row );
			}
			if ( function_exists( 'wp_cache_flush_runtime' ) && count( $rows ) > 200 ) {
				wp_cache_flush_runtime(); // Keeps memory flat for large claims.
			}
		}
		return $out;
	}

	/**
	 * One ClaimedItem.
	 *
	 * @param object $row Outbox row.
	 * @return array<string, mixed>
	 */
	public function item( object $row ): array {
		$sku     = (string) $row->sku;
		$product = $row->product_id ? wc_get_product( (int) $row->product_id ) : null;
		$live    = $product instanceof \WC_Product && $sku === (string) $product->get_sku( 'edit' ) && ! in_array( $product->get_status( 'edit' ), array( 'trash', 'auto-draft' ), true );
		$base    = array(
			'sku'                 => $sku,
			'version'             => (int) $row->version,
			'change_mask'         => (int) $row->change_mask,
			'retired'             => ! $live,
			'product_id'          => null === $row->product_id ? null : (int) $row->product_id,
			'parent_id'           => null === $row->parent_id ? null : (int) $row->parent_id,
			'keycrm_product_id'   => null === $row->keycrm_product_id ? null : (int) $row->keycrm_product_id,
			'keycrm_offer_id'     => null === $row->keycrm_offer_id ? null : (int) $row->keycrm_offer_id,
			'pushed_stock'        => null === $row->pushed_stock ? null : (float) $row->pushed_stock,
			'pushed_offer_hash'   => $row->pushed_offer_hash,
			'pushed_product_hash' => $row->pushed_product_hash,
			'attempts'            => (int) $row->attempts,
			'weight_unit'         => (string) get_option( 'woocommerce_weight_unit', 'kg' ),
			'dimension_unit'      => (string) get_option( 'woocommerce_dimension_unit', 'cm' ),
		);
		$values = $live ? ProductValues::of( $product ) : ProductValues::absent( $product instanceof \WC_Product ? $product : null );
		return $base + $values;
	}
}
