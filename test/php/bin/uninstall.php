<?php
/**
 * Runs the plugin's uninstall.php the way WordPress does and reports what is left.
 *
 * @package KeyCrmSync\Tests
 */

require __DIR__ . '/../lib/boot.php';
define( 'WP_UNINSTALL_PLUGIN', 'keycrm-sync/keycrm-sync.php' );
include WP_PLUGIN_DIR . '/keycrm-sync/uninstall.php';
global $wpdb;
wp_cache_flush();
echo wp_json_encode(
	array(
		'table'   => $wpdb->get_var( $wpdb->prepare( 'SHOW TABLES LIKE %s', $wpdb->esc_like( $wpdb->prefix . 'keycrm_sync_' ) . '%' ) ),
		'options' => $wpdb->get_col( "SELECT option_name FROM {$wpdb->options} WHERE option_name LIKE '%keycrm\\_sync\\_%'" ),
		'sender'  => false !== get_user_by( 'login', 'keycrm-sync-sender' ),
		'role'    => null !== get_role( 'keycrm_sync_sender' ),
	)
);
