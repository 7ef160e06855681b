<?php
/**
 * The quantity sent for items without managed stock is a plugin setting (the sender's
 * --untracked-stock overrides it); changing it re-queues exactly the SKUs it affects.
 *
 * @package KeyCrmSync\Tests
 */

namespace KeyCrmSync\Tests\Rest;

use KeyCrmSync\Settings\Settings;
use KeyCrmSync\Tests\TestCase;

final class UntrackedStockSettingTest extends TestCase {

	protected function tearDown(): void {
		( new Settings() )->update( array( 'untracked_stock' => null ) );
		parent::tearDown();
	}

	public function test_changing_the_setting_requeues_in_stock_items_without_managed_stock_only(): void {
		$managed  = $this->simple( self::sku( 'UTM' ), 4 );
		$instock  = $this->unmanaged( 'instock' );
		$backord  = $this->unmanaged( 'onbackorder' );
		$outstock = $this->unmanaged( 'outofstock' );
		$this->sync_all();
		$this->assertSame( array(), $this->dirty_skus() );

		$response = $this->put( array( 'untracked_stock' => 25 ) );
		$this->assertSame( 200, $response->get_status(), wp_json_encode( $response->get_data() ) );
		$this->assertSame( 25, $response->get_data()['untracked_stock'] );
		$this->assertSame( 25, ( new Settings() )->sender()['untracked_stock'] );

		$expected = array( $instock->get_sku(), $backord->get_sku() );
		sort( $expected );
		$this->assertSame( $expected, array_values( array_intersect( $this->dirty_skus(), array( $managed->get_sku(), $instock->get_sku(), $backord->get_sku(), $outstock->get_sku() ) ) ) );
		$this->assertSame( 1, (int) $this->row( $instock->get_sku() )->change_mask & 1, 'the stock bit' );

		$this->sync_all();
		$this->put( array( 'untracked_stock' => 25 ) ); // Unchanged: nothing to send.
		$this->assertSame( array(), $this->dirty_skus() );
		$this->put( array( 'untracked_stock' => null ) );
		$this->assertSame( $expected, array_values( array_intersect( $this->dirty_skus(), $expected ) ) );
		$this->assertNull( ( new Settings() )->public()['untracked_stock'] );
	}

	/**
	 * A simple product that does not manage stock.
	 *
	 * @param string $status Stock status.
	 */
	private function unmanaged( string $status ): \WC_Product_Simple {
		$p = new \WC_Product_Simple();
		$p->set_name( 'Unmanaged ' . $status );
		$p->set_sku( self::sku( 'UTU' ) );
		$p->set_regular_price( '5' );
		$p->set_manage_stock( false );
		$p->set_stock_status( $status );
		$p->save();
		return $p;
	}

	/**
	 * PUT /settings as the admin.
	 *
	 * @param array<string, mixed> $body Fields.
	 */
	private function put( array $body ): \WP_REST_Response {
		$request = new \WP_REST_Request( 'PUT', '/keycrm-sync/v1/settings' );
		$request->set_header( 'Content-Type', 'application/json' );
		$request->set_body( wp_json_encode( $body ) );
		return rest_do_request( $request );
	}
}
