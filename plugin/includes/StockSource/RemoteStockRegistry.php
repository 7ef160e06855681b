<?php
/**
 * SKUs keyCRM reports that the shop cannot take, and SKUs whose stock drifted.
 *
 * @package KeyCrmSync
 */

declare( strict_types=1 );

namespace KeyCrmSync\StockSource;

use KeyCrmSync\Infrastructure\Clock;

/**
 * Rows of `{prefix}keycrm_sync_stock_remote`, one per (kind, SKU):
 * `unknown` (no shop product has the SKU), `unmanaged` (the product does not manage stock),
 * `drift` (WooCommerce mode: keyCRM's stock differs from the shop's).
 */
final class RemoteStockRegistry {

	public const KINDS = array( 'unknown', 'unmanaged', 'drift' );

	/**
	 * Records (or refreshes) one SKU.
	 *
	 * @param string      $kind       One of KINDS.
	 * @param StockUpdate $update     What keyCRM reported.
	 * @param int|null    $product_id Shop product id, when there is one.
	 * @param float|null  $shop_stock Shop stock, when known.
	 */
	public function record( string $kind, StockUpdate $update, ?int $product_id, ?float $shop_stock ): void {
		global $wpdb;
		$table = StockSourceSchema::remote_table();
		$now   = Clock::mysql();
		$shop  = null === $shop_stock ? 'NULL' : $wpdb->prepare( '%f', $shop_stock );
		// phpcs:disable WordPress.DB.DirectDatabaseQuery.DirectQuery, WordPress.DB.DirectDatabaseQuery.NoCaching, WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- custom table name from the schema class; $shop is prepared above.
		$wpdb->query(
			$wpdb->prepare(
				"INSERT INTO {$table} (kind, sku, offer_id, product_id, keycrm_in_stock, keycrm_in_reserve, shop_stock, first_seen_at, last_seen_at, seen_count)
				VALUES (%s, %s, NULLIF(%d, 0), NULLIF(%d, 0), %f, %f, {$shop}, %s, %s, 1)
				ON DUPLICATE KEY UPDATE offer_id = VALUES(offer_id), product_id = VALUES(product_id), keycrm_in_stock = VALUES(keycrm_in_stock),
				keycrm_in_reserve = VALUES(keycrm_in_reserve), shop_stock = VALUES(shop_stock), last_seen_at = VALUES(last_seen_at), seen_count = seen_count + 1",
				$kind,
				$update->sku,
				(int) $update->offer_id,
				(int) $product_id,
				$update->in_stock,
				$update->in_reserve,
				$now,
				$now
			)
		);
		// phpcs:enable
	}

	/**
	 * Forgets SKUs of the given kinds (they are fine now).
	 *
	 * @param list<string> $kinds Kinds.
	 * @param string       $sku   SKU.
	 */
	public function forget( array $kinds, string $sku ): void {
		global $wpdb;
		$table        = StockSourceSchema::remote_table();
		$placeholders = implode( ',', array_fill( 0, count( $kinds ), '%s' ) );
		// phpcs:ignore WordPress.DB.DirectDatabaseQuery.DirectQuery, WordPress.DB.DirectDatabaseQuery.NoCaching, WordPress.DB.PreparedSQL.InterpolatedNotPrepared, WordPress.DB.PreparedSQLPlaceholders.UnfinishedPrepare, WordPress.DB.PreparedSQLPlaceholders.ReplacementsWrongNumber -- custom table; placeholders built from count.
		$wpdb->query( $wpdb->prepare( "DELETE FROM {$table} WHERE sku = %s AND kind IN ({$placeholders})", $sku, ...$kinds ) );
	}

	/**
	 * Deletes rows of a kind not seen since a time (a full scan finished without seeing them).
	 *
	 * @param string $kind  Kind.
	 * @param string $since UTC 'Y-m-d H:i:s'.
	 * @return int Rows deleted.
	 */
	public function forget_not_seen_since( string $kind, string $since ): int {
		global $wpdb;
		$table = StockSourceSchema::remote_table();
		// phpcs:ignore WordPress.DB.DirectDatabaseQuery.DirectQuery, WordPress.DB.DirectDatabaseQuery.NoCaching, WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- custom table name from the schema class.
		return (int) $wpdb->query( $wpdb->prepare( "DELETE FROM {$table} WHERE kind = %s AND last_seen_at < %s", $kind, $since ) );
	}

	/**
	 * One page of a kind, newest first.
	 *
	 * @param string $kind     Kind.
	 * @param int    $page     1-based page.
	 * @param int    $per_page Rows per page.
	 * @param string $search   SKU substring ('' = all).
	 * @return array{rows: list<array<string, mixed>>, total: int}
	 */
	public function page( string $kind, int $page, int $per_page, string $search = '' ): array {
		global $wpdb;
		$table = StockSourceSchema::remote_table();
		$where = $wpdb->prepare( 'kind = %s', $kind );
		if ( '' !== $search ) {
			$where .= $wpdb->prepare( ' AND sku LIKE %s', '%' . $wpdb->esc_like( $search ) . '%' );
		}
		// phpcs:disable WordPress.DB.DirectDatabaseQuery.DirectQuery, WordPress.DB.DirectDatabaseQuery.NoCaching, WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- custom table; $where is built with prepare() above.
		$total = (int) $wpdb->get_var( "SELECT COUNT(*) FROM {$table} WHERE {$where}" );
		$rows  = $wpdb->get_results(
			$wpdb->prepare( "SELECT * FROM {$table} WHERE {$where} ORDER BY last_seen_at DESC, id DESC LIMIT %d OFFSET %d", $per_page, ( $page - 1 ) * $per_page ),
			ARRAY_A
		);
		// phpcs:enable
		return array(
			'rows'  => array_values( (array) $rows ),
			'total' => $total,
		);
	}

	/**
	 * Counts rows per kind.
	 *
	 * @return array<string, int>
	 */
	public function counts(): array {
		global $wpdb;
		$table = StockSourceSchema::remote_table();
		// phpcs:ignore WordPress.DB.DirectDatabaseQuery.DirectQuery, WordPress.DB.DirectDatabaseQuery.NoCaching, WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- custom table name from the schema class.
		$rows   = $wpdb->get_results( "SELECT kind, COUNT(*) AS n FROM {$table} GROUP BY kind", ARRAY_A );
		$counts = array_fill_keys( self::KINDS, 0 );
		foreach ( (array) $rows as $row ) {
			$counts[ (string) $row['kind'] ] = (int) $row['n'];
		}
		return $counts;
	}
}
