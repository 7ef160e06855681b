<?php
/**
 * Uninstall: removes the outbox table and every option of the plugin.
 *
 * @package KeyCrmSync
 */

declare( strict_types=1 );

defined( 'WP_UNINSTALL_PLUGIN' ) || exit;

global $wpdb;
$wpdb->query( 'DROP TABLE IF EXISTS ' . $wpdb->prefix . 'keycrm_sync_items' ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared -- identifier from $wpdb->prefix.
foreach ( array( 'keycrm_sync_settings', 'keycrm_sync_db_version', 'keycrm_sync_heartbeat', 'keycrm_sync_resync' ) as $keycrm_sync_option ) {
	delete_option( $keycrm_sync_option );
}
