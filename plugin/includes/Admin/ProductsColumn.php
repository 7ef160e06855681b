<?php
/**
 * "keyCRM" status column in the WooCommerce products list.
 *
 * @package KeyCrmSync
 */

declare( strict_types=1 );

namespace KeyCrmSync\Admin;

use KeyCrmSync\Infrastructure\Registerable;
use KeyCrmSync\Outbox\OutboxTable;

/**
 * Adds a "keyCRM" column to Products → All Products showing each product's sync state (for a
 * variable product: the worst state of its variations). The states of all products on the
 * listed page are read with one prepared query on the outbox table.
 */
final class ProductsColumn implements Registerable {

	/** Column key. */
	public const COLUMN = 'keycrm_sync';

	/** State severity, worst last: the product shows its worst SKU's state. */
	private const SEVERITY = array(
		'synced'  => 0,
		'skipped' => 1,
		'pending' => 2,
		'failed'  => 3,
		'dead'    => 4,
	);

	/** @var array<int, array{state: string, dirty: bool, error: string, count: int}>|null */
	private ?array $states = null;

	/**
	 * Hooks the column into the products list table.
	 */
	public function register(): void {
		add_filter( 'manage_edit-product_columns', array( $this, 'add_column' ), 20 );
		add_action( 'manage_product_posts_custom_column', array( $this, 'render_column' ), 10, 2 );
		add_action( 'admin_head-edit.php', array( $this, 'print_style' ) );
	}

	/**
	 * A few lines of CSS for the state labels (products list only).
	 */
	public function print_style(): void {
		$screen = function_exists( 'get_current_screen' ) ? get_current_screen() : null;
		if ( ! $screen || 'edit-product' !== $screen->id ) {
			return;
		}
		echo '<style>.column-keycrm_sync{width:9ch}.keycrm-sync-state{display:inline-block;padding:0 6px;border-radius:8px;background:#f0f0f1;white-space:nowrap}'
			. '.keycrm-sync-state--synced{background:#d7f0dd;color:#1e4620}.keycrm-sync-state--pending{background:#fcf0d2;color:#614200}'
			. '.keycrm-sync-state--failed,.keycrm-sync-state--dead{background:#f8d7da;color:#8a1f11}</style>';
	}

	/**
	 * Inserts the column after the SKU (or stock) column.
	 *
	 * @param array<string, string> $columns Existing columns.
	 * @return array<string, string>
	 */
	public function add_column( array $columns ): array {
		$after  = isset( $columns['is_in_stock'] ) ? 'is_in_stock' : ( isset( $columns['sku'] ) ? 'sku' : '' );
		$result = array();
		foreach ( $columns as $key => $label ) {
			$result[ $key ] = $label;
			if ( $key === $after ) {
				$result[ self::COLUMN ] = __( 'keyCRM', 'keycrm-sync' );
			}
		}
		if ( ! isset( $result[ self::COLUMN ] ) ) {
			$result[ self::COLUMN ] = __( 'keyCRM', 'keycrm-sync' );
		}
		return $result;
	}

	/**
	 * Prints the cell for one product.
	 *
	 * @param string $column  Column key.
	 * @param int    $post_id Product id.
	 */
	public function render_column( string $column, int $post_id ): void {
		if ( self::COLUMN !== $column ) {
			return;
		}
		if ( null === $this->states ) {
			$this->states = $this->load_states( $this->listed_ids() );
		}
		$row = $this->states[ $post_id ] ?? null;
		echo wp_kses_post( $this->cell_html( $row ) );
	}

	/**
	 * HTML of one cell (escaped).
	 *
	 * @param array{state: string, dirty: bool, error: string, count: int}|null $row Aggregated state.
	 */
	public function cell_html( ?array $row ): string {
		if ( null === $row ) {
			return '<span class="keycrm-sync-state keycrm-sync-state--none">' . esc_html__( 'Not tracked', 'keycrm-sync' ) . '</span>';
		}
		$labels = array(
			'synced'  => __( 'Synced', 'keycrm-sync' ),
			'pending' => __( 'Pending', 'keycrm-sync' ),
			'failed'  => __( 'Failed', 'keycrm-sync' ),
			'dead'    => __( 'Gave up', 'keycrm-sync' ),
			'skipped' => __( 'Skipped', 'keycrm-sync' ),
		);
		$state  = $row['state'];
		$label  = $labels[ $state ] ?? $state;
		$title  = '' !== $row['error'] ? $row['error'] : $label;
		$html   = sprintf(
			'<mark class="keycrm-sync-state keycrm-sync-state--%1$s" title="%2$s"><span>%3$s</span></mark>',
			esc_attr( $state ),
			esc_attr( $title ),
			esc_html( $label )
		);
		if ( $row['count'] > 1 ) {
			/* translators: %d: number of SKUs (variations) of the product. */
			$html .= ' <small>' . esc_html( sprintf( _n( '%d SKU', '%d SKUs', $row['count'], 'keycrm-sync' ), $row['count'] ) ) . '</small>';
		}
		return $html;
	}

	/**
	 * Ids of the products on the current list page.
	 *
	 * @return int[]
	 */
	private function listed_ids(): array {
		global $wp_query;
		if ( ! isset( $wp_query->posts ) || ! is_array( $wp_query->posts ) ) {
			return array();
		}
		$ids = array();
		foreach ( $wp_query->posts as $post ) {
			$ids[] = (int) ( is_object( $post ) ? $post->ID : $post );
		}
		return array_values( array_filter( $ids ) );
	}

	/**
	 * Reads the outbox rows of the given products and their variations, aggregated per product.
	 *
	 * @param int[] $ids Product ids.
	 * @return array<int, array{state: string, dirty: bool, error: string, count: int}>
	 */
	public function load_states( array $ids ): array {
		global $wpdb;
		if ( array() === $ids ) {
			return array();
		}
		$table = class_exists( OutboxTable::class ) ? OutboxTable::name() : $wpdb->prefix . 'keycrm_sync_items';
		if ( $wpdb->get_var( $wpdb->prepare( 'SHOW TABLES LIKE %s', $wpdb->esc_like( $table ) ) ) !== $table ) {
			return array();
		}
		$placeholders = implode( ',', array_fill( 0, count( $ids ), '%d' ) );
		// phpcs:disable WordPress.DB.PreparedSQL.InterpolatedNotPrepared, WordPress.DB.PreparedSQLPlaceholders.UnfinishedPrepare -- the table name is the plugin's own; $placeholders is a list of %d.
		$rows = $wpdb->get_results(
			$wpdb->prepare(
				"SELECT product_id, parent_id, state, version, synced_version, last_error FROM {$table}
				WHERE product_id IN ({$placeholders}) OR parent_id IN ({$placeholders})",
				array_merge( $ids, $ids )
			),
			ARRAY_A
		);
		// phpcs:enable
		return $this->aggregate( is_array( $rows ) ? $rows : array(), $ids );
	}

	/**
	 * Folds outbox rows into one worst state per listed product.
	 *
	 * @param array<int, array<string, mixed>> $rows Outbox rows.
	 * @param int[]                            $ids  Listed product ids.
	 * @return array<int, array{state: string, dirty: bool, error: string, count: int}>
	 */
	public function aggregate( array $rows, array $ids ): array {
		$listed = array_flip( $ids );
		$out    = array();
		foreach ( $rows as $row ) {
			$pid    = (int) $row['product_id'];
			$parent = (int) ( $row['parent_id'] ?? 0 );
			$owner  = isset( $listed[ $parent ] ) ? $parent : $pid;
			if ( ! isset( $listed[ $owner ] ) ) {
				continue;
			}
			$state = (string) $row['state'];
			$dirty = (int) $row['version'] > (int) $row['synced_version'];
			if ( 'synced' === $state && $dirty ) {
				$state = 'pending';
			}
			$prev          = $out[ $owner ] ?? array(
				'state' => 'synced',
				'dirty' => false,
				'error' => '',
				'count' => 0,
			);
			$worse         = ( self::SEVERITY[ $state ] ?? 0 ) > ( self::SEVERITY[ $prev['state'] ] ?? 0 );
			$out[ $owner ] = array(
				'state' => $worse || 0 === $prev['count'] ? $state : $prev['state'],
				'dirty' => $prev['dirty'] || $dirty,
				'error' => $worse && ! empty( $row['last_error'] ) ? (string) $row['last_error'] : $prev['error'],
				'count' => $prev['count'] + 1,
			);
		}
		return $out;
	}
}
