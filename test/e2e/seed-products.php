<?php
/**
 * Seeds the e2e shop (run by test/shop/shop-eval.sh inside WordPress): five good products, one
 * keyCRM will reject (E2E-BAD), one without SKU and one with a SKU keyCRM cannot filter by.
 *
 * @package KeyCrmSync
 */

$made = array();
$rows = array(
	array( 'E2E mug', 'E2E-1', 10 ),
	array( 'E2E cup', 'E2E-2', 20 ),
	array( 'E2E plate', 'E2E-3', 30 ),
	array( 'E2E bowl', 'E2E-4', 40 ),
	array( 'E2E spoon', 'E2E-5', 50 ),
	array( 'E2E rejected', 'E2E-BAD', 3 ),
	array( 'E2E no SKU', '', 5 ),
	array( 'E2E comma', 'E2E,COMMA', 6 ),
);
foreach ( $rows as $row ) {
	$product = new WC_Product_Simple();
	$product->set_name( $row[0] );
	$product->set_regular_price( '9.99' );
	$product->set_manage_stock( true );
	$product->set_stock_quantity( $row[2] );
	if ( '' !== $row[1] ) {
		$product->set_sku( $row[1] );
	}
	$product->set_status( 'publish' );
	$made[ $row[1] ] = $product->save();
}
echo wp_json_encode( $made ), PHP_EOL;
