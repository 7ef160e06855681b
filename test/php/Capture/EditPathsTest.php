<?php
/**
 * One capture test per WooCommerce edit path, on the real WooCommerce: each path makes exactly
 * the right SKUs claimable, with their current values, and nothing else.
 *
 * @package KeyCrmSync\Tests
 */

namespace KeyCrmSync\Tests\Capture;

use KeyCrmSync\Outbox\ChangeMask;
use KeyCrmSync\Tests\TestCase;

final class EditPathsTest extends TestCase {

	protected function tearDown(): void {
		$_POST    = array();
		$_REQUEST = array();
		parent::tearDown();
	}

	public function test_product_editor_save(): void {
		$sku   = self::sku( 'ED' );
		$other = $this->simple( self::sku( 'OTHER' ) );
		$p     = $this->simple( $sku, 10, '10' );
		$this->sync_all();
		$_POST = array(
			'product-type'    => 'simple',
			'_sku'            => $sku,
			'_regular_price'  => '15',
			'_manage_stock'   => 'yes',
			'_stock'          => '7',
			'_original_stock' => '10',
			'_stock_status'   => 'instock',
			'_backorders'     => 'no',
		);
		\WC_Meta_Box_Product_Data::save( $p->get_id(), get_post( $p->get_id() ) );
		$this->assertClaimable(
			array(
				$sku => array(
					'stock_quantity' => 7.0,
					'price'          => 15.0,
					'change_mask'    => ChangeMask::STOCK | ChangeMask::OFFER,
				),
			)
		);
		unset( $other );
	}

	public function test_quick_edit(): void {
		$sku = self::sku( 'QE' );
		$p   = $this->simple( $sku, 10, '10' );
		$this->simple( self::sku( 'OTHER' ) );
		$this->sync_all();
		$_REQUEST = array(
			'woocommerce_quick_edit'       => '1',
			'woocommerce_quick_edit_nonce' => wp_create_nonce( 'woocommerce_quick_edit_nonce' ),
			'_sku'                         => $sku,
			'_regular_price'               => '10',
			'_manage_stock'                => 'yes',
			'_stock'                       => '4',
			'_stock_status'                => 'instock',
			'_visibility'                  => 'visible',
		);
		( new \WC_Admin_Post_Types() )->bulk_and_quick_edit_save_post( $p->get_id(), get_post( $p->get_id() ) );
		$this->assertClaimable( array( $sku => array( 'stock_quantity' => 4.0 ) ) );
	}

	public function test_bulk_edit(): void {
		$a = $this->simple( self::sku( 'BE' ), 1 );
		$b = $this->simple( self::sku( 'BE' ), 2 );
		$this->simple( self::sku( 'OTHER' ), 3 );
		$this->sync_all();
		$_REQUEST  = array(
			'woocommerce_quick_edit_nonce' => wp_create_nonce( 'woocommerce_quick_edit_nonce' ),
			'change_stock'                 => '1',
			'_stock'                       => '9',
			'_manage_stock'                => 'yes',
			'change_regular_price'         => '1',
			'_regular_price'               => '33',
		);
		$admin_types = new \WC_Admin_Post_Types();
		foreach ( array( $a, $b ) as $p ) {
			$admin_types->bulk_and_quick_edit_save_post( $p->get_id(), get_post( $p->get_id() ) );
		}
		$this->assertClaimable(
			array(
				$a->get_sku() => array(
					'stock_quantity' => 9.0,
					'regular_price'  => 33.0,
				),
				$b->get_sku() => array(
					'stock_quantity' => 9.0,
					'regular_price'  => 33.0,
				),
			)
		);
	}

	public function test_wc_rest_products_variations_and_batch(): void {
		$p                   = $this->simple( self::sku( 'RS' ), 5 );
		$gone                = $this->simple( self::sku( 'RS' ), 5 );
		list( , $variations ) = $this->variable( self::sku( 'RP' ), array( self::sku( 'RV' ) => 3, self::sku( 'RV' ) => 4 ) );
		$this->sync_all();

		$res = $this->rest( 'PUT', '/wc/v3/products/' . $p->get_id(), array( 'stock_quantity' => 2 ) );
		$this->assertSame( 200, $res->get_status() );
		// One request, one version bump: no double capture although WooCommerce fires several hooks.
		$this->assertClaimable( array( $p->get_sku() => array( 'stock_quantity' => 2.0, 'version' => 2 ) ) );

		$v   = reset( $variations );
		$res = $this->rest( 'PUT', '/wc/v3/products/' . $v->get_parent_id() . '/variations/' . $v->get_id(), array( 'stock_quantity' => 11 ) );
		$this->assertSame( 200, $res->get_status() );
		$this->assertClaimable( array( $v->get_sku() => array( 'stock_quantity' => 11.0, 'version' => 2 ) ) );

		$new = self::sku( 'RB' );
		$res = $this->rest(
			'POST',
			'/wc/v3/products/batch',
			array(
				'create' => array( array( 'name' => 'Batch new', 'sku' => $new, 'regular_price' => '5', 'manage_stock' => true, 'stock_quantity' => 6 ) ),
				'update' => array( array( 'id' => $p->get_id(), 'stock_quantity' => 1 ) ),
				'delete' => array( $gone->get_id() ),
			)
		);
		$this->assertSame( 200, $res->get_status() );
		$this->assertClaimable(
			array(
				$new            => array( 'stock_quantity' => 6.0, 'change_mask' => ChangeMask::FULL ),
				$p->get_sku()   => array( 'stock_quantity' => 1.0, 'version' => 3 ),
				$gone->get_sku() => array( 'retired' => true ),
			)
		);
	}

	public function test_csv_import_creates_and_updates(): void {
		require_once WC_ABSPATH . 'includes/import/class-wc-product-csv-importer.php';
		$existing = $this->simple( self::sku( 'CSV' ), 5 );
		$this->simple( self::sku( 'OTHER' ), 5 );
		$this->sync_all();
		$new     = self::sku( 'CSVNEW' );
		$created = $this->import_csv( "type,sku,name,published,manage_stock,stock_quantity,regular_price\nsimple,$new,Imported,1,1,12,7.5\n", false );
		$updated = $this->import_csv( "sku,name,stock_quantity\n{$existing->get_sku()},Updated,3\n", true );
		$this->assertCount( 1, $created['imported'], wp_json_encode( $created ) );
		$this->assertCount( 1, $updated['updated'], wp_json_encode( $updated ) );
		$this->assertClaimable(
			array(
				$new                  => array( 'stock_quantity' => 12.0, 'price' => 7.5 ),
				$existing->get_sku() => array( 'stock_quantity' => 3.0, 'name' => 'Updated' ),
			)
		);
	}

	public function test_order_checkout_cancel_and_refund_with_restock(): void {
		$p = $this->simple( self::sku( 'ORD' ), 10 );
		$this->simple( self::sku( 'OTHER' ), 10 );
		$this->sync_all();

		$order = wc_create_order();
		$item  = $order->add_product( wc_get_product( $p->get_id() ), 2 );
		$order->set_payment_method( 'cod' );
		$order->calculate_totals();
		$order->payment_complete(); // Checkout: stock reduced.
		$this->assertClaimable( array( $p->get_sku() => array( 'stock_quantity' => 8.0, 'version' => 2 ) ) );

		$order = wc_get_order( $order->get_id() );
		$order->update_status( 'cancelled' ); // Cancellation: stock restored.
		$this->assertClaimable( array( $p->get_sku() => array( 'stock_quantity' => 10.0 ) ) );

		$order = wc_create_order();
		$item  = $order->add_product( wc_get_product( $p->get_id() ), 3 );
		$order->calculate_totals();
		$order->update_status( 'processing' ); // Status change: stock reduced.
		$this->assertClaimable( array( $p->get_sku() => array( 'stock_quantity' => 7.0 ) ) );

		$refund = wc_create_refund(
			array(
				'order_id'      => $order->get_id(),
				'amount'        => 10,
				'line_items'    => array( $item => array( 'qty' => 1, 'refund_total' => 10 ) ),
				'restock_items' => true,
			)
		);
		$this->assertNotWPError( $refund );
		$this->assertClaimable( array( $p->get_sku() => array( 'stock_quantity' => 8.0 ) ) );
	}

	public function test_variation_stock_change_marks_only_that_variation(): void {
		$skus                         = array( self::sku( 'VA' ) => 3, self::sku( 'VA' ) => 4 );
		list( $parent, $variations ) = $this->variable( self::sku( 'VP' ), $skus );
		$this->flush();
		$items = $this->claim_items();
		$this->assertSame( 'variable', $items[ $parent->get_sku() ]['type'] );
		$first = reset( $variations );
		$this->assertSame( 'variation', $items[ $first->get_sku() ]['type'] );
		$this->assertSame( $parent->get_sku(), $items[ $first->get_sku() ]['parent_sku'] );
		$this->assertSame( array( array( 'name' => 'Size', 'value' => '1' ) ), $items[ $first->get_sku() ]['attributes'] );
		$this->assertSame( $parent->get_name(), $items[ $first->get_sku() ]['parent_name'] );
		$this->assertNull( $items[ $first->get_sku() ]['parent_keycrm_product_id'] );
		$this->release();
		global $wpdb;
		$wpdb->query( $wpdb->prepare( 'UPDATE ' . \KeyCrmSync\Outbox\OutboxTable::name() . ' SET keycrm_product_id = 555 WHERE sku = %s', $parent->get_sku() ) );

		wc_update_product_stock( $first, 1 );
		$this->assertClaimable(
			array(
				$first->get_sku() => array(
					'stock_quantity'           => 1.0,
					'change_mask'              => ChangeMask::STOCK,
					'parent_keycrm_product_id' => 555,
				),
			)
		);
	}

	public function test_sku_change_retires_the_old_and_creates_the_new(): void {
		$old = self::sku( 'OLD' );
		$new = self::sku( 'NEW' );
		$p   = $this->simple( $old, 5 );
		$this->sync_all();
		$p->set_sku( $new );
		$p->save();
		$this->assertClaimable(
			array(
				$old => array( 'retired' => true, 'change_mask' => ChangeMask::RETIRE ),
				$new => array( 'retired' => false, 'stock_quantity' => 5.0, 'change_mask' => ChangeMask::FULL ),
			)
		);
	}

	public function test_trash_untrash_and_delete(): void {
		$p = $this->simple( self::sku( 'TR' ), 5 );
		$q = $this->simple( self::sku( 'DEL' ), 5 );
		$r = $this->simple( self::sku( 'CRUDDEL' ), 5 );
		$this->sync_all();

		wp_trash_post( $p->get_id() );
		$this->assertClaimable( array( $p->get_sku() => array( 'retired' => true, 'status' => 'trash' ) ) );
		wp_untrash_post( $p->get_id() );
		$this->assertClaimable( array( $p->get_sku() => array( 'retired' => false, 'change_mask' => ChangeMask::FULL ) ) );

		wp_delete_post( $q->get_id(), true );
		wc_get_product( $r->get_id() )->delete( true );
		$this->assertClaimable(
			array(
				$q->get_sku() => array( 'retired' => true, 'product_id' => $q->get_id(), 'stock_quantity' => null ),
				$r->get_sku() => array( 'retired' => true ),
			)
		);
	}

	public function test_trashing_a_variable_product_retires_its_variations(): void {
		$skus                         = array( self::sku( 'TV' ) => 3, self::sku( 'TV' ) => 4 );
		list( $parent, $variations ) = $this->variable( self::sku( 'TVP' ), $skus );
		$this->sync_all();
		wp_trash_post( $parent->get_id() );
		$expected = array( $parent->get_sku() => array( 'retired' => true ) );
		foreach ( $variations as $vsku => $v ) {
			$expected[ $vsku ] = array( 'retired' => true );
		}
		$this->assertClaimable( $expected );
	}

	public function test_product_type_change(): void {
		$p = $this->simple( self::sku( 'TYPE' ), 5 );
		$this->sync_all();
		$variable = new \WC_Product_Variable( $p->get_id() );
		$variable->save();
		$this->assertClaimable( array( $p->get_sku() => array( 'type' => 'variable', 'change_mask' => ChangeMask::FULL ) ) );
	}

	public function test_direct_meta_writes_by_other_code(): void {
		$p   = $this->simple( self::sku( 'META' ), 5, '10' );
		$this->sync_all();
		update_post_meta( $p->get_id(), '_stock', '3' );
		$this->assertClaimable( array( $p->get_sku() => array( 'stock_quantity' => 3.0, 'change_mask' => ChangeMask::STOCK ) ) );

		update_post_meta( $p->get_id(), '_price', '4' );
		$this->assertClaimable( array( $p->get_sku() => array( 'change_mask' => ChangeMask::OFFER ) ) );

		$new = self::sku( 'META2' );
		update_post_meta( $p->get_id(), '_sku', $new );
		clean_post_cache( $p->get_id() );
		$this->assertClaimable(
			array(
				$p->get_sku() => array( 'retired' => true ),
				$new          => array( 'retired' => false, 'change_mask' => ChangeMask::FULL ),
			)
		);
	}

	public function test_non_product_posts_and_unchanged_saves_capture_nothing(): void {
		$p = $this->simple( self::sku( 'NOOP' ), 5 );
		$this->sync_all();
		$page = wp_insert_post( array( 'post_type' => 'page', 'post_title' => 'Not a product', 'post_status' => 'publish' ) );
		update_post_meta( $page, '_sku', 'PAGE-SKU' );
		update_post_meta( $page, '_stock', '5' );
		wp_trash_post( $page );
		wc_get_product( $p->get_id() )->save(); // A save without changes.
		$this->assertClaimable( array() );
	}

	public function test_unusable_and_duplicate_skus_are_skipped_not_claimed(): void {
		$comma = $this->simple( 'A,B-' . self::sku(), 5 );
		$a     = $this->simple( self::sku( 'DUP' ), 5 );
		$b     = $this->simple( self::sku( 'DUPB' ), 5 );
		$this->flush();
		$this->assertSame( 'skipped', $this->row( $comma->get_sku() )->state );
		$this->sync_all();
		update_post_meta( $b->get_id(), '_sku', $a->get_sku() ); // Another plugin writes a duplicate.
		clean_post_cache( $b->get_id() );
		$this->assertClaimable( array( $b->get_sku() => array( 'retired' => true ) ) );
		$this->assertSame( 'skipped', $this->row( $a->get_sku() )->state );
	}

	/**
	 * Runs WooCommerce's CSV product importer on a CSV string.
	 *
	 * @param string $csv             CSV with internal column names.
	 * @param bool   $update_existing Update products matched by SKU (else create).
	 * @return array<string, mixed> Importer result.
	 */
	private function import_csv( string $csv, bool $update_existing ): array {
		$tmp  = wp_tempnam( 'kcs-import' );
		$file = $tmp . '.csv'; // The importer checks the extension.
		file_put_contents( $file, $csv );
		$importer = new \WC_Product_CSV_Importer(
			$file,
			array(
				'parse'           => true,
				'update_existing' => $update_existing,
				'mapping'         => array(),
			)
		);
		$result = $importer->import();
		unlink( $file );
		unlink( $tmp );
		return $result;
	}

	/**
	 * A request through the REST server as the current user (admin).
	 *
	 * @param string               $method Method.
	 * @param string               $route  Route.
	 * @param array<string, mixed> $body   JSON body.
	 */
	private function rest( string $method, string $route, array $body ): \WP_REST_Response {
		$request = new \WP_REST_Request( $method, $route );
		$request->set_header( 'Content-Type', 'application/json' );
		$request->set_body( wp_json_encode( $body ) );
		return rest_do_request( $request );
	}

	/**
	 * Asserts a value is not a WP_Error.
	 *
	 * @param mixed $value Value.
	 */
	private function assertNotWPError( $value ): void {
		$this->assertFalse( is_wp_error( $value ), is_wp_error( $value ) ? $value->get_error_message() : '' );
	}
}
