<?php
/**
 * Validation of stock payloads (keyCRM's webhook body and the sender's pull batches).
 *
 * @package KeyCrmSync
 */

declare( strict_types=1 );

namespace KeyCrmSync\StockSource;

/**
 * Turns untrusted JSON into StockUpdate objects, or refuses the whole payload.
 *
 * keyCRM's stock webhook is a bare JSON array of `{offer_id, sku, in_stock, in_reserve}`.
 * An item without a SKU (`null`, absent, empty or blank: a keyCRM offer that has none) or with
 * a SKU longer than any shop SKU can be is skipped and counted: nothing in the shop can match
 * it, and it must not hold back the others. An item of the wrong shape refuses the payload
 * (nothing is stored or applied), so a sender bug or a forged request cannot half-apply.
 * Quantities may be numbers or numeric strings.
 */
final class StockPayload {

	/** Largest accepted body (bytes). */
	public const MAX_BODY_BYTES = 2 * 1024 * 1024;

	/** Most items per payload. */
	public const MAX_ITEMS = 10000;

	/** Longest SKU accepted, in characters (code points), as everywhere else in the plugin. */
	public const MAX_SKU_LENGTH = 255;

	/** Largest absolute quantity accepted. */
	public const MAX_QUANTITY = 1000000000;

	/**
	 * Parses a raw JSON body.
	 *
	 * @param string   $body    Raw request body.
	 * @param int|null $skipped Set to the number of items skipped for having no usable SKU.
	 * @return list<StockUpdate>
	 * @throws InvalidStockPayload When the body is too large, not JSON, or malformed.
	 */
	public static function from_json( string $body, ?int &$skipped = null ): array {
		$bytes = strlen( $body );
		if ( $bytes > self::MAX_BODY_BYTES ) {
			throw InvalidStockPayload::too_large( $bytes, self::MAX_BODY_BYTES );
		}
		if ( '' === trim( $body ) ) {
			throw InvalidStockPayload::malformed( 'Empty body; expected a JSON array.' );
		}
		$data = json_decode( $body, true, 8 );
		if ( JSON_ERROR_NONE !== json_last_error() ) {
			throw InvalidStockPayload::malformed( 'Body is not valid JSON: ' . json_last_error_msg() . '.' );
		}
		return self::from_array( $data, $skipped );
	}

	/**
	 * Validates decoded data.
	 *
	 * @param mixed    $data    Decoded JSON (must be a list of item objects).
	 * @param int|null $skipped Set to the number of items skipped for having no usable SKU.
	 * @return list<StockUpdate> One per SKU (a later item for the same SKU wins).
	 * @throws InvalidStockPayload When the data is malformed.
	 */
	public static function from_array( $data, ?int &$skipped = null ): array {
		if ( ! is_array( $data ) || ! array_is_list( $data ) ) {
			throw InvalidStockPayload::malformed( 'Expected a JSON array of {offer_id, sku, in_stock, in_reserve}.' );
		}
		if ( count( $data ) > self::MAX_ITEMS ) {
			throw InvalidStockPayload::too_many_items( count( $data ), self::MAX_ITEMS );
		}
		$by_sku  = array();
		$skipped = 0;
		foreach ( $data as $index => $item ) {
			$update = self::item( $item, $index );
			if ( null === $update ) {
				++$skipped;
				continue;
			}
			$by_sku[ $update->sku ] = $update;
		}
		return array_values( $by_sku );
	}

	/**
	 * Validates one item.
	 *
	 * @param mixed $item  Decoded item.
	 * @param int   $index Position in the array (for the message).
	 * @return StockUpdate|null Null for an item to skip (no usable SKU).
	 * @throws InvalidStockPayload When the item is malformed.
	 */
	private static function item( $item, int $index ): ?StockUpdate {
		if ( ! is_array( $item ) || ( array() !== $item && array_is_list( $item ) ) ) {
			throw InvalidStockPayload::malformed( sprintf( 'Item %d is not an object.', $index ) );
		}
		$sku = $item['sku'] ?? null;
		if ( null !== $sku && ! is_string( $sku ) ) {
			throw InvalidStockPayload::malformed( sprintf( 'Item %d: "sku" must be a string or null.', $index ) );
		}
		if ( null === $sku || '' === trim( $sku ) || ! mb_check_encoding( $sku, 'UTF-8' ) || mb_strlen( $sku, 'UTF-8' ) > self::MAX_SKU_LENGTH ) {
			return null;
		}
		$offer_id = $item['offer_id'] ?? null;
		if ( null !== $offer_id && ( ! is_int( $offer_id ) || $offer_id < 1 ) ) {
			throw InvalidStockPayload::malformed( sprintf( 'Item %d: "offer_id" must be a positive integer or null.', $index ) );
		}
		$in_stock   = self::quantity( $item, 'in_stock', $index, false );
		$in_reserve = self::quantity( $item, 'in_reserve', $index, true );
		return new StockUpdate( $sku, $offer_id, $in_stock, $in_reserve );
	}

	/**
	 * Reads one quantity field.
	 *
	 * @param array<string,mixed> $item     Item.
	 * @param string              $field    Field name.
	 * @param int                 $index    Item position.
	 * @param bool                $optional Whether absent/null means 0.
	 * @throws InvalidStockPayload When the value is not a finite number in range.
	 */
	private static function quantity( array $item, string $field, int $index, bool $optional ): float {
		$value = $item[ $field ] ?? null;
		if ( null === $value && $optional ) {
			return 0.0;
		}
		if ( is_string( $value ) && 1 === preg_match( '/^-?\d{1,12}(\.\d{1,6})?$/', $value ) ) {
			$value = (float) $value;
		}
		if ( ( ! is_int( $value ) && ! is_float( $value ) ) || ! is_finite( (float) $value ) || abs( (float) $value ) > self::MAX_QUANTITY ) {
			throw InvalidStockPayload::malformed( sprintf( 'Item %d: "%s" must be a number.', $index, $field ) );
		}
		return (float) $value;
	}
}
