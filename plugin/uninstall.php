<?php
/**
 * Uninstall: removes every table and option of the plugin (the outbox table, the stock-source
 * tables, settings, heartbeat, schema versions, transients): all are named keycrm_sync_*; and
 * the keyCRM product ids kept on variable products (post meta _keycrm_sync_product_id),
 * and the sender user (with its application passwords) and the sender role.
 *
 * @package KeyCrmSync
 */

declare( strict_types=1 );

defined( 'WP_UNINSTALL_PLUGIN' ) || exit;

global $wpdb;
$keycrm_sync_tables = $wpdb->get_col( $wpdb->prepare( 'SHOW TABLES LIKE %s', $wpdb->esc_like( $wpdb->prefix . 'keycrm_sync_' ) . '%' ) );
foreach ( $keycrm_sync_tables as $keycrm_sync_table ) {
	$wpdb->query( 'DROP TABLE IF EXISTS `' . str_replace( '`', '', $keycrm_sync_table ) . '`' ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared -- identifier read from SHOW TABLES with our prefix.
}
$keycrm_sync_options = $wpdb->get_col(
	$wpdb->prepare(
		"SELECT option_name FROM {$wpdb->options} WHERE option_name LIKE %s OR option_name LIKE %s OR option_name LIKE %s",
		$wpdb->esc_like( 'keycrm_sync_' ) . '%',
		$wpdb->esc_like( '_transient_keycrm_sync_' ) . '%',
		$wpdb->esc_like( '_transient_timeout_keycrm_sync_' ) . '%'
	)
);
foreach ( $keycrm_sync_options as $keycrm_sync_option ) {
	delete_option( $keycrm_sync_option );
}
// The runner's Action Scheduler actions (group keycrm-sync).
if ( function_exists( 'as_unschedule_all_actions' ) ) {
	as_unschedule_all_actions( '', array(), 'keycrm-sync' );
}
delete_post_meta_by_key( '_keycrm_sync_product_id' );
$keycrm_sync_sender = get_user_by( 'login', 'keycrm-sync-sender' );
if ( $keycrm_sync_sender instanceof WP_User && array( 'keycrm_sync_sender' ) === array_values( $keycrm_sync_sender->roles ) ) {
	require_once ABSPATH . 'wp-admin/includes/user.php';
	wp_delete_user( $keycrm_sync_sender->ID );
}
remove_role( 'keycrm_sync_sender' );
