<?php
/**
 * Read-only queries on the outbox for admin screens.
 *
 * @package KeyCrmSync
 */

declare( strict_types=1 );

namespace KeyCrmSync\Outbox;

use KeyCrmSync\Infrastructure\Dates;

/**
 * Counts, the per-SKU list, and the rows of given products (for the products-list column).
 */
final class OutboxReader {

	/** Item states of the contract. */
	public const STATES = array( 'pending', 'synced', 'failed', 'dead', 'skipped' );

	/**
	 * Row counts per state, total, dirty and the oldest pending change.
	 *
	 * @return array{counts:array<string,int>, total:int, dirty:int, oldest_pending_at:string|null}
	 */
	public function counts(): array {
		global $wpdb;
		$table  = OutboxTable::name();
		$counts = array_fill_keys( self::STATES, 0 );
		foreach ( $wpdb->get_results( "SELECT state, COUNT(*) AS n FROM {$table} GROUP BY state" ) as $row ) { // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- table from prefix.
			if ( isset( $counts[ $row->state ] ) ) {
				$counts[ $row->state ] = (int) $row->n;
			}
		}
		$dirty = $wpdb->get_row( "SELECT COUNT(*) AS n, MIN(COALESCE(dirty_since, updated_at)) AS oldest FROM {$table} WHERE state IN ('pending', 'failed') AND version > synced_version" ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- table from prefix.
		return array(
			'counts'            => $counts,
			'total'             => array_sum( $counts ),
			'dirty'             => (int) $dirty->n,
			'oldest_pending_at' => Dates::iso( $dirty->oldest ),
		);
	}

	/**
	 * One page of rows, filtered by SKU search and state, newest change first.
	 *
	 * @param string      $search   Part of a SKU ('' = all).
	 * @param string|null $state    Item state or null.
	 * @param int         $page     1-based page.
	 * @param int         $per_page Rows per page.
	 * @return array{rows:list<object>, total:int}
	 */
	public function page( string $search, ?string $state, int $page, int $per_page ): array {
		global $wpdb;
		$table = OutboxTable::name();
		$where = array( '1=1' );
		$args  = array();
		if ( '' !== $search ) {
			$where[] = 'sku LIKE %s';
			$args[]  = '%' . $wpdb->esc_like( $search ) . '%';
		}
		if ( null !== $state ) {
			$where[] = 'state = %s';
			$args[]  = $state;
		}
		$cond  = implode( ' AND ', $where );
		$total = (int) $wpdb->get_var( $args ? $wpdb->prepare( "SELECT COUNT(*) FROM {$table} WHERE {$cond}", $args ) : "SELECT COUNT(*) FROM {$table}" ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared,WordPress.DB.PreparedSQL.InterpolatedNotPrepared,WordPress.DB.PreparedSQLPlaceholders.UnfinishedPrepare,WordPress.DB.PreparedSQLPlaceholders.ReplacementsWrongNumber -- fixed fragments with placeholders.
		$rows  = $wpdb->get_results( $wpdb->prepare( "SELECT * FROM {$table} WHERE {$cond} ORDER BY updated_at DESC, id DESC LIMIT %d OFFSET %d", array_merge( $args, array( $per_page, ( $page - 1 ) * $per_page ) ) ) ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared,WordPress.DB.PreparedSQL.InterpolatedNotPrepared,WordPress.DB.PreparedSQLPlaceholders.ReplacementsWrongNumber -- fixed fragments with placeholders.
		return array(
			'rows'  => $rows,
			'total' => $total,
		);
	}

	/**
	 * Outbox rows of the given products and of their variations (products-list column).
	 *
	 * @param int[] $product_ids Product ids.
	 * @return list<object>
	 */
	public function rows_for_products( array $product_ids ): array {
		global $wpdb;
		$ids = array_values( array_filter( array_map( 'intval', $product_ids ) ) );
		if ( array() === $ids ) {
			return array();
		}
		$table = OutboxTable::name();
		$in    = implode( ',', array_fill( 0, count( $ids ), '%d' ) );
		return $wpdb->get_results( $wpdb->prepare( "SELECT * FROM {$table} WHERE product_id IN ($in) OR parent_id IN ($in)", array_merge( $ids, $ids ) ) ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared,WordPress.DB.PreparedSQLPlaceholders.UnfinishedPrepare -- placeholders.
	}

	/**
	 * The row of one SKU, or null.
	 *
	 * @param string $sku SKU.
	 */
	public function row( string $sku ): ?object {
		global $wpdb;
		$table = OutboxTable::name();
		$row   = $wpdb->get_row( $wpdb->prepare( "SELECT * FROM {$table} WHERE sku = %s", $sku ) ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- table from prefix.
		return is_object( $row ) ? $row : null;
	}

	/**
	 * Makes failed/dead rows (all, or the given SKUs) due again with fresh attempts.
	 *
	 * @param string[]|null $skus SKUs, or null for every failed/dead row.
	 * @return int Rows made due.
	 */
	public function retry( ?array $skus ): int {
		global $wpdb;
		$table = OutboxTable::name();
		$sql   = "UPDATE {$table} SET state = 'pending', attempts = 0, next_attempt_at = NULL, dirty_since = COALESCE(dirty_since, %s), version = CASE WHEN version > synced_version THEN version ELSE version + 1 END, updated_at = %s WHERE state IN ('failed', 'dead')";
		$args  = array( Dates::mysql(), Dates::mysql() );
		if ( null !== $skus ) {
			if ( array() === $skus ) {
				return 0;
			}
			$sql .= ' AND sku IN (' . implode( ',', array_fill( 0, count( $skus ), '%s' ) ) . ')';
			$args = array_merge( $args, array_values( $skus ) );
		}
		return (int) $wpdb->query( $wpdb->prepare( $sql, $args ) ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared -- placeholders only.
	}
}
