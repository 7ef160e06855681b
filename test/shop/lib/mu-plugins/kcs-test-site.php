<?php
/**
 * Plugin Name: keyCRM Sync test site
 * Description: Put in by test/shop/lib/site.sh. A test site has no mail server and no internet:
 * mail is written to logs/mail.log, and WordPress' update checks and wordpress.org look-ups are
 * answered locally instead of failing into debug.log.
 *
 * @package KeyCrmSync\Tests
 */

defined( 'ABSPATH' ) || exit;

add_filter(
	'pre_wp_mail',
	static function ( $short_circuit, array $atts ) {
		if ( defined( 'KCS_TEST_SITE_MAIL_LOG' ) ) {
			$to = is_array( $atts['to'] ) ? implode( ',', $atts['to'] ) : (string) $atts['to'];
			// phpcs:ignore WordPress.WP.AlternativeFunctions.file_system_operations_file_put_contents
			file_put_contents( KCS_TEST_SITE_MAIL_LOG, gmdate( 'c' ) . "\tto=$to\tsubject={$atts['subject']}\n", FILE_APPEND );
		}
		return true;
	},
	10,
	2
);

$kcs_no_updates = static fn() => (object) array(
	'last_checked'    => time(),
	'version_checked' => $GLOBALS['wp_version'] ?? '',
	'updates'         => array(),
	'translations'    => array(),
	'response'        => array(),
	'no_update'       => array(),
	'checked'         => array(),
);
foreach ( array( 'update_core', 'update_plugins', 'update_themes' ) as $kcs_transient ) {
	add_filter( "pre_site_transient_$kcs_transient", $kcs_no_updates );
}
foreach ( array(
	'admin_init'           => array( '_maybe_update_core', '_maybe_update_plugins', '_maybe_update_themes' ),
	'wp_version_check'     => array( 'wp_version_check' ),
	'wp_update_plugins'    => array( 'wp_update_plugins' ),
	'wp_update_themes'     => array( 'wp_update_themes' ),
	'load-plugins.php'     => array( 'wp_update_plugins' ),
	'load-themes.php'      => array( 'wp_update_themes' ),
	'load-update.php'      => array( 'wp_update_plugins', 'wp_update_themes' ),
	'load-update-core.php' => array( 'wp_update_plugins', 'wp_update_themes' ),
	'wp_maybe_auto_update' => array( 'wp_maybe_auto_update' ),
	'init'                 => array( 'wp_schedule_update_checks' ),
) as $kcs_hook => $kcs_callbacks ) {
	foreach ( $kcs_callbacks as $kcs_callback ) {
		remove_action( $kcs_hook, $kcs_callback );
	}
}
$kcs_offline = static fn( $result ) => false === $result ? new WP_Error( 'kcs_offline', 'This test site has no access to wordpress.org.' ) : $result;
add_filter( 'plugins_api', $kcs_offline, 1000 );
add_filter( 'themes_api', $kcs_offline, 1000 );
