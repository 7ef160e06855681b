<?php
/**
 * The keyCRM product of a variable product, kept on the product.
 *
 * @package KeyCrmSync
 */

declare( strict_types=1 );

namespace KeyCrmSync\Outbox;

/**
 * A variable product is one keyCRM product whose offers are its variations. Its keyCRM id is
 * kept in the product's post meta, not in an outbox row keyed by SKU: a parent without a SKU has
 * no row, and a parent whose SKU is renamed keeps its keyCRM product. The sender records it
 * before it adds any variation (an `ids-only` ack result with `parent_id`), so a sender that dies
 * midway never leaves a family split over two keyCRM products.
 */
final class ParentProduct {

	/** Post meta holding the keyCRM product id. */
	public const META = '_keycrm_sync_product_id';

	/**
	 * Records the keyCRM product id of a variable product.
	 *
	 * @param int $parent_id  WordPress product id.
	 * @param int $keycrm_id  keyCRM product id.
	 */
	public static function record( int $parent_id, int $keycrm_id ): void {
		if ( $parent_id <= 0 || $keycrm_id <= 0 || 'product' !== get_post_type( $parent_id ) ) {
			return;
		}
		update_post_meta( $parent_id, self::META, $keycrm_id );
	}

	/**
	 * The recorded keyCRM product id, or null.
	 *
	 * @param int $parent_id WordPress product id.
	 */
	public static function keycrm_id( int $parent_id ): ?int {
		$id = (int) get_post_meta( $parent_id, self::META, true );
		return $id > 0 ? $id : null;
	}
}
