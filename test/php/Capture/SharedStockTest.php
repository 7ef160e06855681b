<?php
/**
 * Stock managed on the variable product (variations set to take the product's stock): each
 * variation is sent the shared quantity, every one of them is marked when an order changes it,
 * and the product is listed on the Problems screen with the fix.
 *
 * @package KeyCrmSync\Tests
 */

namespace KeyCrmSync\Tests\Capture;

use KeyCrmSync\Problems\ProblemFinder;
use KeyCrmSync\Problems\ProblemIndex;
use KeyCrmSync\Tests\TestCase;

final class SharedStockTest extends TestCase {

	public function test_an_order_of_one_variation_marks_every_variation_sharing_the_stock(): void {
		list( $parent, $skus ) = $this->shared_family( 12 );
		$this->flush();
		$items = $this->claim_items();
		foreach ( $skus as $sku ) {
			$this->assertTrue( $items[ $sku ]['manage_stock'] );
			$this->assertEquals( 12, $items[ $sku ]['stock_quantity'], 'the shared quantity' );
		}
		$this->release();

		// What an order does: WooCommerce reduces the product that manages the stock.
		$ordered = wc_get_product( wc_get_product_id_by_sku( $skus[1] ) );
		wc_update_product_stock( $ordered, 2, 'decrease' );
		$this->flush();
		$items = $this->claim_items();
		foreach ( $skus as $sku ) {
			$this->assertArrayHasKey( $sku, $items, "$sku is marked" );
			$this->assertEquals( 10, $items[ $sku ]['stock_quantity'] );
		}
		$this->release();
		$this->assertSame( 10, (int) wc_get_product( $parent->get_id() )->get_stock_quantity() );
	}

	public function test_the_product_is_a_listed_problem_until_each_variation_manages_its_own_stock(): void {
		global $wpdb;
		list( $parent, $skus ) = $this->shared_family( 5 );
		$this->flush();
		$listed = $this->problems_of( $parent->get_id() );
		$this->assertCount( 1, $listed );
		$this->assertSame( 'parent_stock', $listed[0]['kind'] );
		$this->assertSame( $parent->get_id(), $listed[0]['product_id'] );
		$this->assertStringContainsString( '3 variations', $listed[0]['detail'] );
		$this->assertStringContainsString( 'Manage stock?', $listed[0]['detail'] );
		$this->assertSame( array( 'parent_stock' ), $this->stored( $parent->get_id() ), 'the Overview count agrees' );

		foreach ( $skus as $sku ) {
			$v = wc_get_product( wc_get_product_id_by_sku( $sku ) );
			$v->set_manage_stock( true );
			$v->set_stock_quantity( 2 );
			$v->save();
		}
		$this->flush();
		$this->assertSame( array(), $this->problems_of( $parent->get_id() ) );
		$this->assertSame( array(), $this->stored( $parent->get_id() ) );
		$this->assertSame( ( new ProblemIndex() )->count(), ( new ProblemFinder() )->page( 1, 1 )['total'] );
	}

	/**
	 * A variable product without SKU managing a stock of $stock, with three variations that do
	 * not manage their own.
	 *
	 * @param int $stock Shared stock.
	 * @return array{0:\WC_Product_Variable, 1:list<string>}
	 */
	private function shared_family( int $stock ): array {
		$attr = new \WC_Product_Attribute();
		$attr->set_name( 'Size' );
		$attr->set_options( array( 'S', 'M', 'L' ) );
		$attr->set_visible( true );
		$attr->set_variation( true );
		$parent = new \WC_Product_Variable();
		$parent->set_name( 'Shared stock' );
		$parent->set_attributes( array( $attr ) );
		$parent->set_manage_stock( true );
		$parent->set_stock_quantity( $stock );
		$parent->save();
		$skus = array();
		foreach ( array( 'S', 'M', 'L' ) as $size ) {
			$v = new \WC_Product_Variation();
			$v->set_parent_id( $parent->get_id() );
			$v->set_sku( self::sku( 'SHR' ) );
			$v->set_attributes( array( 'size' => $size ) );
			$v->set_regular_price( '20' );
			$v->save();
			$skus[] = $v->get_sku();
		}
		return array( $parent, $skus );
	}

	/**
	 * Problems the Problems screen lists for a product (as contract Problems).
	 *
	 * @param int $id Product id.
	 * @return list<array<string, mixed>>
	 */
	private function problems_of( int $id ): array {
		$all = ( new ProblemFinder() )->page( 1, 100000 )['problems'];
		return array_values( array_filter( $all, static fn( $p ) => $p['product_id'] === $id ) );
	}

	/**
	 * Kinds in the stored problem list for a product.
	 *
	 * @param int $id Product id.
	 * @return list<string>
	 */
	private function stored( int $id ): array {
		global $wpdb;
		return $wpdb->get_col( $wpdb->prepare( 'SELECT kind FROM ' . ProblemIndex::name() . ' WHERE product_id = %d', $id ) ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared
	}
}
