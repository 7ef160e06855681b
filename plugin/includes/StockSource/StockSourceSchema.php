<?php
/**
 * Tables of the keyCRM → shop stock mode.
 *
 * @package KeyCrmSync
 */

declare( strict_types=1 );

namespace KeyCrmSync\StockSource;

use KeyCrmSync\Infrastructure\VersionedSchema;

/**
 * Three small tables, installed and upgraded with dbDelta when SCHEMA_VERSION changes:
 *
 * - `{prefix}keycrm_sync_stock_inbox`: every accepted webhook/pull batch, stored before it is
 *   applied (status pending → applied | failed), so a failure while applying loses nothing;
 *   `applied_items` is how far a large batch got (applying resumes there); a webhook body equal
 *   to an earlier one (`body_hash`) is a repeat and takes that one's place in the order
 *   (`replay_of`), so a replayed old body never overwrites a newer value;
 * - `{prefix}keycrm_sync_stock_applied`: per SKU, the inbox row whose value was applied last
 *   (rows are numbered in the order keyCRM's batches arrived), so an older batch applied
 *   later never overwrites a newer value;
 * - `{prefix}keycrm_sync_stock_remote`: SKUs keyCRM reported that the shop cannot take
 *   (kind `unknown`: no product with that SKU; `unmanaged`: the product does not manage stock)
 *   and, in WooCommerce mode, SKUs whose keyCRM stock differs from the shop (kind `drift`).
 */
final class StockSourceSchema extends VersionedSchema {

	/** Bump when the table definitions change. */
	public const SCHEMA_VERSION = 3;

	/** Option holding the installed schema version. */
	public const VERSION_OPTION = 'keycrm_sync_stock_source_schema';

	/**
	 * Inbox table name.
	 */
	public static function inbox_table(): string {
		global $wpdb;
		return $wpdb->prefix . 'keycrm_sync_stock_inbox';
	}

	/**
	 * Per-SKU "last applied batch" table name.
	 */
	public static function applied_table(): string {
		global $wpdb;
		return $wpdb->prefix . 'keycrm_sync_stock_applied';
	}

	/**
	 * Remote-issues table name (unknown / unmanaged / drift SKUs).
	 */
	public static function remote_table(): string {
		global $wpdb;
		return $wpdb->prefix . 'keycrm_sync_stock_remote';
	}

	/** {@inheritDoc} */
	protected function version(): int {
		return self::SCHEMA_VERSION;
	}

	/** {@inheritDoc} */
	protected function version_option(): string {
		return self::VERSION_OPTION;
	}

	/** {@inheritDoc} */
	public function tables(): array {
		return array( self::inbox_table(), self::remote_table(), self::applied_table() );
	}

	/** {@inheritDoc} */
	protected function create_statements(): array {
		global $wpdb;
		$collate = $wpdb->get_charset_collate();
		$inbox   = self::inbox_table();
		$remote  = self::remote_table();
		$applied = self::applied_table();
		return array(
			"CREATE TABLE {$inbox} (
  id bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  source varchar(20) NOT NULL,
  received_at datetime NOT NULL,
  item_count int(10) unsigned NOT NULL,
  payload longtext NOT NULL,
  status varchar(20) NOT NULL DEFAULT 'pending',
  attempts smallint(5) unsigned NOT NULL DEFAULT 0,
  applied_items int(10) unsigned NOT NULL DEFAULT 0,
  applied_at datetime NULL,
  summary text NULL,
  last_error text NULL,
  body_hash char(64) NULL,
  replay_of bigint(20) unsigned NULL,
  PRIMARY KEY  (id),
  KEY status_id (status,id),
  KEY received_at (received_at),
  KEY body_hash (body_hash)
) {$collate};",
			"CREATE TABLE {$remote} (
  id bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  kind varchar(20) NOT NULL,
  sku varbinary(1024) NOT NULL,
  offer_id bigint(20) unsigned NULL,
  product_id bigint(20) unsigned NULL,
  keycrm_in_stock decimal(20,4) NULL,
  keycrm_in_reserve decimal(20,4) NULL,
  shop_stock decimal(20,4) NULL,
  first_seen_at datetime NOT NULL,
  last_seen_at datetime NOT NULL,
  seen_count int(10) unsigned NOT NULL DEFAULT 1,
  PRIMARY KEY  (id),
  UNIQUE KEY kind_sku (kind,sku),
  KEY kind_last_seen (kind,last_seen_at)
) {$collate};",
			"CREATE TABLE {$applied} (
  sku varbinary(1024) NOT NULL,
  inbox_id bigint(20) unsigned NOT NULL,
  applied_at datetime NOT NULL,
  PRIMARY KEY  (sku)
) {$collate};",
		);
	}
}
