<?php
/**
 * Boots the test site with WooCommerce switched off (keyCRM Sync still active) and reports how
 * the plugin reacted: it must not fatal, must not register its services, and must show a notice.
 *
 * @package KeyCrmSync\Tests
 */

// Pre-initialised hook (WordPress turns $wp_filter entries into WP_Hook objects on load).
$GLOBALS['wp_filter']['option_active_plugins'][10][] = array(
	'function'      => static fn( $plugins ) => array_values( array_diff( (array) $plugins, array( 'woocommerce/woocommerce.php' ) ) ),
	'accepted_args' => 1,
);
require __DIR__ . '/../lib/boot.php';
wp_set_current_user( 1 );
ob_start();
do_action( 'admin_notices' );
$notices = ob_get_clean();
echo wp_json_encode(
	array(
		'woocommerce' => class_exists( 'WooCommerce', false ),
		'routes'      => array_values( array_filter( array_keys( rest_get_server()->get_routes() ), static fn( $r ) => str_starts_with( $r, '/keycrm-sync/' ) ) ),
		'notices'     => $notices,
	)
);
