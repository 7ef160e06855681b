<?php
/**
 * WooCommerce's "GTIN, UPC, EAN or ISBN" (global_unique_id) reaches the sender as the barcode,
 * and changing it marks the SKU.
 *
 * @package KeyCrmSync\Tests
 */

namespace KeyCrmSync\Tests\Capture;

use KeyCrmSync\Tests\TestCase;

final class BarcodeTest extends TestCase {

	public function test_products_and_variations_carry_their_gtin_and_a_change_is_captured(): void {
		$simple = $this->simple( self::sku( 'BC' ) );
		$simple->set_global_unique_id( '4820000000011' );
		$simple->save();
		$vsku                        = self::sku( 'BCV' );
		list( $parent, $variations ) = $this->variable( '', array( $vsku => 2 ) );
		$variation                   = $variations[ $vsku ];
		$variation->set_global_unique_id( '4820000000028' );
		$variation->save();
		$plain = $this->simple( self::sku( 'BC0' ) );
		$this->assertClaimable(
			array(
				$simple->get_sku() => array( 'barcode' => '4820000000011' ),
				$vsku              => array( 'barcode' => '4820000000028' ),
				$plain->get_sku()  => array( 'barcode' => null ),
			)
		);

		$simple = wc_get_product( $simple->get_id() );
		$simple->set_global_unique_id( '4820000000035' );
		$simple->save(); // Only the GTIN changes.
		$this->assertClaimable( array( $simple->get_sku() => array( 'barcode' => '4820000000035' ) ) );

		update_post_meta( $variation->get_id(), '_global_unique_id', '4820000000042' ); // Direct meta write.
		$this->assertClaimable( array( $vsku => array( 'barcode' => '4820000000042' ) ) );
	}
}
