<?php
/**
 * Bits of the outbox's change_mask (same values as ChangeMask in src/contract/plugin-rest.ts).
 *
 * @package KeyCrmSync
 */

declare( strict_types=1 );

namespace KeyCrmSync\Outbox;

/**
 * What changed for a SKU since keyCRM was last known to match.
 */
final class ChangeMask {
	/** Stock quantity, stock status or manage-stock flag. */
	public const STOCK = 1;
	/** Offer data keyCRM bulk-updates: prices, weight, size, image. */
	public const OFFER = 2;
	/** Product data: name, description, category, pictures, attributes. */
	public const PRODUCT = 4;
	/** The SKU is new to the shop (may not exist in keyCRM yet). */
	public const CREATE = 8;
	/** The SKU left the shop (deleted, trashed, renamed away). */
	public const RETIRE = 16;
	/** Every data bit (no retire). */
	public const DATA = self::STOCK | self::OFFER | self::PRODUCT;
	/** A (re)appearing SKU: create it and push everything. */
	public const FULL = self::DATA | self::CREATE;
	/** Every bit. */
	public const ALL = 31;

	/** WooCommerce product props and the bit each one belongs to. */
	private const PROP_BITS = array(
		'stock_quantity'    => self::STOCK,
		'stock_status'      => self::STOCK,
		'manage_stock'      => self::STOCK | self::PRODUCT, // Also a problem-list change (stock shared by variations).
		'backorders'        => self::STOCK,
		'price'             => self::OFFER,
		'regular_price'     => self::OFFER,
		'sale_price'        => self::OFFER,
		'date_on_sale_from' => self::OFFER,
		'date_on_sale_to'   => self::OFFER,
		'weight'            => self::OFFER,
		'length'            => self::OFFER,
		'width'             => self::OFFER,
		'height'            => self::OFFER,
		'image_id'          => self::OFFER | self::PRODUCT,
		'name'              => self::PRODUCT,
		'description'       => self::PRODUCT,
		'short_description' => self::PRODUCT,
		'category_ids'      => self::PRODUCT,
		'gallery_image_ids' => self::PRODUCT,
		'attributes'        => self::PRODUCT,
		'status'            => self::PRODUCT,
		'parent_id'         => self::PRODUCT,
		'global_unique_id'  => self::PRODUCT,
	);

	/** Post meta keys watched by the direct-write safety net, and their bits (_sku is handled apart). */
	public const META_BITS = array(
		'_stock'            => self::STOCK,
		'_stock_status'     => self::STOCK,
		'_manage_stock'     => self::STOCK | self::PRODUCT,
		'_price'            => self::OFFER,
		'_regular_price'    => self::OFFER,
		'_sale_price'       => self::OFFER,
		'_global_unique_id' => self::PRODUCT,
	);

	/**
	 * Mask for a set of changed WooCommerce props (keys of WC_Data::get_changes()).
	 *
	 * @param array<int|string> $props Changed prop names.
	 */
	public static function for_props( array $props ): int {
		$mask = 0;
		foreach ( $props as $prop ) {
			$mask |= self::PROP_BITS[ $prop ] ?? 0;
		}
		return $mask;
	}
}
