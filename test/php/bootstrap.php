<?php
/**
 * PHPUnit bootstrap: loads the test site prepared by test/php/run.sh (real WordPress,
 * WooCommerce and MariaDB) in this process, with WooCommerce and keyCRM Sync active.
 *
 * @package KeyCrmSync\Tests
 */

// WordPress' files expect to run in the global scope; PHPUnit includes this file from a method.
global $wpdb, $table_prefix, $wp_version, $wp_db_version, $wp_rewrite, $wp, $wp_query, $wp_the_query, $wp_roles, $wp_locale, $wp_embed, $wp_widget_factory, $wp_filter, $wp_actions, $wp_current_filter, $wp_plugin_paths, $wp_object_cache, $shortcode_tags, $pagenow, $wp_post_types, $wp_taxonomies;

require __DIR__ . '/lib/boot.php';

if ( ! class_exists( 'WooCommerce' ) || ! class_exists( \KeyCrmSync\Plugin::class ) ) {
	fwrite( STDERR, "WooCommerce or keyCRM Sync is not active on the test site\n" );
	exit( 2 );
}
require_once ABSPATH . 'wp-admin/includes/admin.php';
add_filter( 'pre_wp_mail', '__return_true' ); // No MTA on test machines: order e-mails are dropped.
require_once __DIR__ . '/lib/TestCase.php';
require_once __DIR__ . '/lib/Http.php';
