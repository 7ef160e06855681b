<?php
/**
 * Capture of trash / untrash / delete and of direct post meta writes.
 *
 * @package KeyCrmSync
 */

declare( strict_types=1 );

namespace KeyCrmSync\Capture;

use KeyCrmSync\Infrastructure\Registerable;
use KeyCrmSync\Outbox\ChangeMask;

/**
 * Trash and delete retire a SKU; untrash brings it back. Direct `update_post_meta()` writes of
 * `_sku`, `_stock` and prices by other code (importers, stock plugins) are caught by the post meta
 * actions; while a WooCommerce CRUD save runs, those are left to ProductHooks.
 */
final class LifecycleHooks implements Registerable {

	/** Post types that carry SKUs. */
	private const TYPES = array(
		'product'           => true,
		'product_variation' => true,
	);

	/**
	 * Constructor.
	 *
	 * @param ChangeBuffer $buffer Per-request buffer.
	 * @param ProductHooks $crud   Tells whether a CRUD save is running.
	 */
	public function __construct( private ChangeBuffer $buffer, private ProductHooks $crud ) {
	}

	/**
	 * Adds the hooks.
	 */
	public function register(): void {
		add_action( 'trashed_post', array( $this, 'trashed' ) );
		add_action( 'untrashed_post', array( $this, 'untrashed' ) );
		add_action( 'before_delete_post', array( $this, 'deleting' ), 10, 2 );
		add_action( 'update_post_meta', array( $this, 'meta_updating' ), 10, 4 );
		add_action( 'added_post_meta', array( $this, 'meta_written' ), 10, 4 );
		add_action( 'updated_post_meta', array( $this, 'meta_written' ), 10, 4 );
		add_action( 'delete_post_meta', array( $this, 'meta_deleting' ), 10, 4 );
	}

	/**
	 * A product or variation went to the trash.
	 *
	 * @param int $post_id Post id.
	 */
	public function trashed( $post_id ): void {
		$this->mark_post( (int) $post_id, ChangeMask::RETIRE );
	}

	/**
	 * A product or variation came back from the trash.
	 *
	 * @param int $post_id Post id.
	 */
	public function untrashed( $post_id ): void {
		$this->mark_post( (int) $post_id, ChangeMask::FULL );
	}

	/**
	 * A post is about to be deleted for good (its meta is still readable).
	 *
	 * @param int           $post_id Post id.
	 * @param \WP_Post|null $post    Post.
	 */
	public function deleting( $post_id, $post = null ): void {
		if ( $post instanceof \WP_Post && 'trash' === $post->post_status ) {
			return; // Already retired when it was trashed.
		}
		$this->mark_post( (int) $post_id, ChangeMask::RETIRE );
	}

	/**
	 * Before `_sku` is updated directly: retire the old SKU, create the new one.
	 *
	 * @param int    $meta_id   Meta id.
	 * @param int    $object_id Post id.
	 * @param string $meta_key  Meta key.
	 * @param mixed  $value     New value.
	 */
	public function meta_updating( $meta_id, $object_id, $meta_key, $value ): void {
		if ( '_sku' !== $meta_key || $this->crud->saving() || ! $this->is_product( (int) $object_id ) ) {
			return;
		}
		$old = (string) get_post_meta( (int) $object_id, '_sku', true );
		$new = is_scalar( $value ) ? (string) $value : '';
		if ( $old !== $new ) {
			$this->buffer->mark( $old, (int) $object_id, ChangeMask::RETIRE );
			$this->buffer->mark( $new, (int) $object_id, ChangeMask::FULL );
		}
	}

	/**
	 * After a watched meta key was added or updated directly.
	 *
	 * @param int    $meta_id   Meta id.
	 * @param int    $object_id Post id.
	 * @param string $meta_key  Meta key.
	 * @param mixed  $value     New value.
	 */
	public function meta_written( $meta_id, $object_id, $meta_key, $value ): void {
		$bits = ChangeMask::META_BITS[ $meta_key ] ?? ( '_sku' === $meta_key ? ChangeMask::FULL : 0 );
		if ( 0 === $bits || $this->crud->saving() || ! $this->is_product( (int) $object_id ) ) {
			return;
		}
		if ( ChangeMask::OFFER === $bits && 'variable' === \WC_Product_Factory::get_product_type( (int) $object_id ) ) {
			return; // WooCommerce rewrites a variable parent's price range after every variation change.
		}
		$sku = '_sku' === $meta_key ? ( is_scalar( $value ) ? (string) $value : '' ) : (string) get_post_meta( (int) $object_id, '_sku', true );
		$this->buffer->mark( $sku, (int) $object_id, $bits );
	}

	/**
	 * Before a watched meta key is deleted directly (a deleted `_sku` retires the SKU).
	 *
	 * @param int[]  $meta_ids  Meta ids.
	 * @param int    $object_id Post id.
	 * @param string $meta_key  Meta key.
	 * @param mixed  $value     Value filter of the delete.
	 */
	public function meta_deleting( $meta_ids, $object_id, $meta_key, $value ): void {
		if ( '_sku' !== $meta_key || $this->crud->saving() || ! $this->is_product( (int) $object_id ) ) {
			return;
		}
		$this->buffer->mark( (string) get_post_meta( (int) $object_id, '_sku', true ), (int) $object_id, ChangeMask::RETIRE );
	}

	/**
	 * Marks the SKU of a product post (and, for a variable parent, of its variations).
	 *
	 * @param int $post_id Post id.
	 * @param int $mask    Bits.
	 */
	private function mark_post( int $post_id, int $mask ): void {
		if ( ! $this->is_product( $post_id ) ) {
			return;
		}
		$this->buffer->mark( (string) get_post_meta( $post_id, '_sku', true ), $post_id, $mask );
	}

	/**
	 * Whether the post is a product or a variation.
	 *
	 * @param int $post_id Post id.
	 */
	private function is_product( int $post_id ): bool {
		return $post_id > 0 && isset( self::TYPES[ (string) get_post_type( $post_id ) ] );
	}
}
