<?php
/**
 * One set-up step of a test site, each in its own PHP process (so plugins activated in one step
 * load normally in the next). Called by test/shop/lib/site.sh.
 *
 *   php setup.php install TITLE      WordPress, admin / password
 *   php setup.php activate SLUG...   activates wp-content/plugins/SLUG (as wp-admin does)
 *   php setup.php configure          WooCommerce as an offline test shop; permalinks (env KCS_SITE_PERMALINKS);
 *                                    its pages unless KCS_SITE_WC_PAGES=no
 *   php setup.php app-password       prints a new application password of the admin
 *
 * Env: KCS_SITE_DOCROOT, KCS_SITE_URL.
 *
 * @package KeyCrmSync\Tests
 */

$kcs_step = $argv[1] ?? '';

/**
 * Ends the step with a message.
 *
 * @param string $message What went wrong.
 */
function kcs_setup_fail( string $message ): void {
	fwrite( STDERR, "setup: $message\n" );
	exit( 1 );
}

if ( 'install' === $kcs_step ) {
	define( 'KCS_INSTALLING', true );
}
require __DIR__ . '/boot.php';
add_filter( 'pre_wp_mail', '__return_true' ); // No MTA: nothing is mailed while setting up.

switch ( $kcs_step ) {
	case 'install':
		require_once ABSPATH . 'wp-admin/includes/upgrade.php';
		if ( is_blog_installed() ) {
			kcs_setup_fail( 'WordPress is already installed in this site' );
		}
		wp_install( $argv[2] ?? 'Test shop', 'admin', 'admin@example.test', false, '', 'password' );
		break;

	case 'activate':
		require_once ABSPATH . 'wp-admin/includes/plugin.php';
		wp_set_current_user( 1 );
		foreach ( array_slice( $argv, 2 ) as $kcs_slug ) {
			$kcs_found = get_plugins( '/' . $kcs_slug );
			if ( ! $kcs_found ) {
				kcs_setup_fail( "no plugin in wp-content/plugins/$kcs_slug" );
			}
			$kcs_main   = isset( $kcs_found[ "$kcs_slug.php" ] ) ? "$kcs_slug.php" : (string) array_key_first( $kcs_found );
			$kcs_result = activate_plugin( "$kcs_slug/$kcs_main" );
			if ( is_wp_error( $kcs_result ) ) {
				kcs_setup_fail( "activating $kcs_slug/$kcs_main: " . $kcs_result->get_error_message() );
			}
		}
		break;

	case 'configure':
		if ( class_exists( 'WooCommerce' ) ) {
			WC_Install::install();
			// What WooCommerce does on the first admin page of a new shop (HPOS on, coming-soon
			// mode, ...), now, so every site starts the same.
			if ( is_callable( array( 'WC_Install', 'newly_installed' ) ) ) {
				WC_Install::newly_installed();
			}
			foreach (
				array(
					'woocommerce_coming_soon'        => 'no',
					'woocommerce_store_pages_only'   => 'no',
					'woocommerce_onboarding_profile' => array( 'skipped' => true ),
					'woocommerce_task_list_hidden'   => 'yes',
					'woocommerce_extended_task_list_hidden' => 'yes',
					'woocommerce_show_marketplace_suggestions' => 'no',
					'woocommerce_allow_tracking'     => 'no',
					'woocommerce_default_country'    => 'US:CA',
					'woocommerce_currency'           => 'USD',
					'woocommerce_manage_stock'       => 'yes',
					'woocommerce_cod_settings'       => array(
						'enabled' => 'yes',
						'title'   => 'Cash on delivery',
					),
				) as $kcs_option => $kcs_value
			) {
				update_option( $kcs_option, $kcs_value );
			}
			delete_transient( '_wc_activation_redirect' );
			if ( 'no' !== getenv( 'KCS_SITE_WC_PAGES' ) ) {
				WC_Install::create_pages(); // Shop, cart, checkout, my account: a storefront.
			}
		}
		$kcs_permalinks = getenv( 'KCS_SITE_PERMALINKS' );
		update_option( 'permalink_structure', false === $kcs_permalinks ? '/%postname%/' : $kcs_permalinks );
		flush_rewrite_rules( false );
		global $wpdb;
		fwrite(
			STDERR,
			sprintf(
				"[shop] site: WordPress %s, WooCommerce %s, PHP %s, MariaDB %s\n",
				get_bloginfo( 'version' ),
				class_exists( 'WooCommerce' ) ? WC()->version : '-',
				PHP_VERSION,
				$wpdb->db_server_info()
			)
		);
		break;

	case 'app-password':
		$kcs_created = WP_Application_Passwords::create_new_application_password( 1, array( 'name' => 'test-' . time() ) );
		if ( is_wp_error( $kcs_created ) ) {
			kcs_setup_fail( 'application password: ' . $kcs_created->get_error_message() );
		}
		echo $kcs_created[0], "\n"; // phpcs:ignore WordPress.Security.EscapeOutput -- CLI output.
		break;

	default:
		kcs_setup_fail( "unknown step '$kcs_step' (install, activate, configure, app-password)" );
}
