<?php
/**
 * Uninstall: removes every table and option of the plugin (the outbox table, the stock-source
 * tables, settings, heartbeat, schema versions, transients): all are named keycrm_sync_*; its
 * scheduled actions and WP-Cron event; the keyCRM product ids kept on variable products (post
 * meta _keycrm_sync_product_id); the sender role; and the sender user with its application
 * passwords. On a multisite network (the plugin activated per site or network-wide) every site
 * is cleaned, read with get_sites() in batches.
 *
 * @package KeyCrmSync
 */

declare( strict_types=1 );

defined( 'WP_UNINSTALL_PLUGIN' ) || exit;

/**
 * Removes what the plugin keeps in the current site (tables, options, actions, post meta, role).
 */
function keycrm_sync_uninstall_site(): void {
	global $wpdb;
	$tables = $wpdb->get_col( $wpdb->prepare( 'SHOW TABLES LIKE %s', $wpdb->esc_like( $wpdb->prefix . 'keycrm_sync_' ) . '%' ) );
	foreach ( $tables as $table ) {
		$wpdb->query( 'DROP TABLE IF EXISTS `' . str_replace( '`', '', $table ) . '`' ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared -- identifier read from SHOW TABLES with our prefix.
	}
	$options = $wpdb->get_col(
		$wpdb->prepare(
			"SELECT option_name FROM {$wpdb->options} WHERE option_name LIKE %s OR option_name LIKE %s OR option_name LIKE %s",
			$wpdb->esc_like( 'keycrm_sync_' ) . '%',
			$wpdb->esc_like( '_transient_keycrm_sync_' ) . '%',
			$wpdb->esc_like( '_transient_timeout_keycrm_sync_' ) . '%'
		)
	);
	foreach ( $options as $option ) {
		delete_option( $option );
	}
	// The runner's Action Scheduler actions (group keycrm-sync) and the stock inbox's WP-Cron event.
	if ( function_exists( 'as_unschedule_all_actions' ) ) {
		as_unschedule_all_actions( '', array(), 'keycrm-sync' );
	}
	wp_clear_scheduled_hook( 'keycrm_sync_apply_stock_inbox' );
	delete_post_meta_by_key( '_keycrm_sync_product_id' );
	remove_role( 'keycrm_sync_sender' );
}

// The sender user is one for the whole network (users are shared by every site): it is removed
// only when the plugin made it, i.e. it holds the sender role and no other on every site it is on.
global $wpdb;
$keycrm_sync_sender = get_user_by( 'login', 'keycrm-sync-sender' );
$keycrm_sync_ours   = false;
if ( $keycrm_sync_sender instanceof WP_User ) {
	foreach ( get_user_meta( $keycrm_sync_sender->ID ) as $keycrm_sync_key => $keycrm_sync_value ) {
		if ( str_starts_with( (string) $keycrm_sync_key, $wpdb->base_prefix ) && str_ends_with( (string) $keycrm_sync_key, '_capabilities' ) ) {
			$keycrm_sync_roles = array_keys( array_filter( (array) maybe_unserialize( $keycrm_sync_value[0] ?? '' ) ) );
			$keycrm_sync_ours  = array( 'keycrm_sync_sender' ) === $keycrm_sync_roles;
			if ( ! $keycrm_sync_ours ) {
				break;
			}
		}
	}
}

if ( is_multisite() ) {
	$keycrm_sync_offset = 0;
	do {
		$keycrm_sync_sites = get_sites(
			array(
				'fields'                 => 'ids',
				'number'                 => 100,
				'offset'                 => $keycrm_sync_offset,
				'update_site_meta_cache' => false,
			)
		);
		foreach ( $keycrm_sync_sites as $keycrm_sync_site ) {
			switch_to_blog( (int) $keycrm_sync_site );
			keycrm_sync_uninstall_site();
			restore_current_blog();
		}
		$keycrm_sync_offset += 100;
		$keycrm_sync_more    = 100 === count( $keycrm_sync_sites );
	} while ( $keycrm_sync_more );
} else {
	keycrm_sync_uninstall_site();
}

if ( $keycrm_sync_ours ) {
	if ( class_exists( 'WP_Application_Passwords' ) ) {
		WP_Application_Passwords::delete_all_application_passwords( $keycrm_sync_sender->ID );
	}
	require_once ABSPATH . 'wp-admin/includes/user.php';
	if ( is_multisite() ) {
		require_once ABSPATH . 'wp-admin/includes/ms.php';
		wpmu_delete_user( $keycrm_sync_sender->ID );
	} else {
		wp_delete_user( $keycrm_sync_sender->ID );
	}
}
