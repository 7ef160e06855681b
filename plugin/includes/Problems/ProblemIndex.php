<?php
/**
 * The stored list of SKU problems, kept up to date at capture time.
 *
 * @package KeyCrmSync
 */

declare( strict_types=1 );

namespace KeyCrmSync\Problems;

use KeyCrmSync\Exception\StorageFailed;
use KeyCrmSync\Sku\SkuOwners;
use KeyCrmSync\Sku\SkuRules;

/**
 * One row per (product, problem kind): what ProblemFinder's scan would list, stored so that the
 * number of problems (asked for by the Overview screen on every load) is one indexed count
 * instead of a scan of every product's SKU.
 *
 * Kept current by the outbox writer for every product a change touches (the products of the
 * marked SKUs and their other owners, and changed products without a SKU), rebuilt whole on
 * activation and upgrade and whenever the Problems screen's scan finds a different total (a
 * change that bypassed every WordPress hook, e.g. direct SQL).
 */
final class ProblemIndex {

	/**
	 * Full table name with the site's prefix.
	 */
	public static function name(): string {
		global $wpdb;
		return $wpdb->prefix . 'keycrm_sync_problems';
	}

	/**
	 * CREATE TABLE in dbDelta's format.
	 */
	public static function create_sql(): string {
		global $wpdb;
		$table   = self::name();
		$collate = $wpdb->get_charset_collate();
		return "CREATE TABLE {$table} (
  product_id bigint(20) unsigned NOT NULL,
  kind varchar(20) NOT NULL,
  PRIMARY KEY  (product_id,kind)
) {$collate};";
	}

	/**
	 * Number of problems (equal to ProblemFinder's total).
	 */
	public function count(): int {
		global $wpdb;
		return (int) $wpdb->get_var( 'SELECT COUNT(*) FROM ' . self::name() ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared -- table from prefix.
	}

	/**
	 * Replaces the whole list with ProblemFinder's scan (set-based SQL).
	 *
	 * @throws StorageFailed On a database error.
	 */
	public function rebuild(): void {
		global $wpdb;
		$table = self::name();
		$union = ( new ProblemFinder() )->union_sql();
		// phpcs:disable WordPress.DB.PreparedSQL.NotPrepared,WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- fixed SQL, table from prefix.
		$ok = false !== $wpdb->query( "DELETE FROM {$table}" )
			&& false !== $wpdb->query( "INSERT IGNORE INTO {$table} (product_id, kind) SELECT product_id, kind FROM ({$union}) x" );
		// phpcs:enable
		if ( ! $ok ) {
			throw StorageFailed::from_wpdb( 'problems' );
		}
	}

	/**
	 * Recomputes the problems of these products, as ProblemFinder's scan would judge them.
	 *
	 * @param int[]                                                   $ids    Touched products and variations.
	 * @param SkuOwners                                               $owners Resolves SKUs to their live owners (duplicates).
	 * @param array<string, list<array{id:int, parent_id:int, type:string}>> $known  Owners already resolved, keyed by "s:" . SKU.
	 * @throws StorageFailed On a database error.
	 */
	public function refresh( array $ids, SkuOwners $owners, array $known = array() ): void {
		global $wpdb;
		$ids = array_values( array_filter( array_unique( array_map( 'intval', $ids ) ) ) );
		if ( array() === $ids ) {
			return;
		}
		$in      = implode( ',', array_fill( 0, count( $ids ), '%d' ) );
		$parents = $wpdb->get_col( $wpdb->prepare( "SELECT DISTINCT post_parent FROM {$wpdb->posts} WHERE ID IN ($in) AND post_type = 'product_variation'", $ids ) ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared,WordPress.DB.PreparedSQLPlaceholders.UnfinishedPrepare -- $in is placeholders.
		$ids     = array_values( array_filter( array_unique( array_merge( $ids, array_map( 'intval', $parents ) ) ) ) ); // A variation's stock setting is its parent's problem.
		$in      = implode( ',', array_fill( 0, count( $ids ), '%d' ) );
		$sql     = 'SELECT p.ID, m.meta_value AS sku, ' . ProblemFinder::needs_sku_sql( 'p' ) . " AS needs_sku
			FROM {$wpdb->posts} p
			LEFT JOIN {$wpdb->postmeta} m ON m.post_id = p.ID AND m.meta_key = '_sku'
			WHERE p.ID IN ($in) AND p.post_type IN ('product', 'product_variation') AND p.post_status NOT IN ('trash', 'auto-draft')";
		$rows    = $wpdb->get_results( $wpdb->prepare( $sql, $ids ) ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared -- placeholders only.
		$skus    = array();
		foreach ( $rows as $row ) {
			if ( ! self::sql_empty( $row->sku ) && ! array_key_exists( 's:' . $row->sku, $known ) ) {
				$skus[] = (string) $row->sku;
			}
		}
		$held   = $known + ( array() === $skus ? array() : $owners->resolve( array_values( array_unique( $skus ) ), $ids ) );
		$values = array();
		$args   = array();
		foreach ( $rows as $row ) {
			foreach ( self::kinds( $row, count( $held[ 's:' . $row->sku ] ?? array() ) ) as $kind ) {
				$values[] = '(%d, %s)';
				array_push( $args, (int) $row->ID, $kind );
			}
		}
		foreach ( $wpdb->get_col( $wpdb->prepare( 'SELECT product_id FROM (' . ProblemFinder::shared_stock_sql( "p.ID IN ($in)" ) . ') x', $ids ) ) as $shared ) { // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared,WordPress.DB.PreparedSQL.InterpolatedNotPrepared,WordPress.DB.PreparedSQLPlaceholders.UnfinishedPrepare -- $in is placeholders.
			$values[] = '(%d, %s)';
			array_push( $args, (int) $shared, 'parent_stock' );
		}
		$table = self::name();
		$ok    = false !== $wpdb->query( $wpdb->prepare( "DELETE FROM {$table} WHERE product_id IN ($in)", $ids ) ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared,WordPress.DB.PreparedSQLPlaceholders.UnfinishedPrepare -- $in is placeholders.
		if ( $ok && array() !== $values ) {
			$ok = false !== $wpdb->query( $wpdb->prepare( "INSERT IGNORE INTO {$table} (product_id, kind) VALUES " . implode( ', ', $values ), $args ) ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared,WordPress.DB.PreparedSQL.NotPrepared,WordPress.DB.PreparedSQLPlaceholders.UnfinishedPrepare -- placeholders only.
		}
		if ( ! $ok ) {
			throw StorageFailed::from_wpdb( 'problems' );
		}
	}

	/**
	 * The problem kinds of one live product, by the rules of ProblemFinder's scan.
	 *
	 * @param object $row    Post row with sku (null when absent) and needs_sku.
	 * @param int    $owners Live products holding its SKU.
	 * @return list<string>
	 */
	private static function kinds( object $row, int $owners ): array {
		if ( self::sql_empty( $row->sku ) ) {
			return (int) $row->needs_sku ? array( 'missing_sku' ) : array();
		}
		$kinds = array();
		if ( $owners > 1 ) {
			$kinds[] = 'duplicate_sku';
		}
		if ( null !== SkuRules::problem( (string) $row->sku ) ) {
			$kinds[] = 'unusable_sku';
		}
		return $kinds;
	}

	/**
	 * Whether a SKU meta value is absent or empty (zero bytes, as ProblemFinder's SQL tests it).
	 *
	 * @param string|null $value Meta value.
	 */
	private static function sql_empty( ?string $value ): bool {
		return null === $value || '' === $value;
	}
}
