<?php
/**
 * Product fields of a ClaimedItem.
 *
 * @package KeyCrmSync
 */

declare( strict_types=1 );

namespace KeyCrmSync\Snapshot;

/**
 * Maps a WC_Product to the product fields of the contract's ClaimedItem.
 */
final class ProductValues {

	/**
	 * Fields of a live product or variation.
	 *
	 * @param \WC_Product $product Product.
	 * @return array<string, mixed>
	 */
	public static function of( \WC_Product $product ): array {
		$parent = $product->get_parent_id() ? wc_get_product( $product->get_parent_id() ) : null;
		$parent = $parent instanceof \WC_Product ? $parent : null;
		$main   = $parent ?? $product;
		$desc   = (string) $product->get_description( 'edit' );
		return array(
			'parent_id'          => $parent ? $parent->get_id() : null,
			'parent_sku'         => $parent ? (string) $parent->get_sku( 'edit' ) : null,
			'parent_name'        => $parent ? wp_strip_all_tags( (string) $parent->get_name( 'edit' ) ) : null,
			'parent_status'      => $parent ? (string) $parent->get_status( 'edit' ) : null,
			'parent_description' => $parent ? (string) $parent->get_description( 'edit' ) : null,
			'type'               => self::type( $product ),
			'status'             => (string) $product->get_status( 'edit' ),
			'name'               => wp_strip_all_tags( (string) $product->get_name( 'edit' ) ),
			'description'        => '' !== $desc ? $desc : (string) $main->get_description( 'edit' ),
			'price'              => self::num( $product->get_price( 'edit' ) ),
			'regular_price'      => self::num( $product->get_regular_price( 'edit' ) ),
			'sale_price'         => self::num( $product->get_sale_price( 'edit' ) ),
			'purchased_price'    => self::num( $product->get_meta( '_keycrm_purchased_price', true, 'edit' ) ),
			'weight'             => self::num( $product->get_weight() ),
			'length'             => self::num( $product->get_length() ),
			'width'              => self::num( $product->get_width() ),
			'height'             => self::num( $product->get_height() ),
			'image_url'          => self::image( (int) $product->get_image_id() ) ?? self::image( (int) $main->get_image_id() ),
			'pictures'           => self::pictures( $main ),
			'category'           => self::category( $main ),
			'category_path'      => CategoryPath::of( $main ),
			'barcode'            => self::barcode( $product ),
			'attributes'         => self::attributes( $product ),
			'manage_stock'       => (bool) $product->managing_stock(),
			'stock_quantity'     => $product->managing_stock() ? self::num( $product->get_stock_quantity() ) : null,
			'stock_status'       => (string) $product->get_stock_status(),
		);
	}

	/**
	 * Fields of a SKU that no longer belongs to a live product.
	 *
	 * @param \WC_Product|null $product The last known product, when it still exists.
	 * @return array<string, mixed>
	 */
	public static function absent( ?\WC_Product $product ): array {
		return array(
			'parent_sku'         => null,
			'parent_name'        => null,
			'parent_status'      => null,
			'parent_description' => null,
			'type'               => $product ? self::type( $product ) : null,
			'status'             => $product ? (string) $product->get_status( 'edit' ) : null,
			'name'               => $product ? wp_strip_all_tags( (string) $product->get_name( 'edit' ) ) : null,
			'description'        => null,
			'price'              => null,
			'regular_price'      => null,
			'sale_price'         => null,
			'purchased_price'    => null,
			'weight'             => null,
			'length'             => null,
			'width'              => null,
			'height'             => null,
			'image_url'          => null,
			'pictures'           => array(),
			'category'           => null,
			'category_path'      => null,
			'barcode'            => null,
			'attributes'         => array(),
			'manage_stock'       => false,
			'stock_quantity'     => null,
			'stock_status'       => null,
		);
	}

	/**
	 * Contract product type.
	 *
	 * @param \WC_Product $product Product.
	 */
	private static function type( \WC_Product $product ): string {
		$type = $product->get_type();
		return in_array( $type, array( 'simple', 'variable', 'variation', 'grouped', 'external' ), true ) ? $type : 'other';
	}

	/**
	 * Numeric string → float; '' / null → null.
	 *
	 * @param mixed $value Value.
	 */
	private static function num( $value ): ?float {
		return is_numeric( $value ) ? (float) $value : null;
	}

	/**
	 * Full-size URL of an attachment.
	 *
	 * @param int $id Attachment id.
	 */
	private static function image( int $id ): ?string {
		$url = $id > 0 ? wp_get_attachment_url( $id ) : false;
		return is_string( $url ) && '' !== $url ? $url : null;
	}

	/**
	 * Main image first, then the gallery.
	 *
	 * @param \WC_Product $product Product.
	 * @return list<string>
	 */
	private static function pictures( \WC_Product $product ): array {
		$ids = array_merge( array( (int) $product->get_image_id() ), array_map( 'intval', $product->get_gallery_image_ids() ) );
		return array_values( array_filter( array_map( array( self::class, 'image' ), array_unique( array_filter( $ids ) ) ) ) );
	}

	/**
	 * Name of the primary product category (see CategoryPath).
	 *
	 * @param \WC_Product $product Product.
	 */
	private static function category( \WC_Product $product ): ?string {
		$term_id = CategoryPath::primary_term( $product );
		$term    = null === $term_id ? null : get_term( $term_id, 'product_cat' );
		return $term instanceof \WP_Term ? html_entity_decode( $term->name, ENT_QUOTES ) : null;
	}

	/**
	 * The product's "GTIN, UPC, EAN or ISBN" (WooCommerce 9.2+), or null.
	 *
	 * @param \WC_Product $product Product.
	 */
	private static function barcode( \WC_Product $product ): ?string {
		if ( ! method_exists( $product, 'get_global_unique_id' ) ) {
			return null;
		}
		$gtin = trim( (string) $product->get_global_unique_id( 'edit' ) );
		return '' === $gtin ? null : $gtin;
	}

	/**
	 * Variation attributes as name/value pairs (labels, not slugs).
	 *
	 * @param \WC_Product $product Product.
	 * @return list<array{name:string, value:string}>
	 */
	private static function attributes( \WC_Product $product ): array {
		if ( ! $product instanceof \WC_Product_Variation ) {
			return array();
		}
		$out = array();
		foreach ( $product->get_variation_attributes( false ) as $taxonomy => $slug ) {
			$term  = taxonomy_exists( $taxonomy ) ? get_term_by( 'slug', (string) $slug, $taxonomy ) : false;
			$out[] = array(
				'name'  => wc_attribute_label( $taxonomy, $product ),
				'value' => $term instanceof \WP_Term ? $term->name : (string) $slug,
			);
		}
		return $out;
	}
}
