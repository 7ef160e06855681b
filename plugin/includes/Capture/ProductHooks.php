<?php
/**
 * Capture of WooCommerce CRUD saves and stock changes.
 *
 * @package KeyCrmSync
 */

declare( strict_types=1 );

namespace KeyCrmSync\Capture;

use KeyCrmSync\Infrastructure\Registerable;
use KeyCrmSync\Outbox\ChangeMask;

/**
 * Every WooCommerce write path that goes through the product CRUD (product editor, quick and
 * bulk edit, WC REST incl. the mobile app, CSV import, variations) fires the before/after
 * object-save actions; order stock changes (direct SQL) fire the set_stock actions.
 * Callbacks only mark SKUs dirty in the buffer.
 */
final class ProductHooks implements Registerable {

	/** Product props the problem list depends on (besides the type, captured apart). */
	private const PROBLEM_PROPS = array( 'sku', 'status', 'manage_stock', 'parent_id' );

	/**
	 * Masks, old SKUs and whether the problem list may change, of saves in progress, keyed by
	 * spl_object_id.
	 *
	 * @var array<int, array{mask:int, old_sku:string, problems:bool}>
	 */
	private array $saving = array();

	/**
	 * Constructor.
	 *
	 * @param ChangeBuffer $buffer Per-request buffer.
	 */
	public function __construct( private ChangeBuffer $buffer ) {
	}

	/**
	 * Adds the hooks.
	 */
	public function register(): void {
		foreach ( array( 'product', 'product_variation' ) as $type ) {
			add_action( "woocommerce_before_{$type}_object_save", array( $this, 'before_save' ), 1000 );
			add_action( "woocommerce_after_{$type}_object_save", array( $this, 'after_save' ), 1000 );
		}
		add_action( 'woocommerce_product_set_stock', array( $this, 'stock_changed' ) );
		add_action( 'woocommerce_variation_set_stock', array( $this, 'stock_changed' ) );
		add_action( 'woocommerce_product_set_stock_status', array( $this, 'stock_status_changed' ), 10, 3 );
		add_action( 'woocommerce_variation_set_stock_status', array( $this, 'stock_status_changed' ), 10, 3 );
		add_action( 'woocommerce_product_type_changed', array( $this, 'type_changed' ) );
	}

	/**
	 * Whether a product CRUD save is running (the meta safety net stays quiet then).
	 */
	public function saving(): bool {
		return array() !== $this->saving;
	}

	/**
	 * Before a CRUD save: what is about to change, and the SKU before the change.
	 *
	 * @param \WC_Product $product Product being saved.
	 */
	public function before_save( $product ): void {
		$changes = $product->get_changes();
		$new     = 0 === $product->get_id();
		$mask    = $new ? ChangeMask::FULL : ChangeMask::for_props( array_keys( $changes ) );
		// get_data() copies every meta object: asked for only when the SKU changes.
		$old_sku = array_key_exists( 'sku', $changes ) ? (string) ( $product->get_data()['sku'] ?? '' ) : (string) $product->get_sku( 'edit' );
		if ( array_key_exists( 'sku', $changes ) && (string) $changes['sku'] !== $old_sku ) {
			$mask |= ChangeMask::FULL;
		}
		$this->saving[ spl_object_id( $product ) ] = array(
			'mask'     => $mask,
			'old_sku'  => $new ? '' : $old_sku,
			'problems' => $new || array() !== array_intersect_key( $changes, array_flip( self::PROBLEM_PROPS ) ),
		);
	}

	/**
	 * After a CRUD save: marks the SKU (and retires the old one after a SKU change).
	 *
	 * @param \WC_Product $product Saved product.
	 */
	public function after_save( $product ): void {
		$key  = spl_object_id( $product );
		$info = $this->saving[ $key ] ?? null;
		unset( $this->saving[ $key ] );
		if ( null === $info ) {
			return;
		}
		$sku = (string) $product->get_sku( 'edit' );
		if ( '' !== $info['old_sku'] && $info['old_sku'] !== $sku ) {
			$this->buffer->mark( $info['old_sku'], $product->get_id(), ChangeMask::RETIRE );
		}
		$this->buffer->mark( $sku, $product->get_id(), $info['mask'], $info['problems'] );
		if ( $info['mask'] & ChangeMask::STOCK ) {
			$this->mark_shared_stock( $product );
		}
		if ( ( $info['mask'] & ChangeMask::PRODUCT ) && '' === $sku && $product->is_type( 'variable' ) ) {
			// A variable product without a SKU has no row: its variations send its name,
			// description, pictures and category.
			foreach ( $product->get_children() as $child_id ) {
				$this->buffer->mark( (string) get_post_meta( (int) $child_id, '_sku', true ), (int) $child_id, ChangeMask::PRODUCT );
			}
		}
	}

	/**
	 * Stock quantity changed (any path, orders included).
	 *
	 * @param \WC_Product $product Product after the change.
	 */
	public function stock_changed( $product ): void {
		if ( $product instanceof \WC_Product ) {
			$this->buffer->mark( (string) $product->get_sku( 'edit' ), $product->get_id(), ChangeMask::STOCK );
			$this->mark_shared_stock( $product );
		}
	}

	/**
	 * A variable product that manages stock shares its quantity with every variation that does
	 * not manage its own (an order of such a variation reduces the product's stock): each of those
	 * variations is a keyCRM offer sent that quantity, so all of them are marked.
	 *
	 * @param \WC_Product $product Product whose stock changed.
	 */
	private function mark_shared_stock( \WC_Product $product ): void {
		if ( ! $product->is_type( 'variable' ) ) {
			return;
		}
		foreach ( $product->get_children() as $child_id ) {
			if ( 'yes' !== get_post_meta( (int) $child_id, '_manage_stock', true ) ) {
				$this->buffer->mark( (string) get_post_meta( (int) $child_id, '_sku', true ), (int) $child_id, ChangeMask::STOCK );
			}
		}
	}

	/**
	 * Stock status changed.
	 *
	 * @param int         $id      Product id.
	 * @param string      $status  New status.
	 * @param \WC_Product $product Product.
	 */
	public function stock_status_changed( $id, $status = '', $product = null ): void {
		if ( $product instanceof \WC_Product ) {
			$this->stock_changed( $product );
		}
	}

	/**
	 * Product type changed (e.g. simple → variable): keyCRM's product must be rebuilt.
	 *
	 * @param \WC_Product $product Product.
	 */
	public function type_changed( $product ): void {
		if ( $product instanceof \WC_Product ) {
			$this->buffer->mark( (string) $product->get_sku( 'edit' ), $product->get_id(), ChangeMask::FULL );
		}
	}
}
