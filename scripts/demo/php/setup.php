<?php
/**
 * Demo shop set-up, run once inside WordPress Playground after WooCommerce and keyCRM Sync are
 * active: quiet WooCommerce onboarding, seed a few products (simple, variable, one without SKU),
 * create an application password for the sender, and write what the demo needs to
 * $keycrm_demo_state_file as JSON.
 *
 * Expects WordPress loaded and $keycrm_demo_state_file set by the caller.
 *
 * @package KeyCrmSync\Demo
 */

declare( strict_types=1 );

defined( 'ABSPATH' ) || exit;

/**
 * WooCommerce options for a quiet demo shop (no onboarding wizard, shop open, cash on delivery).
 */
function keycrm_demo_configure_shop(): void {
	update_option( 'blogname', 'keyCRM Sync demo shop' );
	update_option( 'woocommerce_currency', 'UAH' );
	update_option( 'woocommerce_default_country', 'UA' );
	update_option( 'woocommerce_weight_unit', 'kg' );
	update_option( 'woocommerce_dimension_unit', 'cm' );
	update_option( 'woocommerce_manage_stock', 'yes' );
	update_option( 'woocommerce_onboarding_profile', array( 'skipped' => true ) );
	update_option( 'woocommerce_task_list_hidden', 'yes' );
	update_option( 'woocommerce_show_marketplace_suggestions', 'no' );
	update_option( 'woocommerce_allow_tracking', 'no' );
	update_option( 'woocommerce_coming_soon', 'no' );
	// A way to pay at checkout, so the storefront can take an order (stock goes down, keyCRM follows).
	update_option(
		'woocommerce_cod_settings',
		array(
			'enabled' => 'yes',
			'title'   => 'Cash on delivery',
		)
	);
}

/**
 * Creates a simple product with managed stock.
 *
 * @param string $name  Product name.
 * @param string $sku   SKU ('' for none).
 * @param string $price Regular price.
 * @param int    $stock Stock quantity.
 * @return array{id:int,sku:string,type:string,stock:int}
 */
function keycrm_demo_simple( string $name, string $sku, string $price, int $stock ): array {
	$product = new WC_Product_Simple();
	$product->set_name( $name );
	$product->set_sku( $sku );
	$product->set_regular_price( $price );
	$product->set_weight( '0.3' );
	$product->set_manage_stock( true );
	$product->set_stock_quantity( $stock );
	$product->set_description( $name . ' from the keyCRM Sync demo.' );
	$product->set_status( 'publish' );
	$id = $product->save();
	return array( 'id' => $id, 'sku' => $sku, 'type' => 'simple', 'stock' => $stock );
}

/**
 * Creates a variable product with one variation per size.
 *
 * @param string             $name  Product name.
 * @param string             $sku   Parent SKU.
 * @param string             $price Price of every variation.
 * @param array<string, int> $sizes Size => stock.
 * @return list<array{id:int,sku:string,type:string,stock:int|null}>
 */
function keycrm_demo_variable( string $name, string $sku, string $price, array $sizes ): array {
	$attribute = new WC_Product_Attribute();
	$attribute->set_name( 'Size' );
	$attribute->set_options( array_keys( $sizes ) );
	$attribute->set_visible( true );
	$attribute->set_variation( true );

	$parent = new WC_Product_Variable();
	$parent->set_name( $name );
	$parent->set_sku( $sku );
	$parent->set_attributes( array( $attribute ) );
	$parent->set_status( 'publish' );
	$parent_id = $parent->save();
	$created   = array( array( 'id' => $parent_id, 'sku' => $sku, 'type' => 'variable', 'stock' => null ) );

	foreach ( $sizes as $size => $stock ) {
		$variation = new WC_Product_Variation();
		$variation->set_parent_id( $parent_id );
		$variation->set_attributes( array( 'size' => (string) $size ) );
		$variation->set_sku( $sku . '-' . $size );
		$variation->set_regular_price( $price );
		$variation->set_manage_stock( true );
		$variation->set_stock_quantity( $stock );
		$variation->set_status( 'publish' );
		$created[] = array(
			'id'    => $variation->save(),
			'sku'   => $sku . '-' . $size,
			'type'  => 'variation',
			'stock' => $stock,
		);
	}
	WC_Product_Variable::sync( $parent_id );
	return $created;
}

/**
 * Creates the sender's application password for the admin user.
 *
 * @param int $user_id Admin user id.
 * @return string The plain password (shown once).
 */
function keycrm_demo_app_password( int $user_id ): string {
	$created = WP_Application_Passwords::create_new_application_password(
		$user_id,
		array( 'name' => 'keyCRM Sync demo sender' )
	);
	if ( is_wp_error( $created ) ) {
		throw new RuntimeException( 'application password: ' . $created->get_error_message() );
	}
	return $created[0];
}

$keycrm_demo_admin = get_user_by( 'login', 'admin' );
if ( ! $keycrm_demo_admin ) {
	throw new RuntimeException( 'the admin user is missing' );
}
wp_set_current_user( $keycrm_demo_admin->ID );
keycrm_demo_configure_shop();

$keycrm_demo_products = array_merge(
	array(
		keycrm_demo_simple( 'Demo T-shirt', 'DEMO-TSHIRT', '450', 12 ),
		keycrm_demo_simple( 'Demo Mug', 'DEMO-MUG', '250', 30 ),
		keycrm_demo_simple( 'Demo Cap', 'DEMO-CAP', '380', 5 ),
		keycrm_demo_simple( 'Demo Sticker without SKU', '', '40', 100 ),
	),
	keycrm_demo_variable( 'Demo Hoodie', 'DEMO-HOODIE', '1200', array( 'S' => 3, 'M' => 7, 'L' => 0 ) )
);

$keycrm_demo_state = array(
	'admin_user'     => 'admin',
	'admin_password' => 'password',
	'app_password'   => keycrm_demo_app_password( $keycrm_demo_admin->ID ),
	'products'       => $keycrm_demo_products,
	'wc_version'     => WC()->version,
	'wp_version'     => get_bloginfo( 'version' ),
);

// Runs in the demo's own sandbox: the state file is outside the web root (a separate mount).
// phpcs:ignore WordPress.WP.AlternativeFunctions.file_system_operations_file_put_contents
if ( false === file_put_contents( $keycrm_demo_state_file, wp_json_encode( $keycrm_demo_state, JSON_PRETTY_PRINT ) ) ) {
	throw new RuntimeException( 'cannot write ' . $keycrm_demo_state_file );
}
