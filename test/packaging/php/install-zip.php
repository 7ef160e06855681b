<?php
/**
 * Installs and activates a plugin zip the way wp-admin's "Upload Plugin" does (Plugin_Upgrader),
 * then prints a JSON report. Run inside WordPress (test/shop/shop-eval.sh SITE install-zip.php ZIP).
 *
 * @package KeyCrmSync\Tests
 */

declare( strict_types=1 );

require_once ABSPATH . 'wp-admin/includes/file.php';
require_once ABSPATH . 'wp-admin/includes/misc.php';
require_once ABSPATH . 'wp-admin/includes/plugin.php';
require_once ABSPATH . 'wp-admin/includes/class-wp-upgrader.php';

$keycrm_test_zip      = $args[0] ?? '';
$keycrm_test_skin     = new WP_Ajax_Upgrader_Skin();
$keycrm_test_upgrader = new Plugin_Upgrader( $keycrm_test_skin );
$keycrm_test_result   = $keycrm_test_upgrader->install( $keycrm_test_zip );
$keycrm_test_file     = $keycrm_test_upgrader->plugin_info();
$keycrm_test_activate = $keycrm_test_file ? activate_plugin( $keycrm_test_file ) : new WP_Error( 'no_plugin', 'no plugin found in the zip' );

global $wpdb;
$keycrm_test_table = $wpdb->prefix . 'keycrm_sync_items';

echo wp_json_encode(
	array(
		'installed'    => true === $keycrm_test_result,
		'errors'       => $keycrm_test_skin->get_errors()->get_error_messages(),
		'plugin_file'  => $keycrm_test_file,
		'activate'     => is_wp_error( $keycrm_test_activate ) ? $keycrm_test_activate->get_error_message() : 'ok',
		'active'       => $keycrm_test_file && is_plugin_active( $keycrm_test_file ),
		'dir'          => WP_PLUGIN_DIR . '/' . dirname( (string) $keycrm_test_file ),
		'table'        => $wpdb->get_var( $wpdb->prepare( 'SHOW TABLES LIKE %s', $keycrm_test_table ) ) === $keycrm_test_table,
		'wc_version'   => WC()->version,
		'wp_version'   => get_bloginfo( 'version' ),
	)
);
