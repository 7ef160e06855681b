<?php
/**
 * "Resync all": marks every SKU of the shop dirty with set-based SQL.
 *
 * @package KeyCrmSync
 */

declare( strict_types=1 );

namespace KeyCrmSync\Outbox;

use KeyCrmSync\Exception\StorageFailed;
use KeyCrmSync\Infrastructure\Dates;
use KeyCrmSync\Sku\SkuRules;

/**
 * One INSERT … SELECT … ON DUPLICATE KEY UPDATE over posts/postmeta: creates rows for SKUs that
 * have none and bumps the version of existing ones. Rows it marks get priority 1, so live
 * changes (priority 0) are claimed first; a row that was already dirty keeps its priority.
 * It forgets what was pushed of stock and offer data (both go out in bulk calls of up to 10,000
 * SKUs, so re-sending them is cheap) so keyCRM is rewritten even where someone changed it there;
 * product-level data (one request per product) is still re-sent only when it changed.
 * Resumable by construction: the backlog is just "rows still dirty".
 */
final class Resync {

	/** Non-autoloaded option with the running resync's start and size. */
	public const OPTION = 'keycrm_sync_resync';

	/**
	 * Marks everything; returns ResyncResponse fields.
	 *
	 * @return array{marked:int, created:int, started_at:string}
	 * @throws StorageFailed On a database error.
	 */
	public function run(): array {
		global $wpdb;
		$table    = OutboxTable::name();
		$before   = (int) $wpdb->get_var( "SELECT COUNT(*) FROM {$table}" ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- table from prefix.
		$now      = Dates::mysql();
		$unusable = SkuRules::sql_unusable( 'm.meta_value' );
		// phpcs:disable WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- table names from $wpdb; values are placeholders.
		$sql      = "INSERT INTO {$table} (sku, product_id, parent_id, version, synced_version, change_mask, priority, state, created_at, updated_at, dirty_since)
			SELECT s.s_sku, s.s_product_id, NULLIF(s.s_parent_id, 0), 1, 0, %d, 1, s.s_state, %s, %s, %s FROM (
				SELECT CAST(m.meta_value AS BINARY) AS s_sku, MIN(p.ID) AS s_product_id,
					MIN(CASE WHEN p.post_type = 'product_variation' THEN p.post_parent ELSE 0 END) AS s_parent_id,
					CASE WHEN COUNT(*) > 1
						OR MAX({$unusable})
						THEN 'skipped' ELSE 'pending' END AS s_state
				FROM {$wpdb->posts} p
				JOIN {$wpdb->postmeta} m ON m.post_id = p.ID AND m.meta_key = '_sku'
				WHERE p.post_type IN ('product', 'product_variation') AND p.post_status NOT IN ('trash', 'auto-draft')
					AND LENGTH(m.meta_value) BETWEEN 1 AND %d
				GROUP BY CAST(m.meta_value AS BINARY)
			) s
			ON DUPLICATE KEY UPDATE
				priority = CASE WHEN version > synced_version AND state IN ('pending', 'failed') THEN priority ELSE 1 END,
				change_mask = (change_mask & ~16) | 7 | (CASE WHEN keycrm_offer_id IS NULL THEN 8 ELSE 0 END),
				attempts = CASE WHEN state = 'dead' THEN 0 ELSE attempts END,
				next_attempt_at = CASE WHEN state = 'dead' THEN NULL ELSE next_attempt_at END,
				state = CASE WHEN VALUES(state) = 'skipped' THEN 'skipped' WHEN state = 'failed' THEN 'failed' ELSE 'pending' END,
				dirty_since = CASE WHEN version > synced_version THEN COALESCE(dirty_since, VALUES(dirty_since)) ELSE VALUES(dirty_since) END,
				version = version + 1,
				pushed_stock = NULL,
				pushed_offer_hash = NULL,
				product_id = VALUES(product_id),
				parent_id = VALUES(parent_id),
				updated_at = VALUES(updated_at)";
		$affected = $wpdb->query( $wpdb->prepare( $sql, ChangeMask::FULL, $now, $now, $now, SkuRules::MAX_STORED_BYTES ) ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared
		if ( false === $affected ) {
			throw StorageFailed::from_wpdb( 'resync' );
		}
		$after = (int) $wpdb->get_var( "SELECT COUNT(*) FROM {$table}" );
		// phpcs:enable
		$created = max( 0, $after - $before );
		$marked  = $created + intdiv( max( 0, (int) $affected - $created ), 2 );
		update_option(
			self::OPTION,
			array(
				'started_at' => $now,
				'total'      => $marked,
			),
			false
		);
		return array(
			'marked'     => $marked,
			'created'    => $created,
			'started_at' => (string) Dates::iso( $now ),
		);
	}

	/**
	 * Progress of the last resync (StatusResponse.resync).
	 *
	 * @return array{running:bool, started_at:string|null, total:int, done:int, percent:float}
	 */
	public function progress(): array {
		global $wpdb;
		$info  = get_option( self::OPTION );
		$total = is_array( $info ) ? (int) ( $info['total'] ?? 0 ) : 0;
		if ( 0 === $total ) {
			return array(
				'running'    => false,
				'started_at' => null,
				'total'      => 0,
				'done'       => 0,
				'percent'    => 0.0,
			);
		}
		$table = OutboxTable::name();
		$left  = (int) $wpdb->get_var( "SELECT COUNT(*) FROM {$table} WHERE priority = 1 AND state IN ('pending', 'failed') AND version > synced_version" ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- table from prefix.
		$done  = max( 0, $total - $left );
		return array(
			'running'    => $left > 0,
			'started_at' => Dates::iso( (string) $info['started_at'] ),
			'total'      => $total,
			'done'       => $done,
			'percent'    => round( 100 * $done / $total, 1 ),
		);
	}
}
