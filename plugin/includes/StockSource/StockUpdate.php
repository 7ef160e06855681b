<?php
/**
 * One SKU's stock as keyCRM reports it.
 *
 * @package KeyCrmSync
 */

declare( strict_types=1 );

namespace KeyCrmSync\StockSource;

/**
 * Immutable value: keyCRM's total (`in_stock`) and reserved (`in_reserve`) quantity of one offer,
 * as sent by the stock webhook or read by the sender's pull.
 */
final class StockUpdate {

	/**
	 * @param string   $sku        Offer SKU (exact, as keyCRM stores it).
	 * @param int|null $offer_id   keyCRM offer id, when known.
	 * @param float    $in_stock   Total stock.
	 * @param float    $in_reserve Reserved part of the total.
	 */
	public function __construct(
		public readonly string $sku,
		public readonly ?int $offer_id,
		public readonly float $in_stock,
		public readonly float $in_reserve
	) {
	}

	/**
	 * The quantity the shop should hold.
	 *
	 * Rule: `available` = in_stock − in_reserve, `total` = in_stock; clamped at 0 (over-reserved
	 * offers sell nothing) and rounded DOWN to a whole number, because WooCommerce stock is an
	 * integer and rounding up could sell goods that are not there (2.7 m of cable → 2).
	 *
	 * @param string $mode 'available' or 'total' (setting `stock_apply`).
	 */
	public function shop_quantity( string $mode ): int {
		$value = 'total' === $mode ? $this->in_stock : $this->in_stock - $this->in_reserve;
		// A tiny epsilon so 2.9999999 (float noise of 3) is 3, not 2.
		return max( 0, (int) floor( $value + 1e-9 ) );
	}

	/**
	 * The array form stored in the inbox.
	 *
	 * @return array{sku: string, offer_id: int|null, in_stock: float, in_reserve: float}
	 */
	public function to_array(): array {
		return array(
			'sku'        => $this->sku,
			'offer_id'   => $this->offer_id,
			'in_stock'   => $this->in_stock,
			'in_reserve' => $this->in_reserve,
		);
	}
}
