<?php
/**
 * Activation and schema upgrades.
 *
 * @package KeyCrmSync
 */

declare( strict_types=1 );

namespace KeyCrmSync\Install;

use KeyCrmSync\Infrastructure\VersionedSchema;
use KeyCrmSync\Outbox\OutboxTable;
use KeyCrmSync\Settings\Settings;
use KeyCrmSync\StockSource\StockSourceSchema;

/**
 * Installs or upgrades the plugin's tables and creates the settings (with a webhook secret).
 */
final class Installer {

	/**
	 * Activation hook.
	 */
	public static function activate(): void {
		foreach ( self::schemas() as $schema ) {
			$schema->install();
		}
		( new Settings() )->ensure();
		\KeyCrmSync\Http\Permissions::ensure_sender_role();
	}

	/**
	 * Deactivation hook: no scheduled event of the plugin stays behind, and the sender's
	 * application password stops working (a deactivated plugin should not leave a credential
	 * that reads the shop; reactivating means creating a new one on the Settings screen).
	 */
	public static function deactivate(): void {
		wp_clear_scheduled_hook( \KeyCrmSync\StockSource\StockReceiver::CRON_HOOK );
		$sender = get_user_by( 'login', \KeyCrmSync\Http\Permissions::SENDER_LOGIN );
		if ( $sender instanceof \WP_User && class_exists( \WP_Application_Passwords::class ) ) {
			foreach ( \WP_Application_Passwords::get_user_application_passwords( $sender->ID ) as $password ) {
				\WP_Application_Passwords::delete_application_password( $sender->ID, $password['uuid'] );
			}
		}
	}

	/**
	 * Runs the upgrade when the stored schema version is older than the code's (after updates
	 * that replace the files without re-activation).
	 */
	public static function maybe_upgrade(): void {
		foreach ( self::schemas() as $schema ) {
			if ( ! $schema->is_current() ) {
				self::activate();
				return;
			}
		}
	}

	/**
	 * Every set of tables of the plugin.
	 *
	 * @return list<VersionedSchema>
	 */
	public static function schemas(): array {
		return array( new OutboxTable(), new StockSourceSchema() );
	}
}
