<?php
/**
 * Captures the category changes that change what keyCRM gets.
 *
 * @package KeyCrmSync
 */

declare( strict_types=1 );

namespace KeyCrmSync\Capture;

use KeyCrmSync\Infrastructure\Registerable;
use KeyCrmSync\Outbox\ChangeMask;
use KeyCrmSync\Outbox\SettingsRequeue;
use KeyCrmSync\Snapshot\CategoryPath;

/**
 * A product's keyCRM category is its primary category's path (see CategoryPath), so these mark
 * product data:
 * - a product's categories set outside the product object (the classic editor's category box,
 *   quick and bulk edit, `wp_set_object_terms`), or its Yoast SEO primary category changed;
 * - a category renamed or moved under another parent: every product in it or below it;
 * - a category deleted: its products (WordPress moves them to the default category) and those
 *   below it (its subcategories move up a level).
 */
final class CategoryHooks implements Registerable {

	/** Name and parent of categories being edited, by term id. @var array<int, array{0:string, 1:int}> */
	private array $before = array();

	/**
	 * Constructor.
	 *
	 * @param ChangeBuffer    $buffer  Marks of single products.
	 * @param SettingsRequeue $requeue Set-based marks.
	 */
	public function __construct( private ChangeBuffer $buffer, private SettingsRequeue $requeue ) {
	}

	/**
	 * Adds the hooks.
	 */
	public function register(): void {
		add_action( 'set_object_terms', array( $this, 'terms_set' ), 10, 6 );
		add_action( 'edit_terms', array( $this, 'before_edit' ), 10, 2 );
		add_action( 'edited_term', array( $this, 'edited' ), 10, 3 );
		add_action( 'pre_delete_term', array( $this, 'before_delete' ), 10, 2 );
		foreach ( array( 'added_post_meta', 'updated_post_meta', 'deleted_post_meta' ) as $hook ) {
			add_action( $hook, array( $this, 'meta_changed' ), 10, 3 );
		}
	}

	/**
	 * A product's categories were set.
	 *
	 * @param int    $object_id  Post id.
	 * @param array  $terms      Terms given.
	 * @param array  $tt_ids     Term taxonomy ids now.
	 * @param string $taxonomy   Taxonomy.
	 * @param bool   $append     Appended.
	 * @param array  $old_tt_ids Term taxonomy ids before.
	 */
	public function terms_set( $object_id, $terms, $tt_ids, $taxonomy, $append = false, $old_tt_ids = array() ): void {
		if ( 'product_cat' !== $taxonomy ) {
			return;
		}
		$now = array_map( 'intval', (array) $tt_ids );
		$old = array_map( 'intval', (array) $old_tt_ids );
		sort( $now );
		sort( $old );
		if ( $now !== $old ) {
			$this->mark_product( (int) $object_id );
		}
	}

	/**
	 * A product's Yoast SEO primary category changed.
	 *
	 * @param int|array $meta_id   Meta id(s).
	 * @param int       $object_id Post id.
	 * @param string    $meta_key  Meta key.
	 */
	public function meta_changed( $meta_id, $object_id, $meta_key ): void {
		if ( CategoryPath::PRIMARY_META === $meta_key && 'product' === get_post_type( (int) $object_id ) ) {
			$this->mark_product( (int) $object_id );
		}
	}

	/**
	 * Before a term is edited: its name and parent.
	 *
	 * @param int    $term_id  Term id.
	 * @param string $taxonomy Taxonomy.
	 */
	public function before_edit( $term_id, $taxonomy = '' ): void {
		$term = 'product_cat' === $taxonomy ? get_term( (int) $term_id, 'product_cat' ) : null;
		if ( $term instanceof \WP_Term ) {
			$this->before[ (int) $term_id ] = array( $term->name, (int) $term->parent );
		}
	}

	/**
	 * After a term was edited: a rename or move marks its products and those below it.
	 *
	 * @param int    $term_id  Term id.
	 * @param int    $tt_id    Term taxonomy id.
	 * @param string $taxonomy Taxonomy.
	 */
	public function edited( $term_id, $tt_id, $taxonomy = '' ): void {
		$before = $this->before[ (int) $term_id ] ?? null;
		unset( $this->before[ (int) $term_id ] );
		$term = 'product_cat' === $taxonomy ? get_term( (int) $term_id, 'product_cat' ) : null;
		if ( null === $before || ! $term instanceof \WP_Term || array( $term->name, (int) $term->parent ) === $before ) {
			return;
		}
		$this->mark_tree( (int) $term_id );
	}

	/**
	 * Before a category is deleted: its products and those below it.
	 *
	 * @param int    $term_id  Term id.
	 * @param string $taxonomy Taxonomy.
	 */
	public function before_delete( $term_id, $taxonomy = '' ): void {
		if ( 'product_cat' === $taxonomy ) {
			$this->mark_tree( (int) $term_id );
		}
	}

	/**
	 * Marks the products of a category and its subcategories.
	 *
	 * @param int $term_id Term id.
	 */
	private function mark_tree( int $term_id ): void {
		$children = get_term_children( $term_id, 'product_cat' );
		$ids      = array_merge( array( $term_id ), is_array( $children ) ? array_map( 'intval', $children ) : array() );
		try {
			$this->requeue->categories( $ids );
		} catch ( \RuntimeException $e ) {
			error_log( $e->getMessage() ); // phpcs:ignore WordPress.PHP.DevelopmentFunctions.error_log_error_log -- a lost mark must leave a trace.
		}
	}

	/**
	 * Marks a product's data (a variable product's variations too: a parent without a SKU is
	 * sent through them).
	 *
	 * @param int $product_id Post id.
	 */
	private function mark_product( int $product_id ): void {
		$type = get_post_type( $product_id );
		if ( 'product' !== $type ) {
			return;
		}
		$this->buffer->mark( (string) get_post_meta( $product_id, '_sku', true ), $product_id, ChangeMask::PRODUCT );
		foreach ( get_children(
			array(
				'post_parent' => $product_id,
				'post_type'   => 'product_variation',
				'fields'      => 'ids',
				'post_status' => 'any',
			)
		) as $child ) {
			$this->buffer->mark( (string) get_post_meta( (int) $child, '_sku', true ), (int) $child, ChangeMask::PRODUCT );
		}
	}
}
