<?php
/**
 * Tables of the keyCRM → shop stock mode.
 *
 * @package KeyCrmSync
 */

declare( strict_types=1 );

namespace KeyCrmSync\StockSource;

/**
 * Three small tables, installed and upgraded with dbDelta when SCHEMA_VERSION changes:
 *
 * - `{prefix}keycrm_sync_stock_inbox`: every accepted webhook/pull batch, stored before it is
 *   applied (status pending → applied | failed), so a failure while applying loses nothing;
 *   `applied_items` is how far a large batch got (applying resumes there);
 * - `{prefix}keycrm_sync_stock_applied`: per SKU, the inbox row whose value was applied last
 *   (rows are numbered in the order keyCRM's batches arrived), so an older batch applied
 *   later never overwrites a newer value;
 * - `{prefix}keycrm_sync_stock_remote`: SKUs keyCRM reported that the shop cannot take
 *   (kind `unknown`: no product with that SKU; `unmanaged`: the product does not manage stock)
 *   and, in WooCommerce mode, SKUs whose keyCRM stock differs from the shop (kind `drift`).
 */
final class StockSourceSchema {

	/** Bump when the table definitions change. */
	public const SCHEMA_VERSION = 2;

	/** Option holding the installed schema version (not autoloaded). */
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

	/**
	 * Installs or upgrades the tables when the stored version is older.
	 */
	public function maybe_install(): void {
		if ( (int) get_option( self::VERSION_OPTION, 0 ) >= self::SCHEMA_VERSION ) {
			return;
		}
		$this->install();
	}

	/**
	 * Creates/upgrades the tables with dbDelta and records the schema version.
	 */
	public function install(): void {
		global $wpdb;
		require_once ABSPATH . 'wp-admin/includes/upgrade.php';
		$collate = $wpdb->get_charset_collate();
		$inbox   = self::inbox_table();
		$remote  = self::remote_table();
		$applied = self::applied_table();
		dbDelta(
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
  PRIMARY KEY  (id),
  KEY status_id (status,id),
  KEY received_at (received_at)
) {$collate};"
		);
		dbDelta(
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
) {$collate};"
		);
		dbDelta(
			"CREATE TABLE {$applied} (
  sku varbinary(1024) NOT NULL,
  inbox_id bigint(20) unsigned NOT NULL,
  applied_at datetime NOT NULL,
  PRIMARY KEY  (sku)
) {$collate};"
		);
		update_option( self::VERSION_OPTION, self::SCHEMA_VERSION, false );
	}

	/**
	 * Drops the tables and the version option (uninstall).
	 */
	public function uninstall(): void {
		global $wpdb;
		// phpcs:ignore WordPress.DB.DirectDatabaseQuery.SchemaChange, WordPress.DB.PreparedSQL.InterpolatedNotPrepared, WordPress.DB.PreparedSQL.NotPrepared -- fixed table names from this class.
		$wpdb->query( 'DROP TABLE IF EXISTS ' . self::inbox_table() . ', ' . self::remote_table() . ', ' . self::applied_table() );
		delete_option( self::VERSION_OPTION );
	}
}
