<?php
/**
 * The outbox table: name, schema and installation.
 *
 * @package KeyCrmSync
 */

declare( strict_types=1 );

namespace KeyCrmSync\Outbox;

use KeyCrmSync\Infrastructure\VersionedSchema;
use KeyCrmSync\Problems\ProblemIndex;

/**
 * One row per SKU: the queue of changes for keyCRM and each SKU's sync status.
 *
 * `sku` is VARBINARY so that SKUs are matched byte for byte (keyCRM's own matching rules are
 * undocumented; "abc" and "abc " must not collapse into one row as they would under a PAD SPACE
 * collation).
 */
final class OutboxTable extends VersionedSchema {

	/** Integer schema version; bump it whenever the CREATE TABLE below changes. */
	public const SCHEMA_VERSION = 4;

	/** Option holding the installed schema version. */
	public const VERSION_OPTION = 'keycrm_sync_db_version';

	/**
	 * Full table name with the site's prefix.
	 */
	public static function name(): string {
		global $wpdb;
		return $wpdb->prefix . 'keycrm_sync_items';
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
	protected function create_statements(): array {
		return array( self::create_sql(), ProblemIndex::create_sql() );
	}

	/** {@inheritDoc} */
	public function tables(): array {
		return array( self::name(), ProblemIndex::name() );
	}

	/**
	 * The problem list is derived from the catalogue: rebuilt after each schema change.
	 */
	protected function after_install(): void {
		( new ProblemIndex() )->rebuild();
	}

	/**
	 * The CREATE TABLE statement in dbDelta's format (two spaces before PRIMARY KEY, one key per line).
	 */
	private static function create_sql(): string {
		global $wpdb;
		$table   = self::name();
		$collate = $wpdb->get_charset_collate();
		return "CREATE TABLE {$table} (
  id bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  sku varbinary(1024) NOT NULL,
  product_id bigint(20) unsigned DEFAULT NULL,
  parent_id bigint(20) unsigned DEFAULT NULL,
  version bigint(20) unsigned NOT NULL DEFAULT 1,
  synced_version bigint(20) unsigned NOT NULL DEFAULT 0,
  change_mask smallint(5) unsigned NOT NULL DEFAULT 0,
  priority tinyint(3) unsigned NOT NULL DEFAULT 0,
  state varchar(10) NOT NULL DEFAULT 'pending',
  lease_token char(32) DEFAULT NULL,
  lease_expires_at datetime DEFAULT NULL,
  reclaimed tinyint(1) unsigned NOT NULL DEFAULT 0,
  attempts smallint(5) unsigned NOT NULL DEFAULT 0,
  next_attempt_at datetime DEFAULT NULL,
  last_error text DEFAULT NULL,
  last_error_code varchar(100) DEFAULT NULL,
  keycrm_product_id bigint(20) unsigned DEFAULT NULL,
  keycrm_offer_id bigint(20) unsigned DEFAULT NULL,
  pushed_stock decimal(20,4) DEFAULT NULL,
  pushed_offer_hash varchar(64) DEFAULT NULL,
  pushed_product_hash varchar(64) DEFAULT NULL,
  synced_at datetime DEFAULT NULL,
  dirty_since datetime DEFAULT NULL,
  created_at datetime NOT NULL,
  updated_at datetime NOT NULL,
  PRIMARY KEY  (id),
  UNIQUE KEY sku (sku),
  KEY claim (state,priority,id),
  KEY lease_token (lease_token),
  KEY product_id (product_id),
  KEY parent_id (parent_id)
) {$collate};";
	}
}
