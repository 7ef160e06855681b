<?php
/**
 * Plugin Name:       keyCRM Sync for WooCommerce
 * Description:       Keeps keyCRM's catalogue and stock equal to WooCommerce by SKU: every product and stock change is captured into an outbox that a batch sender pushes to keyCRM.
 * Version:           0.1.0
 * Requires at least: 6.6
 * Requires PHP:      8.1
 * Requires Plugins:  woocommerce
 * WC requires at least: 9.0
 * WC tested up to:   10.0
 * Author:            keyCRM Sync contributors
 * License:           GPL-2.0-or-later
 * Text Domain:       keycrm-sync
 * Domain Path:       /languages
 *
 * Tested (test/php, bench/capture) with PHP 8.2, WordPress 6.8 and WooCommerce 10.0 on MariaDB
 * 10.11. PHP 8.1 is the language minimum (readonly properties); WooCommerce 9.0 is untested.
 *
 * @package KeyCrmSync
 */

declare( strict_types=1 );

defined( 'ABSPATH' ) || exit;

define( 'KEYCRM_SYNC_VERSION', '0.1.0' );
define( 'KEYCRM_SYNC_FILE', __FILE__ );
define( 'KEYCRM_SYNC_DIR', __DIR__ );
define( 'KEYCRM_SYNC_MIN_WC', '9.0' );

/*
 * PSR-4 autoloader for KeyCrmSync\ → includes/. The plugin has no runtime Composer
 * dependencies, so a Composer-built vendor/ is optional (composer.json maps the same prefix).
 */
spl_autoload_register(
	static function ( string $class_name ): void {
		$prefix = 'KeyCrmSync\\';
		if ( 0 !== strncmp( $class_name, $prefix, strlen( $prefix ) ) ) {
			return;
		}
		$file = __DIR__ . '/includes/' . str_replace( '\\', '/', substr( $class_name, strlen( $prefix ) ) ) . '.php';
		if ( is_readable( $file ) ) {
			require $file;
		}
	}
);

register_activation_hook( __FILE__, array( \KeyCrmSync\Install\Installer::class, 'activate' ) );
register_deactivation_hook( __FILE__, array( \KeyCrmSync\Runner\RunnerSchedule::class, 'deactivate' ) );
register_deactivation_hook( __FILE__, array( \KeyCrmSync\Install\Installer::class, 'deactivate' ) );

add_action(
	'before_woocommerce_init',
	static function (): void {
		if ( class_exists( \Automattic\WooCommerce\Utilities\FeaturesUtil::class ) ) {
			\Automattic\WooCommerce\Utilities\FeaturesUtil::declare_compatibility( 'custom_order_tables', __FILE__, true );
			\Automattic\WooCommerce\Utilities\FeaturesUtil::declare_compatibility( 'cart_checkout_blocks', __FILE__, true );
		}
	}
);

add_action(
	'plugins_loaded',
	static function (): void {
		$problem = \KeyCrmSync\Install\Requirements::problem();
		if ( null !== $problem ) {
			\KeyCrmSync\Install\Requirements::show_notice( $problem );
			return;
		}
		\KeyCrmSync\Plugin::instance()->register();
	},
	20
);
