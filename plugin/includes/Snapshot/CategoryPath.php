<?php
/**
 * A product's category path and the keyCRM categories remembered for it.
 *
 * @package KeyCrmSync
 */

declare( strict_types=1 );

namespace KeyCrmSync\Snapshot;

/**
 * The category sent to keyCRM is the product's primary category: Yoast SEO's primary category
 * (`_yoast_wpseo_primary_product_cat`) when it is one of the product's categories, else the first
 * in WooCommerce's category order (WooCommerce has no primary category of its own). WooCommerce's
 * default category ("Uncategorized", where it puts products without a category) counts as none.
 * A variation's is its variable product's. Each level remembers, in term meta, the keyCRM category it was found
 * or created as, with the name and keyCRM parent it was matched for: a renamed or moved category
 * (or one under a renamed or moved parent) is matched again instead of reusing a stale id.
 */
final class CategoryPath {

	/** Term meta: array{id:int, name:string, parent:int|null}. */
	public const META = '_keycrm_sync_category';

	/** Yoast SEO's primary product category (a term id), on the product. */
	public const PRIMARY_META = '_yoast_wpseo_primary_product_cat';

	/**
	 * The primary category's term id, or null when the product has none.
	 *
	 * @param \WC_Product $product Product (not a variation).
	 */
	public static function primary_term( \WC_Product $product ): ?int {
		// WooCommerce's default category ("Uncategorized") is where it puts products without one.
		$default = (int) get_option( 'default_product_cat', 0 );
		$ids     = array_values( array_diff( array_map( 'intval', $product->get_category_ids( 'edit' ) ), array( $default ) ) );
		if ( array() === $ids ) {
			return null;
		}
		$primary = (int) $product->get_meta( self::PRIMARY_META, true, 'edit' );
		return in_array( $primary, $ids, true ) ? $primary : $ids[0];
	}

	/**
	 * The path of the primary category, root first, with the remembered keyCRM ids that still
	 * hold (null from the first level renamed or moved since), or null.
	 *
	 * @param \WC_Product $product Product (not a variation).
	 * @return list<array{term_id:int, name:string, keycrm_id:int|null}>|null
	 */
	public static function of( \WC_Product $product ): ?array {
		$term_id = self::primary_term( $product );
		if ( null === $term_id ) {
			return null;
		}
		$chain  = array_reverse( array_merge( array( $term_id ), array_map( 'intval', get_ancestors( $term_id, 'product_cat', 'taxonomy' ) ) ) );
		$path   = array();
		$parent = null;
		foreach ( $chain as $id ) {
			$term = get_term( $id, 'product_cat' );
			if ( ! $term instanceof \WP_Term ) {
				return null;
			}
			$name   = self::name( $term );
			$known  = get_term_meta( $id, self::META, true );
			$valid  = ( array() === $path || null !== $parent ) && is_array( $known ) && ( $known['name'] ?? null ) === $name && ( $known['parent'] ?? null ) === $parent;
			$parent = $valid ? (int) $known['id'] : null;
			$path[] = array(
				'term_id'   => $id,
				'name'      => $name,
				'keycrm_id' => $parent,
			);
		}
		return $path;
	}

	/**
	 * Remembers the keyCRM category of a product category.
	 *
	 * @param int      $term_id   Term id.
	 * @param int      $keycrm_id keyCRM category id.
	 * @param string   $name      Name it was matched for.
	 * @param int|null $parent_id keyCRM parent it was matched under.
	 */
	public static function remember( int $term_id, int $keycrm_id, string $name, ?int $parent_id ): void {
		$term = get_term( $term_id, 'product_cat' );
		if ( ! $term instanceof \WP_Term || $keycrm_id <= 0 ) {
			return;
		}
		update_term_meta(
			$term_id,
			self::META,
			array(
				'id'     => $keycrm_id,
				'name'   => $name,
				'parent' => $parent_id,
			)
		);
	}

	/**
	 * A term's name as shown (WordPress stores `&` as `&amp;`).
	 *
	 * @param \WP_Term $term Term.
	 */
	private static function name( \WP_Term $term ): string {
		return trim( html_entity_decode( $term->name, ENT_QUOTES | ENT_HTML5, 'UTF-8' ) );
	}
}
