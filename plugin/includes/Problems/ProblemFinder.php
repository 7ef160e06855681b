<?php
/**
 * SKU problems: missing, duplicate and unusable SKUs.
 *
 * @package KeyCrmSync
 */

declare( strict_types=1 );

namespace KeyCrmSync\Problems;

use KeyCrmSync\Sku\SkuRules;

/**
 * Finds, with SQL over posts/postmeta, every live product or variation keyCRM cannot be matched
 * with by SKU. These SKUs are never pushed (their outbox rows are `skipped`).
 */
final class ProblemFinder {

	/**
	 * One page of problems (a scan of every product's SKU; it also repairs the stored list that
	 * count() reads when their totals differ).
	 *
	 * @param int $page     1-based page.
	 * @param int $per_page Problems per page.
	 * @return array{problems:list<array<string,mixed>>, total:int}
	 */
	public function page( int $page, int $per_page ): array {
		global $wpdb;
		$union = $this->union_sql();
		$total = (int) $wpdb->get_var( "SELECT COUNT(*) FROM ({$union}) x" ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared,WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- fixed SQL.
		$rows  = $wpdb->get_results( $wpdb->prepare( "SELECT * FROM ({$union}) x ORDER BY product_id, kind LIMIT %d OFFSET %d", $per_page, ( $page - 1 ) * $per_page ) ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared,WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- fixed SQL with placeholders.
		$index = new ProblemIndex();
		if ( $index->count() !== $total ) {
			$index->rebuild();
		}
		return array(
			'problems' => array_map( array( $this, 'problem' ), $rows ),
			'total'    => $total,
		);
	}

	/**
	 * Number of problems (for the status route, asked for on every Overview load): one indexed
	 * count of the list kept at capture time (ProblemIndex), not a scan.
	 */
	public function count(): int {
		return ( new ProblemIndex() )->count();
	}

	/**
	 * The three problem queries (no placeholders): the one definition of what is listed. Empty
	 * means zero bytes (not `= ''`, which a text collation also grants to spaces and ignorable
	 * characters).
	 */
	public function union_sql(): string {
		global $wpdb;
		$live     = "p.post_type IN ('product', 'product_variation') AND p.post_status NOT IN ('trash', 'auto-draft')";
		$unusable = SkuRules::sql_unusable( 'm.meta_value' );
		return "SELECT 'missing_sku' AS kind, '' AS sku, p.ID AS product_id, p.post_parent AS parent_id, p.post_title AS title, '' AS extra
				FROM {$wpdb->posts} p LEFT JOIN {$wpdb->postmeta} m ON m.post_id = p.ID AND m.meta_key = '_sku'
				WHERE {$live} AND LENGTH(COALESCE(m.meta_value, '')) = 0 AND " . self::needs_sku_sql( 'p' ) . "
			UNION ALL
			SELECT 'duplicate_sku', m.meta_value, p.ID, p.post_parent, p.post_title, d.ids
				FROM {$wpdb->posts} p JOIN {$wpdb->postmeta} m ON m.post_id = p.ID AND m.meta_key = '_sku'
				JOIN (SELECT CAST(m2.meta_value AS BINARY) AS v, GROUP_CONCAT(p2.ID ORDER BY p2.ID) AS ids
					FROM {$wpdb->posts} p2 JOIN {$wpdb->postmeta} m2 ON m2.post_id = p2.ID AND m2.meta_key = '_sku'
					WHERE p2.post_type IN ('product', 'product_variation') AND p2.post_status NOT IN ('trash', 'auto-draft') AND LENGTH(m2.meta_value) > 0
					GROUP BY CAST(m2.meta_value AS BINARY) HAVING COUNT(*) > 1) d ON d.v = CAST(m.meta_value AS BINARY)
				WHERE {$live}
			UNION ALL
			SELECT 'unusable_sku', m.meta_value, p.ID, p.post_parent, p.post_title, ''
				FROM {$wpdb->posts} p JOIN {$wpdb->postmeta} m ON m.post_id = p.ID AND m.meta_key = '_sku'
				WHERE {$live} AND LENGTH(m.meta_value) > 0 AND {$unusable}
			UNION ALL
			" . self::shared_stock_sql( '' );
	}

	/**
	 * Variable products whose stock is shared by variations that do not manage their own: keyCRM
	 * keeps stock per offer, so each such variation is sent the product's whole quantity. One row
	 * per product (kind `parent_stock`, extra = number of such variations).
	 *
	 * @param string $where Extra condition on the product `p` (SQL, may be '').
	 */
	public static function shared_stock_sql( string $where ): string {
		global $wpdb;
		return "SELECT 'parent_stock' AS kind, COALESCE(MAX(m.meta_value), '') AS sku, p.ID AS product_id, 0 AS parent_id, p.post_title AS title, COUNT(*) AS extra
				FROM {$wpdb->posts} p
				JOIN {$wpdb->postmeta} ms ON ms.post_id = p.ID AND ms.meta_key = '_manage_stock' AND ms.meta_value = 'yes'
				JOIN {$wpdb->posts} c ON c.post_parent = p.ID AND c.post_type = 'product_variation' AND c.post_status NOT IN ('trash', 'auto-draft')
				LEFT JOIN {$wpdb->postmeta} cm ON cm.post_id = c.ID AND cm.meta_key = '_manage_stock'
				LEFT JOIN {$wpdb->postmeta} m ON m.post_id = p.ID AND m.meta_key = '_sku'
				WHERE p.post_type = 'product' AND p.post_status NOT IN ('trash', 'auto-draft') AND COALESCE(cm.meta_value, 'no') <> 'yes'" . ( '' === $where ? '' : " AND {$where}" ) . '
				GROUP BY p.ID, p.post_title';
	}

	/**
	 * SQL condition: the product or variation aliased $alias must have a SKU to be sent. Every
	 * variation must (it is a keyCRM offer); a variable or grouped product need not (keyCRM needs
	 * SKUs on offers only: a variable product's offers are its variations).
	 *
	 * @param string $alias Alias of the posts table.
	 */
	public static function needs_sku_sql( string $alias ): string {
		global $wpdb;
		return "({$alias}.post_type = 'product_variation' OR NOT EXISTS (SELECT 1 FROM {$wpdb->term_relationships} tr
			JOIN {$wpdb->term_taxonomy} tt ON tt.term_taxonomy_id = tr.term_taxonomy_id AND tt.taxonomy = 'product_type'
			JOIN {$wpdb->terms} t ON t.term_id = tt.term_id
			WHERE tr.object_id = {$alias}.ID AND t.slug IN ('variable', 'grouped')))";
	}

	/**
	 * A row as a contract Problem.
	 *
	 * @param object $row Query row.
	 * @return array<string, mixed>
	 */
	private function problem( object $row ): array {
		$id     = (int) $row->product_id;
		$parent = (int) $row->parent_id;
		return array(
			'kind'         => (string) $row->kind,
			'sku'          => (string) $row->sku,
			'product_id'   => $id,
			'parent_id'    => $parent > 0 ? $parent : null,
			'product_name' => (string) $row->title,
			'edit_url'     => admin_url( 'post.php?post=' . ( $parent > 0 ? $parent : $id ) . '&action=edit' ),
			'detail'       => $this->detail( $row, $id ),
		);
	}

	/**
	 * Plain-words reason.
	 *
	 * @param object $row Query row.
	 * @param int    $id  Product id.
	 */
	private function detail( object $row, int $id ): string {
		switch ( $row->kind ) {
			case 'missing_sku':
				return __( 'has no SKU', 'keycrm-sync' );
			case 'duplicate_sku':
				$others = array_diff( array_map( 'intval', explode( ',', (string) $row->extra ) ), array( $id ) );
				/* translators: %s: list of product ids. */
				return sprintf( __( 'also used by product %s', 'keycrm-sync' ), '#' . implode( ', #', $others ) );
			case 'parent_stock':
				$count = (int) $row->extra;
				return sprintf(
					/* translators: %d: number of variations. */
					_n(
						'stock is managed on the variable product, so keyCRM gets its whole quantity on %d variation; to send each variation its own stock, turn on "Manage stock?" in the variation',
						'stock is managed on the variable product, so keyCRM gets its whole quantity on each of %d variations (its totals count it that many times); to send each variation its own stock, turn on "Manage stock?" in every variation',
						$count,
						'keycrm-sync'
					),
					$count
				);
			default:
				return (string) SkuRules::problem( (string) $row->sku );
		}
	}
}
