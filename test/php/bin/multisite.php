<?php
/**
 * A subdirectory multisite network of the test site's WordPress files, in the same database
 * under its own table prefix, made with WordPress' installer functions. One phase per process
 * (MULTISITE is a constant): `install` (single site, then the network tables), `populate` (a
 * second site; the plugin's tables, settings, cron event and role on both; the sender user with
 * an application password), `uninstall` (the plugin's uninstall.php as WordPress runs it),
 * `report` (what is left, as JSON).
 *
 * Usage: php multisite.php <config.php> <phase>; config.php defines the DB_* constants.
 *
 * @package KeyCrmSync\Tests
 */

[ , $config, $phase ] = $argv;
require $config;
$docroot = rtrim( (string) getenv( 'KCS_TEST_DOCROOT' ), '/' );
define( 'ABSPATH', $docroot . '/' );
define( 'WP_DEBUG', false );
$table_prefix           = 'kms_'; // phpcs:ignore WordPress.WP.GlobalVariablesOverride.Prohibited -- wp-config's variable.
$_SERVER['HTTP_HOST']   = 'ms.example.test';
$_SERVER['REQUEST_URI'] = '/';
$_SERVER['SERVER_NAME'] = 'ms.example.test';
$_SERVER['REMOTE_ADDR'] = '127.0.0.1';
if ( 'install' === $phase ) {
	define( 'WP_INSTALLING', true );
	require ABSPATH . 'wp-settings.php';
	require_once ABSPATH . 'wp-admin/includes/upgrade.php';
	require_once ABSPATH . 'wp-admin/includes/network.php';
	wp_install( 'Network', 'admin', 'admin@example.test', true, '', 'password' );
	update_option( 'siteurl', 'http://ms.example.test' );
	update_option( 'home', 'http://ms.example.test' );
	foreach ( $wpdb->tables( 'ms_global' ) as $table => $prefixed ) {
		$wpdb->$table = $prefixed;
	}
	install_network();
	$result = populate_network( 1, 'ms.example.test', 'admin@example.test', 'Network', '/', false );
	echo is_wp_error( $result ) ? $result->get_error_message() : 'ok';
	exit;
}
define( 'MULTISITE', true );
define( 'SUBDOMAIN_INSTALL', false );
define( 'DOMAIN_CURRENT_SITE', 'ms.example.test' );
define( 'PATH_CURRENT_SITE', '/' );
define( 'SITE_ID_CURRENT_SITE', 1 );
define( 'BLOG_ID_CURRENT_SITE', 1 );
if ( 'uninstall' === $phase ) {
	define( 'WP_UNINSTALL_PLUGIN', 'keycrm-sync/keycrm-sync.php' );
}
require ABSPATH . 'wp-settings.php';
global $wpdb;

if ( 'populate' === $phase ) {
	require_once WP_PLUGIN_DIR . '/keycrm-sync/keycrm-sync.php'; // Its autoloader (WooCommerce is not needed for this).
	$second = wpmu_create_blog( 'ms.example.test', '/second/', 'Second', 1 );
	if ( is_wp_error( $second ) ) {
		echo $second->get_error_message(); // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped
		exit( 1 );
	}
	update_site_option( 'active_sitewide_plugins', array( 'keycrm-sync/keycrm-sync.php' => time() ) );
	$sender = wp_insert_user(
		array(
			'user_login' => 'keycrm-sync-sender',
			'user_pass'  => wp_generate_password(),
			'user_email' => 'sender@example.test',
		)
	);
	foreach ( array( 1, (int) $second ) as $site ) {
		switch_to_blog( $site );
		\KeyCrmSync\Install\Installer::activate();
		wp_schedule_single_event( time() + 3600, 'keycrm_sync_apply_stock_inbox' );
		add_user_to_blog( $site, $sender, 'keycrm_sync_sender' );
		restore_current_blog();
	}
	add_filter( 'wp_is_application_passwords_available', '__return_true' );
	$app = WP_Application_Passwords::create_new_application_password( $sender, array( 'name' => 'keyCRM Sync sender' ) );
	echo is_wp_error( $app ) ? $app->get_error_message() : 'ok';
	exit;
}

if ( 'uninstall' === $phase ) {
	include WP_PLUGIN_DIR . '/keycrm-sync/uninstall.php';
	echo 'ok';
	exit;
}

// report.
wp_cache_flush();
$sites = array();
foreach ( get_sites( array( 'fields' => 'ids' ) ) as $site ) {
	switch_to_blog( (int) $site );
	$cron = _get_cron_array();
	$hook = false;
	foreach ( (array) $cron as $events ) {
		$hook = $hook || isset( $events['keycrm_sync_apply_stock_inbox'] );
	}
	$sites[ $site ] = array(
		'tables'  => $wpdb->get_col( $wpdb->prepare( 'SHOW TABLES LIKE %s', $wpdb->esc_like( $wpdb->prefix . 'keycrm_sync_' ) . '%' ) ),
		'options' => $wpdb->get_col( "SELECT option_name FROM {$wpdb->options} WHERE option_name LIKE '%keycrm\\_sync\\_%'" ),
		'cron'    => $hook,
		'role'    => null !== get_role( 'keycrm_sync_sender' ),
	);
	restore_current_blog();
}
$sender = get_user_by( 'login', 'keycrm-sync-sender' );
echo wp_json_encode(
	array(
		'sites'     => $sites,
		'sender'    => false !== $sender,
		'passwords' => (int) $wpdb->get_var( $wpdb->prepare( "SELECT COUNT(*) FROM {$wpdb->usermeta} WHERE meta_key = %s", '_application_passwords' ) ),
	)
);
