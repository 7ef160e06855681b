<?php
/**
 * Outbox row → Item of the contract.
 *
 * @package KeyCrmSync
 */

declare( strict_types=1 );

namespace KeyCrmSync\Rest;

use KeyCrmSync\Infrastructure\Dates;

/**
 * Formats rows for GET /items.
 */
final class ItemFormatter {

	/**
	 * One Item.
	 *
	 * @param object $row Outbox row.
	 * @return array<string, mixed>
	 */
	public static function format( object $row ): array {
		$id      = null === $row->product_id ? null : (int) $row->product_id;
		$parent  = null === $row->parent_id ? null : (int) $row->parent_id;
		$product = $id ? wc_get_product( $id ) : null;
		$product = $product instanceof \WC_Product ? $product : null;
		return array(
			'sku'               => (string) $row->sku,
			'product_id'        => $id,
			'parent_id'         => $parent,
			'product_name'      => $product ? wp_strip_all_tags( $product->get_name( 'edit' ) ) : null,
			'edit_url'          => $id ? admin_url( 'post.php?post=' . ( $parent ?? $id ) . '&action=edit' ) : null,
			'type'              => $product ? $product->get_type() : null,
			'shop_stock'        => $product && $product->managing_stock() && null !== $product->get_stock_quantity() ? (float) $product->get_stock_quantity() : null,
			'pushed_stock'      => null === $row->pushed_stock ? null : (float) $row->pushed_stock,
			'keycrm_product_id' => null === $row->keycrm_product_id ? null : (int) $row->keycrm_product_id,
			'keycrm_offer_id'   => null === $row->keycrm_offer_id ? null : (int) $row->keycrm_offer_id,
			'state'             => (string) $row->state,
			'dirty'             => (int) $row->version > (int) $row->synced_version && 'skipped' !== $row->state,
			'attempts'          => (int) $row->attempts,
			'next_attempt_at'   => Dates::iso( $row->next_attempt_at ),
			'synced_at'         => Dates::iso( $row->synced_at ),
			'last_error'        => null === $row->last_error || '' === $row->last_error ? null : (string) $row->last_error,
			'last_error_code'   => null === $row->last_error_code || '' === $row->last_error_code ? null : (string) $row->last_error_code,
			'updated_at'        => Dates::iso( $row->updated_at ),
		);
	}
}
