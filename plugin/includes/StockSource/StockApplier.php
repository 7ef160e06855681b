<?php
/**
 * Applies keyCRM stock to the shop (keyCRM mode) or compares it (WooCommerce mode).
 *
 * @package KeyCrmSync
 */

declare( strict_types=1 );

namespace KeyCrmSync\StockSource;

use KeyCrmSync\Sku\SkuOwners;

/**
 * Matches each update to the one live product or variation holding its SKU (byte for byte) and:
 *
 * - keyCRM mode: sets the product's stock with wc_update_product_stock() when it differs
 *   (`applied`), else `unchanged`; records the value with the EchoGuard so the shop → keyCRM
 *   sender sees nothing to push back;
 * - WooCommerce mode: records `drift` when keyCRM's total differs from the shop's stock and the
 *   SKU has no change still waiting to be sent, else `in_sync`.
 *
 * Either mode lists `unknown` (no product has the SKU), `duplicate` (several products have it)
 * and `unmanaged` (the product does not manage its own stock) SKUs.
 */
final class StockApplier {

	/**
	 * @param SkuOwners           $owners   SKU → live products.
	 * @param RemoteStockRegistry $registry Unknown / unmanaged / drift list.
	 * @param EchoGuard           $echo_guard Records applied values for the outbox.
	 */
	public function __construct(
		private SkuOwners $owners,
		private RemoteStockRegistry $registry,
		private EchoGuard $echo_guard
	) {
	}

	/**
	 * Applies or compares a batch.
	 *
	 * @param list<StockUpdate> $updates      Updates (one per SKU).
	 * @param string            $stock_source 'keycrm' (apply) or 'woocommerce' (compare).
	 * @param string            $stock_apply  'available' or 'total' (keyCRM mode).
	 * @return list<array{sku: string, outcome: string, shop_stock: int|null, keycrm_quantity: int}>
	 */
	public function apply( array $updates, string $stock_source, string $stock_apply ): array {
		$owners  = $this->owners->resolve( array_map( static fn( StockUpdate $u ) => $u->sku, $updates ), array() );
		$results = array();
		foreach ( $updates as $update ) {
			$list      = $owners[ 's:' . $update->sku ] ?? array();
			$results[] = $this->one( $update, $list, $stock_source, $stock_apply );
		}
		return $results;
	}

	/**
	 * Handles one SKU.
	 *
	 * @param StockUpdate                                     $update       The update.
	 * @param list<array{id:int, parent_id:int, type:string}> $owners       Live owners of the SKU.
	 * @param string                                          $stock_source Mode.
	 * @param string                                          $stock_apply  'available' or 'total'.
	 * @return array{sku: string, outcome: string, shop_stock: int|null, keycrm_quantity: int}
	 */
	private function one( StockUpdate $update, array $owners, string $stock_source, string $stock_apply ): array {
		$keycrm_mode = 'keycrm' === $stock_source;
		$quantity    = $update->shop_quantity( $keycrm_mode ? $stock_apply : 'total' );
		$result      = array(
			'sku'             => $update->sku,
			'outcome'         => 'unknown',
			'shop_stock'      => null,
			'keycrm_quantity' => $quantity,
		);
		if ( 1 !== count( $owners ) ) {
			$result['outcome'] = array() === $owners ? 'unknown' : 'duplicate';
			$this->registry->record( 'unknown', $update, null, null );
			return $result;
		}
		$product = wc_get_product( $owners[0]['id'] );
		if ( ! $product instanceof \WC_Product || ! $product->managing_stock() || $product->get_stock_managed_by_id() !== $product->get_id() ) {
			$result['outcome'] = 'unmanaged';
			$this->registry->forget( array( 'unknown' ), $update->sku );
			$this->registry->record( 'unmanaged', $update, $owners[0]['id'], null );
			return $result;
		}
		$this->registry->forget( array( 'unknown', 'unmanaged' ), $update->sku );
		$shop                 = (int) $product->get_stock_quantity();
		$result['shop_stock'] = $shop;
		if ( $keycrm_mode ) {
			$result['outcome']    = $this->set_stock( $product, $update->sku, $shop, $quantity );
			$result['shop_stock'] = 'applied' === $result['outcome'] ? $quantity : $shop;
			return $result;
		}
		$result['outcome'] = $this->compare( $product, $update, $shop );
		return $result;
	}

	/**
	 * keyCRM mode: sets the stock when it differs.
	 *
	 * @param \WC_Product $product  Product.
	 * @param string      $sku      SKU.
	 * @param int         $shop     Current shop stock.
	 * @param int         $quantity Target.
	 * @return string 'applied' or 'unchanged'.
	 */
	private function set_stock( \WC_Product $product, string $sku, int $shop, int $quantity ): string {
		$this->registry->forget( array( 'drift' ), $sku );
		$this->echo_guard->applied( $sku, $quantity );
		if ( $shop === $quantity ) {
			return 'unchanged';
		}
		wc_update_product_stock( $product, $quantity, 'set' );
		return 'applied';
	}

	/**
	 * WooCommerce mode: lists the SKU as drift when keyCRM's total differs from the shop's stock
	 * and no shop change is still waiting to be sent.
	 *
	 * @param \WC_Product $product Product.
	 * @param StockUpdate $update  keyCRM's numbers.
	 * @param int         $shop    Shop stock.
	 * @return string 'drift', 'in_sync' or 'pending' (a shop change is on its way).
	 */
	private function compare( \WC_Product $product, StockUpdate $update, int $shop ): string {
		if ( abs( $update->in_stock - $shop ) < 1e-9 ) {
			$this->registry->forget( array( 'drift' ), $update->sku );
			return 'in_sync';
		}
		if ( $this->echo_guard->is_dirty( $update->sku ) ) {
			return 'pending';
		}
		$this->registry->record( 'drift', $update, $product->get_id(), (float) $shop );
		return 'drift';
	}
}
