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
	 * Snapshots of claimed rows as JSON text per item (what the claim route sends): memory stays
	 * near the size of the response, also for 10,000 items. An item whose values cannot be
	 * encoded (a price meta of `1e999` reads as INF) is left out and returned as that SKU's
	 * failure, so it never turns the whole claim into something the sender must refuse.
	 *
	 * @param list<object> $rows Outbox rows.
	 * @return array{items: list<EncodedItem>, unencodable: list<array{sku: string, version: int, outcome: string, code: string, error: string}>}
	 */
	public function for_rows_encoded( array $rows ): array {
		$items       = array();
		$unencodable = array();
		foreach ( $this->for_rows( $rows, true ) as $item ) {
			if ( $item instanceof EncodedItem ) {
				$items[] = $item;
			} else {
				$unencodable[] = $item;
			}
		}
		return array(
			'items'       => $items,
			'unencodable' => $unencodable,
		);
	}

	/**
	 * Snapshots of claimed rows, loading products in chunks with primed caches.
	 *
	 * @param list<object> $rows    Outbox rows.
	 * @param bool         $encoded Return EncodedItem objects instead of arrays (and, for an item
	 *                              that cannot be encoded, a failed AckResult).
	 * @return list<array<string, mixed>>|list<EncodedItem|array<string, mixed>>
	 */
	public function for_rows( array $rows, bool $encoded = false ): array {
		$out = array();
		foreach ( array_chunk( $rows, 200 ) as $chunk ) {
			$ids = array_filter( array_map( static fn( $r ) => (int) $r->product_id, $chunk ) );
			$ids = array_merge( $ids, array_filter( array_map( static fn( $r ) => (int) $r->parent_id, $chunk ) ) );
			_prime_post_caches( array_unique( $ids ), true, true );
			$known = $this->parent_keycrm_ids( $chunk );
			foreach ( $chunk as $row ) {
				$item                             = $this->item( $row );
				$item['parent_keycrm_product_id'] = null === $item['parent_id'] ? null : ( $known[ (int) $item['parent_id'] ] ?? null );
				$out[]                            = $encoded ? self::encode( $item ) : $item;
			}
			if ( function_exists( 'wp_cache_flush_runtime' ) && count( $rows ) > 200 ) {
				wp_cache_flush_runtime(); // Keeps memory flat for large claims.
			}
		}
		return $out;
	}

	/**
	 * One item as JSON text, or the failed AckResult of an item that cannot be encoded.
	 *
	 * @param array<string, mixed> $item ClaimedItem.
	 * @return EncodedItem|array{sku: string, version: int, outcome: string, code: string, error: string}
	 */
	private static function encode( array $item ) {
		$json = wp_json_encode( $item );
		if ( false !== $json ) {
			return new EncodedItem( $json );
		}
		return self::failure( $item );
	}

	/**
	 * For the runner inside WordPress: the failed AckResult of an item that cannot be encoded
	 * (a price meta of `1e999` is INF), else null.
	 *
	 * @param array<string, mixed> $item ClaimedItem.
	 * @return array{sku: string, version: int, outcome: string, code: string, error: string}|null
	 */
	public static function unencodable( array $item ): ?array {
		return false === wp_json_encode( $item ) ? self::failure( $item ) : null;
	}

	/**
	 * The failed AckResult of an item that cannot be encoded, naming the field.
	 *
	 * @param array<string, mixed> $item ClaimedItem.
	 * @return array{sku: string, version: int, outcome: string, code: string, error: string}
	 */
	private static function failure( array $item ): array {
		$bad = array_keys( array_filter( $item, static fn( $v ) => is_float( $v ) && ! is_finite( $v ) ) );
		return array(
			'sku'     => (string) $item['sku'],
			'version' => (int) $item['version'],
			'outcome' => 'failed',
			'code'    => 'unencodable',
			'error'   => array() === $bad
				? sprintf( 'The product\'s values cannot be sent (%s). Check its fields for text that is not UTF-8.', json_last_error_msg() )
				: sprintf( 'The product\'s values cannot be sent: %s is not a finite number. Correct it and save the product.', implode( ', ', $bad ) ),
		);
	}

	/**
	 * keyCRM product ids of the variable parents of these rows: recorded on the parent product
	 * (ParentProduct), else learnt from any row of the same parent (the parent's own row or a
	 * sibling variation).
	 *
	 * @param list<object> $rows Outbox rows.
	 * @return array<int, int> Parent id => keyCRM product id.
	 */
	private function parent_keycrm_ids( array $rows ): array {
		global $wpdb;
		$parents = array_values( array_unique( array_filter( array_map( static fn( $r ) => (int) $r->parent_id, $rows ) ) ) );
		if ( array() === $parents ) {
			return array();
		}
		$table = \KeyCrmSync\Outbox\OutboxTable::name();
		$in    = implode( ',', array_fill( 0, count( $parents ), '%d' ) );
		$sql   = "SELECT COALESCE(parent_id, product_id) AS pid, MAX(keycrm_product_id) AS kid FROM {$table}
			WHERE (parent_id IN ($in) OR (parent_id IS NULL AND product_id IN ($in))) AND keycrm_product_id IS NOT NULL
			GROUP BY COALESCE(parent_id, product_id)";
		$out   = array();
		foreach ( $wpdb->get_results( $wpdb->prepare( $sql, array_merge( $parents, $parents ) ) ) as $r ) { // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared -- placeholders only.
			$out[ (int) $r->pid ] = (int) $r->kid;
		}
		foreach ( $parents as $parent ) {
			$recorded = \KeyCrmSync\Outbox\ParentProduct::keycrm_id( $parent ); // Primed with the chunk's post meta.
			if ( null !== $recorded ) {
				$out[ $parent ] = $recorded;
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
			'sku'                      => $sku,
			'version'                  => (int) $row->version,
			'change_mask'              => (int) $row->change_mask,
			'retired'                  => ! $live,
			'product_id'               => null === $row->product_id ? null : (int) $row->product_id,
			'parent_id'                => null === $row->parent_id ? null : (int) $row->parent_id,
			'keycrm_product_id'        => null === $row->keycrm_product_id ? null : (int) $row->keycrm_product_id,
			'keycrm_offer_id'          => null === $row->keycrm_offer_id ? null : (int) $row->keycrm_offer_id,
			'pushed_stock'             => null === $row->pushed_stock ? null : (float) $row->pushed_stock,
			'pushed_offer_hash'        => $row->pushed_offer_hash,
			'pushed_product_hash'      => $row->pushed_product_hash,
			'attempts'                 => (int) $row->attempts,
			'reclaimed'                => (bool) ( $row->reclaimed ?? false ),
			'parent_keycrm_product_id' => null,
			'weight_unit'              => (string) get_option( 'woocommerce_weight_unit', 'kg' ),
			'dimension_unit'           => (string) get_option( 'woocommerce_dimension_unit', 'cm' ),
		);
		$values  = $live ? ProductValues::of( $product ) : ProductValues::absent( $product instanceof \WC_Product ? $product : null );
		return $base + $values;
	}
}
