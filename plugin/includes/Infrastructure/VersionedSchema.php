<?php
/**
 * Tables installed and upgraded with dbDelta when a schema version changes.
 *
 * @package KeyCrmSync
 */

declare( strict_types=1 );

namespace KeyCrmSync\Infrastructure;

/**
 * A set of tables and the option that records which version of them is installed.
 *
 * A subclass lists its CREATE TABLE statements (dbDelta's format: two spaces before PRIMARY KEY,
 * one key per line) and the names to drop; this class runs dbDelta only when the stored version
 * is older, records the version (autoloaded: it is compared on every request, so it must not cost
 * a query of its own), and drops everything on uninstall.
 */
abstract class VersionedSchema {

	/**
	 * Integer version of the statements below; bump it whenever they change.
	 */
	abstract protected function version(): int;

	/**
	 * Option holding the installed version.
	 */
	abstract protected function version_option(): string;

	/**
	 * CREATE TABLE statements, in dbDelta's format.
	 *
	 * @return list<string>
	 */
	abstract protected function create_statements(): array;

	/**
	 * Full names of the tables (uninstall drops them).
	 *
	 * @return list<string>
	 */
	abstract public function tables(): array;

	/**
	 * Runs after the tables were created or upgraded (e.g. rebuilding derived data).
	 */
	protected function after_install(): void {
	}

	/**
	 * Creates or upgrades the tables when the installed version is older.
	 */
	public function maybe_install(): void {
		if ( ! $this->is_current() ) {
			$this->install();
		}
	}

	/**
	 * Whether the installed version is the current one.
	 */
	public function is_current(): bool {
		return (int) get_option( $this->version_option(), 0 ) >= $this->version();
	}

	/**
	 * Creates or upgrades the tables with dbDelta and records the version.
	 */
	public function install(): void {
		require_once ABSPATH . 'wp-admin/includes/upgrade.php';
		foreach ( $this->create_statements() as $sql ) {
			dbDelta( $sql );
		}
		$this->after_install();
		update_option( $this->version_option(), $this->version(), true );
	}

	/**
	 * Drops the tables and forgets the version (uninstall).
	 */
	public function uninstall(): void {
		global $wpdb;
		foreach ( $this->tables() as $table ) {
			$wpdb->query( 'DROP TABLE IF EXISTS `' . str_replace( '`', '', $table ) . '`' ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery.SchemaChange, WordPress.DB.PreparedSQL.NotPrepared -- names from the subclass, built on $wpdb->prefix.
		}
		delete_option( $this->version_option() );
	}
}
