<?php
/**
 * SKU hygiene: which SKUs keyCRM can match by.
 *
 * @package KeyCrmSync
 */

declare( strict_types=1 );

namespace KeyCrmSync\Capture;

/**
 * keyCRM matches offers by SKU and filters them with comma-separated lists, so a SKU with a
 * comma cannot be looked up; whitespace around a SKU is trimmed by some integrations and not by
 * others; keyCRM (a Laravel application) stores SKUs in string columns of 255 characters, so
 * longer SKUs would be cut. Such SKUs are problems shown to the admin and never pushed.
 */
final class SkuRules {

	/** Longest SKU pushed to keyCRM, in characters (Laravel's default string column length). */
	public const MAX_LENGTH = 255;

	/** Longest SKU kept in the outbox at all, in bytes (the column is VARBINARY(1024)). */
	public const MAX_STORED_BYTES = 1024;

	/**
	 * Plain-words reason why keyCRM cannot use this SKU, or null when it can.
	 *
	 * @param string $sku SKU exactly as stored in WooCommerce.
	 */
	public static function problem( string $sku ): ?string {
		if ( '' === $sku ) {
			return __( 'has no SKU', 'keycrm-sync' );
		}
		if ( str_contains( $sku, ',' ) ) {
			return __( 'contains a comma', 'keycrm-sync' );
		}
		if ( 1 === preg_match( '/^\s|\s$/u', $sku ) ) {
			return __( 'starts or ends with whitespace', 'keycrm-sync' );
		}
		if ( mb_strlen( $sku, 'UTF-8' ) > self::MAX_LENGTH ) {
			/* translators: %d: maximum SKU length. */
			return sprintf( __( 'is longer than %d characters', 'keycrm-sync' ), self::MAX_LENGTH );
		}
		return null;
	}

	/**
	 * Whether the SKU can be stored as an outbox row (usable or not).
	 *
	 * @param string $sku SKU.
	 */
	public static function storable( string $sku ): bool {
		return '' !== $sku && strlen( $sku ) <= self::MAX_STORED_BYTES;
	}
}
