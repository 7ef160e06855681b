<?php
/**
 * SKU problems: missing, duplicate and unusable SKUs.
 *
 * @package KeyCrmSync
 */

declare( strict_types=1 );

namespace KeyCrmSync\Problems;

use KeyCrmSync\Capture\SkuRules;

/**
 * Finds, with SQL over posts/postmeta, every live product or variation keyCRM cannot be matched
 * with by SKU. These SKUs are never pushed (their outbox rows are `skipped`).
 */
final class ProblemFinder {

	/** Transient caching the number of problems for the status route (polled every few seconds). */
	public const COUNT_CACHE = 'keycrm_sync_problem_count';

	/**
	 * One page of problems.
	 *
	 * @param int $page     1-based page.
	 * @param int $per_page Problems per page.
	 * @return array{problems:list<array<string,mixed>>, total:int}
	 */
	public function page( int $page, int $per_page ): array {
		global $wpdb;
		$union = $this->union_sql();
		$total = (int) $wpdb->get_var( $wpdb->prepare( "SELECT COUNT(*) FROM ({$union}) x", SkuRules::MAX_LENGTH ) ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared -- fixed SQL with placeholders.
		$rows  = $wpdb->get_results( $wpdb->prepare( "SELECT * FROM ({$union}) x ORDER BY product_id, kind LIMIT %d OFFSET %d", SkuRules::MAX_LENGTH, $per_page, ( $page - 1 ) * $per_page ) ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared -- fixed SQL with placeholders.
		set_transient( self::COUNT_CACHE, $total, 5 * MINUTE_IN_SECONDS );
		return array(
			'problems' => array_map( array( $this, 'problem' ), $rows ),
			'total'    => $total,
		);
	}

	/**
	 * Number of problems (for the status route). Cached for five minutes: the scan takes about
	 * 0.06 s per 1,000 products; listing the problems refreshes the cached number.
	 */
	public function count(): int {
		$cached = get_transient( self::COUNT_CACHE );
		if ( is_numeric( $cached ) ) {
			return (int) $cached;
		}
		return $this->page( 1, 1 )['total'];
	}

	/**
	 * The three problem queries; one %d placeholder (maximum SKU length).
	 */
	private function union_sql(): string {
		global $wpdb;
		$live = "p.post_type IN ('product', 'product_variation') AND p.post_status NOT IN ('trash', 'auto-draft')";
		return "SELECT 'missing_sku' AS kind, '' AS sku, p.ID AS product_id, p.post_parent AS parent_id, p.post_title AS title, '' AS extra
				FROM {$wpdb->posts} p LEFT JOIN {$wpdb->postmeta} m ON m.post_id = p.ID AND m.meta_key = '_sku'
				WHERE {$live} AND COALESCE(m.meta_value, '') = ''
			UNION ALL
			SELECT 'duplicate_sku', m.meta_value, p.ID, p.post_parent, p.post_title, d.ids
				FROM {$wpdb->posts} p JOIN {$wpdb->postmeta} m ON m.post_id = p.ID AND m.meta_key = '_sku'
				JOIN (SELECT CAST(m2.meta_value AS BINARY) AS v, GROUP_CONCAT(p2.ID ORDER BY p2.ID) AS ids
					FROM {$wpdb->posts} p2 JOIN {$wpdb->postmeta} m2 ON m2.post_id = p2.ID AND m2.meta_key = '_sku'
					WHERE p2.post_type IN ('product', 'product_variation') AND p2.post_status NOT IN ('trash', 'auto-draft') AND m2.meta_value <> ''
					GROUP BY CAST(m2.meta_value AS BINARY) HAVING COUNT(*) > 1) d ON d.v = CAST(m.meta_value AS BINARY)
				WHERE {$live}
			UNION ALL
			SELECT 'unusable_sku', m.meta_value, p.ID, p.post_parent, p.post_title, COALESCE(pm.meta_value, '')
				FROM {$wpdb->posts} p JOIN {$wpdb->postmeta} m ON m.post_id = p.ID AND m.meta_key = '_sku'
				LEFT JOIN {$wpdb->postmeta} pm ON p.post_type = 'product_variation' AND pm.post_id = p.post_parent AND pm.meta_key = '_sku'
				WHERE {$live} AND m.meta_value <> '' AND (LOCATE(',', m.meta_value) > 0 OR m.meta_value REGEXP '^[[:space:]]|[[:space:]]$'
					OR CHAR_LENGTH(m.meta_value) > %d OR (p.post_type = 'product_variation' AND COALESCE(pm.meta_value, '') = ''))";
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
			'detail'       => $this->detail( $row, $id, $parent ),
		);
	}

	/**
	 * Plain-words reason.
	 *
	 * @param object $row    Query row.
	 * @param int    $id     Product id.
	 * @param int    $parent Parent id.
	 */
	private function detail( object $row, int $id, int $parent ): string {
		switch ( $row->kind ) {
			case 'missing_sku':
				return __( 'has no SKU', 'keycrm-sync' );
			case 'duplicate_sku':
				$others = array_diff( array_map( 'intval', explode( ',', (string) $row->extra ) ), array( $id ) );
				/* translators: %s: list of product ids. */
				return sprintf( __( 'also used by product %s', 'keycrm-sync' ), '#' . implode( ', #', $others ) );
			default:
				$problem = SkuRules::problem( (string) $row->sku );
				if ( null !== $problem ) {
					return $problem;
				}
				/* translators: %d: parent product id. */
				return sprintf( __( 'its variable product #%d has no SKU', 'keycrm-sync' ), $parent );
		}
	}
}
