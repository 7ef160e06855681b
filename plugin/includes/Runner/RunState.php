<?php
/**
 * What one run knows beyond the claimed snapshots (the PHP twin of src/sender/state.ts).
 *
 * @package KeyCrmSync
 */

declare( strict_types=1 );

namespace KeyCrmSync\Runner;

/**
 * Per-SKU progress of this run (keys: exists yes|no|unknown, offer_id, product_id, pushed_stock,
 * offer_hash, product_hash, created) and facts learnt from keyCRM (lookups, the census). Only the
 * executor writes it; the planner reads it.
 */
final class RunState {

	/** SKU => progress. @var array<string, array<string, mixed>> */
	public array $skus = array();

	/** WooCommerce parent id => keyCRM product id. @var array<int, int> */
	public array $parents = array();

	/** keyCRM ids of the category paths found or created in this run (CategoryPlan::key()). @var array<string, int> */
	public array $categories = array();

	/** keyCRM's category tree once read in this run (Client::category_key() => id), created ones added. @var array<string, int>|null */
	public ?array $category_tree = null;

	/** Remembered keyCRM category ids keyCRM rejected (deleted there): their paths are found again. @var array<int, true> */
	public array $stale_categories = array();

	/** SKU => array{0:int offer id, 1:int product id} of every offer keyCRM held, when known. @var array<string, array{0:int, 1:int}>|null */
	public ?array $census = null;

	/**
	 * Merges facts about a SKU.
	 *
	 * @param string               $sku   SKU.
	 * @param array<string, mixed> $patch Fields.
	 */
	public function patch( string $sku, array $patch ): void {
		$this->skus[ $sku ] = array_merge( $this->skus[ $sku ] ?? array(), $patch );
	}

	/**
	 * A field this run set (the second value says whether it was set at all).
	 *
	 * @param string $sku   SKU.
	 * @param string $field Field.
	 * @return array{0:bool, 1:mixed}
	 */
	public function get( string $sku, string $field ): array {
		return isset( $this->skus[ $sku ] ) && array_key_exists( $field, $this->skus[ $sku ] ) ? array( true, $this->skus[ $sku ][ $field ] ) : array( false, null );
	}
}
