<?php
/**
 * Installs the test site: WordPress, WooCommerce (WC_Install) and keyCRM Sync, each activated
 * the way wp-admin does it. Run by test/php/run.sh in its own process.
 *
 * @package KeyCrmSync\Tests
 */

$step = $argv[1] ?? 'all';
if ( 'all' === $step ) {
	// Each step in a fresh process, so plugins activated in one step load normally in the next.
	foreach ( array( 'core', 'plugins', 'configure' ) as $s ) {
		passthru( escapeshellarg( PHP_BINARY ) . ' -d memory_limit=512M ' . escapeshellarg( __FILE__ ) . ' ' . $s, $code );
		if ( 0 !== $code ) {
			fwrite( STDERR, "install step $s failed\n" );
			exit( 1 );
		}
	}
	exit( 0 );
}

if ( 'core' === $step ) {
	define( 'KCS_INSTALLING', true );
}
require __DIR__ . '/../lib/boot.php';

switch ( $step ) {
	case 'core':
		require_once ABSPATH . 'wp-admin/includes/upgrade.php';
		add_filter( 'pre_wp_mail', '__return_true' ); // No MTA: do not try to mail the new admin.
		wp_install( 'keyCRM Sync Tests', 'admin', 'admin@example.test', false, '', 'password' );
		update_option( 'permalink_structure', '' );
		break;
	case 'plugins':
		require_once ABSPATH . 'wp-admin/includes/plugin.php';
		wp_set_current_user( 1 );
		foreach ( array( 'woocommerce/woocommerce.php', 'keycrm-sync/keycrm-sync.php' ) as $plugin ) {
			$result = activate_plugin( $plugin );
			if ( is_wp_error( $result ) ) {
				fwrite( STDERR, "activating $plugin: " . $result->get_error_message() . "\n" );
				exit( 1 );
			}
		}
		break;
	case 'configure':
		WC_Install::install();
		if ( is_callable( array( 'WC_Install', 'newly_installed' ) ) ) {
			WC_Install::newly_installed();
		}
		update_option( 'woocommerce_manage_stock', 'yes' );
		update_option( 'woocommerce_currency', 'USD' );
		update_option( 'woocommerce_coming_soon', 'no' );
		update_option( 'woocommerce_onboarding_profile', array( 'skipped' => true ) );
		update_option( 'woocommerce_cod_settings', array( 'enabled' => 'yes' ) );
		global $wpdb;
		$table = $wpdb->prefix . 'keycrm_sync_items';
		if ( $wpdb->get_var( $wpdb->prepare( 'SHOW TABLES LIKE %s', $table ) ) !== $table ) {
			fwrite( STDERR, "the plugin's activation did not create $table\n" );
			exit( 1 );
		}
		echo 'test site: WordPress ', get_bloginfo( 'version' ), ', WooCommerce ', WC()->version, ', PHP ', PHP_VERSION, ', ', $wpdb->db_server_info(), "\n";
		break;
}
