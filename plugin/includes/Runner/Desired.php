<?php
/**
 * What keyCRM should hold for one claimed SKU (the PHP twin of src/sender/desired.ts).
 *
 * @package KeyCrmSync
 */

declare( strict_types=1 );

namespace KeyCrmSync\Runner;

/**
 * Exact keyCRM payloads as pure functions of a claimed item (ItemSnapshot::item) and the sender
 * settings (Settings::sender), and their hashes. The hashes are byte for byte those of the Node
 * sender (sha1 of JSON with sorted keys, numbers printed as JavaScript prints them), so either
 * runner trusts what the other recorded in `pushed_offer_hash` / `pushed_product_hash`.
 */
final class Desired {

	/** Pictures per product keyCRM keeps. */
	private const MAX_PICTURES = 6;

	/** Grams per WooCommerce weight unit. */
	private const GRAMS = array(
		'kg'  => 1000,
		'g'   => 1,
		'lbs' => 453.59237,
		'oz'  => 28.349523125,
	);

	/** Millimetres per WooCommerce dimension unit. */
	private const MILLIMETRES = array(
		'm'  => 1000,
		'cm' => 10,
		'mm' => 1,
		'in' => 25.4,
		'yd' => 914.4,
	);

	/**
	 * Whether the item is a keyCRM offer (not a variable parent or a group).
	 *
	 * @param array<string, mixed> $item Claimed item.
	 */
	public static function is_offer( array $item ): bool {
		return ! in_array( $item['type'] ?? null, array( 'variable', 'grouped' ), true );
	}

	/**
	 * Stock keyCRM should hold, or null when stock is not pushed for this item.
	 *
	 * @param array<string, mixed> $item     Claimed item.
	 * @param array<string, mixed> $settings Sender settings.
	 */
	public static function stock( array $item, array $settings ): ?float {
		if ( empty( $settings['sync_stock'] ) || 'woocommerce' !== ( $settings['stock_source'] ?? '' ) || ! self::is_offer( $item ) ) {
			return null;
		}
		if ( ! empty( $item['retired'] ) ) {
			return 'zero_stock' === ( $settings['retire_policy'] ?? '' ) ? 0.0 : null;
		}
		if ( ! empty( $item['manage_stock'] ) ) {
			return max( 0.0, (float) ( $item['stock_quantity'] ?? 0 ) );
		}
		if ( 'outofstock' === ( $item['stock_status'] ?? '' ) ) {
			return 0.0;
		}
		// The setting `untracked_stock` (null: keyCRM keeps its own number).
		return isset( $settings['untracked_stock'] ) ? (float) $settings['untracked_stock'] : null;
	}

	/**
	 * Offer-level data (what PUT /offers carries besides the key).
	 *
	 * @param array<string, mixed> $item     Claimed item (an offer).
	 * @param array<string, mixed> $settings Sender settings.
	 * @return array<string, float|string>
	 * @throws \InvalidArgumentException On a unit neither table knows.
	 */
	public static function offer_data( array $item, array $settings ): array {
		$data = array();
		if ( ! empty( $settings['sync_prices'] ) ) {
			$data['price']           = self::opt( $item['price'] ?? null );
			$data['purchased_price'] = self::opt( $item['purchased_price'] ?? null );
		}
		if ( ! empty( $settings['sync_product_data'] ) ) {
			$w              = self::convert( $item['weight'] ?? null, (string) ( $item['weight_unit'] ?? 'kg' ), (string) ( $settings['keycrm_weight_unit'] ?? 'kg' ), self::GRAMS );
			$data['weight'] = null !== $w && $w >= 0 ? $w : null;
			foreach ( array( 'length', 'width', 'height' ) as $dim ) {
				$v            = isset( $item[ $dim ] ) && $item[ $dim ] >= 0 ? self::convert( $item[ $dim ], (string) ( $item['dimension_unit'] ?? 'cm' ), (string) ( $settings['keycrm_dimension_unit'] ?? 'cm' ), self::MILLIMETRES ) : null;
				$data[ $dim ] = self::opt( $v );
			}
			if ( 'variation' === ( $item['type'] ?? null ) && ! empty( $item['image_url'] ) ) {
				$data['image_url'] = (string) $item['image_url'];
			}
		}
		return array_filter( $data, static fn( $v ) => null !== $v );
	}

	/**
	 * Product-level data (PUT /products/{id}): name, description, pictures and, for a simple
	 * product, its barcode (absent when empty, so products without one keep their earlier hash);
	 * none for variations.
	 *
	 * @param array<string, mixed> $item     Claimed item.
	 * @param array<string, mixed> $settings Sender settings.
	 * @return array<string, mixed>
	 */
	public static function product_data( array $item, array $settings ): array {
		if ( empty( $settings['sync_product_data'] ) || 'variation' === ( $item['type'] ?? null ) ) {
			return array();
		}
		$pictures = array_values( array_filter( (array) ( $item['pictures'] ?? array() ), static fn( $u ) => is_string( $u ) && 1 === preg_match( '#^https?://#i', $u ) ) );
		$data     = array(
			'name'        => self::name( $item ),
			'description' => (string) ( $item['description'] ?? '' ),
			'pictures'    => array_slice( $pictures, 0, self::MAX_PICTURES ),
		);
		if ( 'variable' !== ( $item['type'] ?? null ) && '' !== self::barcode( $item ) ) {
			$data['barcode'] = self::barcode( $item );
		}
		return $data;
	}

	/**
	 * The item's barcode (WooCommerce's GTIN), '' when none.
	 *
	 * @param array<string, mixed> $item Claimed item.
	 */
	private static function barcode( array $item ): string {
		return (string) ( $item['barcode'] ?? '' );
	}

	/**
	 * Hash of the offer data (pushed_offer_hash).
	 *
	 * @param array<string, mixed> $item     Claimed item.
	 * @param array<string, mixed> $settings Sender settings.
	 */
	public static function offer_hash( array $item, array $settings ): string {
		return self::hash( self::offer_data( $item, $settings ) );
	}

	/**
	 * Hash of the product data (pushed_product_hash).
	 *
	 * @param array<string, mixed> $item     Claimed item.
	 * @param array<string, mixed> $settings Sender settings.
	 */
	public static function product_hash( array $item, array $settings ): string {
		// A variation's product data is its SKU-less parent's (others: none, the parent's row sends it).
		$skuless = self::of_skuless_parent( $item );
		$data    = $skuless ? self::skuless_parent_update( $item, $settings ) : self::product_data( $item, $settings );
		$path    = 'variation' === ( $item['type'] ?? null ) && ! $skuless ? null : self::category_path( $item, $settings );
		if ( null !== $path ) {
			// The category path's names (absent without one, so such products keep their hash).
			$data['category'] = array_map( static fn( $l ) => (string) $l['name'], $path );
		}
		return self::hash( $data );
	}

	/**
	 * The category path sent for an item (root first), or null when none is (product data not
	 * synced, no category). A variation's is its variable product's.
	 *
	 * @param array<string, mixed> $item     Claimed item.
	 * @param array<string, mixed> $settings Sender settings.
	 * @return list<array{term_id:int, name:string, keycrm_id:int|null}>|null
	 */
	public static function category_path( array $item, array $settings ): ?array {
		$path = $item['category_path'] ?? null;
		return ! empty( $settings['sync_product_data'] ) && is_array( $path ) && array() !== $path ? array_values( $path ) : null;
	}

	/**
	 * One POST /products/import item of a simple product.
	 *
	 * @param array<string, mixed> $item     Claimed item.
	 * @param array<string, mixed> $settings Sender settings.
	 * @return array<string, mixed>
	 */
	public static function import_item( array $item, array $settings ): array {
		$offer = self::offer_data( $item, $settings );
		$body  = self::product_data( $item, $settings );
		$body  = array_merge(
			$body,
			array(
				'name'          => self::name( $item ),
				'sku'           => (string) $item['sku'],
				'currency_code' => '' !== (string) ( $settings['currency_code'] ?? '' ) ? (string) $settings['currency_code'] : null,
			),
			array_intersect_key( $offer, array_flip( array( 'price', 'purchased_price', 'weight', 'length', 'width', 'height' ) ) )
		);
		if ( isset( $body['description'] ) && '' === $body['description'] ) {
			unset( $body['description'] );
		}
		return array_filter( $body, static fn( $v ) => null !== $v );
	}

	/**
	 * One POST /products/{id}/offers item of a variation.
	 *
	 * @param array<string, mixed> $item     Claimed variation.
	 * @param array<string, mixed> $settings Sender settings.
	 * @return array<string, mixed>
	 */
	public static function offer_create_item( array $item, array $settings ): array {
		$props = array_values( array_filter( (array) ( $item['attributes'] ?? array() ), static fn( $a ) => is_array( $a ) && '' !== (string) ( $a['name'] ?? '' ) && '' !== (string) ( $a['value'] ?? '' ) ) );
		$body  = self::offer_data( $item, $settings ) + array( 'sku' => (string) $item['sku'] );
		if ( ! empty( $settings['sync_product_data'] ) && '' !== self::barcode( $item ) ) {
			$body['barcode'] = self::barcode( $item ); // keyCRM's API cannot change it later.
		}
		if ( array() !== $props ) {
			$body['properties'] = $props;
		}
		return $body;
	}

	/**
	 * POST /products body of a variable product (no SKU: its variations are the offers).
	 *
	 * @param array<string, mixed>      $variation A claimed variation (or the parent itself).
	 * @param array<string, mixed>|null $parent_item The parent's snapshot, when in hand.
	 * @param array<string, mixed>      $settings  Sender settings.
	 * @return array<string, mixed>
	 */
	public static function parent_create_body( array $variation, ?array $parent_item, array $settings ): array {
		$body                  = null !== $parent_item ? self::product_data( $parent_item, $settings ) : self::skuless_parent_data( $variation, $settings );
		$body['name']          = self::parent_name( $variation, $parent_item );
		$body['currency_code'] = '' !== (string) ( $settings['currency_code'] ?? '' ) ? (string) $settings['currency_code'] : null;
		if ( isset( $body['description'] ) && '' === $body['description'] ) {
			unset( $body['description'] );
		}
		return array_filter( $body, static fn( $v ) => null !== $v );
	}

	/**
	 * Product-level data of a variable product without a SKU, from one of its variations: such a
	 * parent has no outbox row of its own that would send it later (a variation's pictures are
	 * its parent's gallery).
	 *
	 * @param array<string, mixed> $variation A claimed variation.
	 * @param array<string, mixed> $settings  Sender settings.
	 * @return array<string, mixed>
	 */
	private static function skuless_parent_data( array $variation, array $settings ): array {
		if ( ! self::of_skuless_parent( $variation ) || empty( $settings['sync_product_data'] ) ) {
			return array();
		}
		$pictures = array_values( array_filter( (array) ( $variation['pictures'] ?? array() ), static fn( $u ) => is_string( $u ) && 1 === preg_match( '#^https?://#i', $u ) ) );
		$data     = array() !== $pictures ? array( 'pictures' => array_slice( $pictures, 0, self::MAX_PICTURES ) ) : array();
		if ( '' !== (string) ( $variation['parent_description'] ?? '' ) ) {
			$data['description'] = (string) $variation['parent_description'];
		}
		return $data;
	}

	/**
	 * Whether an item is a variation of a variable product without a SKU (such a parent has no
	 * outbox row: its variations carry its product-level data and send its changes).
	 *
	 * @param array<string, mixed> $item Claimed item.
	 */
	public static function of_skuless_parent( array $item ): bool {
		return 'variation' === ( $item['type'] ?? null ) && '' === ( $item['parent_sku'] ?? null );
	}

	/**
	 * PUT /products/{id} body of a variable product without a SKU, from one of its variations:
	 * name, description, pictures (empty when product data is not synced or the parent has a SKU).
	 *
	 * @param array<string, mixed> $variation A claimed variation.
	 * @param array<string, mixed> $settings  Sender settings.
	 * @return array<string, mixed>
	 */
	public static function skuless_parent_update( array $variation, array $settings ): array {
		if ( ! self::of_skuless_parent( $variation ) || empty( $settings['sync_product_data'] ) ) {
			return array();
		}
		return self::skuless_parent_data( $variation, $settings ) + array( 'name' => self::parent_name( $variation, null ) );
	}

	/**
	 * Name of a variation's parent product.
	 *
	 * @param array<string, mixed>      $variation Claimed variation.
	 * @param array<string, mixed>|null $parent_item Parent snapshot.
	 */
	public static function parent_name( array $variation, ?array $parent_item ): string {
		if ( null !== $parent_item ) {
			return self::name( $parent_item );
		}
		if ( ! empty( $variation['parent_name'] ) ) {
			return (string) $variation['parent_name'];
		}
		$name   = trim( (string) ( $variation['name'] ?? '' ) );
		$suffix = implode( ', ', array_map( static fn( $a ) => (string) ( $a['value'] ?? '' ), (array) ( $variation['attributes'] ?? array() ) ) );
		if ( '' !== $suffix && str_ends_with( $name, ' - ' . $suffix ) ) {
			return substr( $name, 0, -( strlen( $suffix ) + 3 ) );
		}
		if ( '' !== $name ) {
			return $name;
		}
		$parent_sku = (string) ( $variation['parent_sku'] ?? '' );
		return '' !== $parent_sku ? $parent_sku : (string) $variation['sku'];
	}

	/**
	 * A non-empty product name.
	 *
	 * @param array<string, mixed> $item Claimed item.
	 */
	private static function name( array $item ): string {
		$name = trim( (string) ( $item['name'] ?? '' ) );
		return '' === $name ? (string) $item['sku'] : $name;
	}

	/**
	 * A finite number or null.
	 *
	 * @param mixed $v Value.
	 */
	private static function opt( $v ): ?float {
		return is_numeric( $v ) && is_finite( (float) $v ) ? (float) $v : null;
	}

	/**
	 * Converts a value between two units of a table, rounded to 4 decimals like the Node sender.
	 *
	 * @param mixed                $value Value (null passes through).
	 * @param string               $from  Source unit.
	 * @param string               $to    Target unit.
	 * @param array<string, float> $table Factors to a base unit.
	 * @throws \InvalidArgumentException On an unknown unit.
	 */
	private static function convert( $value, string $from, string $to, array $table ): ?float {
		if ( null === $value || ! is_numeric( $value ) ) {
			return null;
		}
		$a = $table[ strtolower( $from ) ] ?? null;
		$b = $table[ strtolower( $to ) ] ?? null;
		if ( null === $a || null === $b ) {
			throw new \InvalidArgumentException( sprintf( 'cannot convert "%s" to "%s"', $from, $to ) ); // phpcs:ignore WordPress.Security.EscapeOutput.ExceptionNotEscaped -- a message for the outbox, not HTML.
		}
		// Math.round of JavaScript: halves go up.
		return floor( ( (float) $value * $a ) / $b * 10000 + 0.5 ) / 10000;
	}

	/**
	 * SHA-1 of the canonical JSON of an object (keys sorted), as the Node sender computes it.
	 *
	 * @param array<string, mixed> $value Object.
	 */
	public static function hash( array $value ): string {
		return sha1( self::canonical( $value, true ) );
	}

	/**
	 * Canonical JSON: object keys sorted, numbers and strings printed as JSON.stringify prints them.
	 *
	 * @param mixed $value     Value.
	 * @param bool  $as_object Print an array as an object even when it is an (empty) list.
	 */
	public static function canonical( $value, bool $as_object = false ): string {
		if ( is_array( $value ) ) {
			if ( ! $as_object && array_is_list( $value ) ) {
				return '[' . implode( ',', array_map( static fn( $v ) => self::canonical( $v ), $value ) ) . ']';
			}
			$keys = array_map( 'strval', array_keys( $value ) );
			sort( $keys, SORT_STRING );
			$parts = array();
			foreach ( $keys as $k ) {
				$parts[] = self::canonical( $k ) . ':' . self::canonical( $value[ $k ] );
			}
			return '{' . implode( ',', $parts ) . '}';
		}
		if ( is_float( $value ) ) {
			if ( ! is_finite( $value ) ) {
				return 'null';
			}
			if ( floor( $value ) === $value && abs( $value ) < 1e21 ) {
				return 0.0 === $value ? '0' : sprintf( '%.0f', $value );
			}
			return (string) json_encode( $value ); // phpcs:ignore WordPress.WP.AlternativeFunctions.json_encode_json_encode -- pure PHP: the conformance test runs this class without WordPress.
		}
		if ( is_string( $value ) ) {
			return (string) json_encode( $value, JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_LINE_TERMINATORS | JSON_INVALID_UTF8_SUBSTITUTE ); // phpcs:ignore WordPress.WP.AlternativeFunctions.json_encode_json_encode -- as above.
		}
		return (string) json_encode( $value ); // phpcs:ignore WordPress.WP.AlternativeFunctions.json_encode_json_encode -- as above.
	}
}
