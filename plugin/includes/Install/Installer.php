<?php
/**
 * Activation and schema upgrades.
 *
 * @package KeyCrmSync
 */

declare( strict_types=1 );

namespace KeyCrmSync\Install;

use KeyCrmSync\Outbox\OutboxTable;
use KeyCrmSync\Settings\Settings;

/**
 * Installs or upgrades the outbox table and creates the settings (with a webhook secret).
 */
final class Installer {

	/**
	 * Activation hook.
	 */
	public static function activate(): void {
		OutboxTable::install( true );
		( new Settings() )->ensure();
		\KeyCrmSync\Rest\Permissions::ensure_sender_role();
	}

	/**
	 * Runs the upgrade when the stored schema version is older than the code's (after updates
	 * that replace the files without re-activation).
	 */
	public static function maybe_upgrade(): void {
		if ( (int) get_option( OutboxTable::VERSION_OPTION, 0 ) < OutboxTable::SCHEMA_VERSION ) {
			self::activate();
		}
	}
}
