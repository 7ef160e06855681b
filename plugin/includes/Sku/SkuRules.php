<?php
/**
 * SKU hygiene: which SKUs keyCRM can match by.
 *
 * @package KeyCrmSync
 */

declare( strict_types=1 );

namespace KeyCrmSync\Sku;

/**
 * keyCRM matches offers by SKU and filters them with comma-separated lists, so a SKU with a
 * comma cannot be looked up; whitespace around a SKU is trimmed by some integrations and not by
 * others; keyCRM (a Laravel application) stores SKUs in string columns of 255 characters, so
 * longer SKUs would be cut. Such SKUs are problems shown to the admin and never pushed.
 *
 * This is the one definition of a usable SKU. It is applied in PHP (problem()), in SQL
 * (sql_unusable(), used by Resync and ProblemFinder) and by the sender
 * (src/contract/sku-rules.ts, same characters and limit); test/fixtures/sku-rules.json holds the
 * awkward SKUs every implementation must judge alike (test/php/Sku/SkuRulesTest.php,
 * test/contract/sku-rules.test.ts). Lengths are Unicode characters (code points) everywhere.
 */
final class SkuRules {

	/** Longest SKU pushed to keyCRM, in characters (Laravel's default string column length). */
	public const MAX_LENGTH = 255;

	/**
	 * Characters a usable SKU may not start or end with: Unicode White_Space (tab, line breaks,
	 * space, NEL, no-break space, ogham space, en/em/thin/hair… spaces, line/paragraph
	 * separators, narrow no-break space, medium mathematical space, ideographic space) plus the
	 * invisible zero-width space and zero-width no-break space (BOM) that copy-paste brings in.
	 */
	public const EDGE_SPACES = array( 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200A, 0x200B, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF );

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
		if ( 1 === preg_match( '/' . self::edge_pattern() . '/u', $sku ) ) {
			return __( 'starts or ends with whitespace', 'keycrm-sync' );
		}
		if ( mb_strlen( $sku, 'UTF-8' ) > self::MAX_LENGTH ) {
			/* translators: %d: maximum SKU length. */
			return sprintf( __( 'is longer than %d characters', 'keycrm-sync' ), self::MAX_LENGTH );
		}
		return null;
	}

	/**
	 * SQL condition, true when the SKU in $column is not usable by keyCRM (the same verdict as
	 * problem() !== null). Plain SQL without placeholders, for embedding in a larger statement.
	 *
	 * @param string $column Column or expression holding the SKU as utf8mb4 text (not binary:
	 *                       CHAR_LENGTH and REGEXP must see characters).
	 */
	public static function sql_unusable( string $column ): string {
		$pattern = esc_sql( self::edge_pattern() );
		return sprintf( "(CHAR_LENGTH(%1\$s) = 0 OR LOCATE(',', %1\$s) > 0 OR %1\$s REGEXP '%2\$s' OR CHAR_LENGTH(%1\$s) > %3\$d)", $column, $pattern, self::MAX_LENGTH );
	}

	/**
	 * Regular expression (PCRE, UTF-8 mode: PHP's /u and MariaDB's REGEXP on utf8mb4) matching
	 * a leading or trailing edge space. The characters are literal, so no engine-specific escape
	 * syntax is involved.
	 */
	private static function edge_pattern(): string {
		$class = '[' . implode( '', array_map( 'mb_chr', self::EDGE_SPACES ) ) . ']';
		return '^' . $class . '|' . $class . '$';
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
