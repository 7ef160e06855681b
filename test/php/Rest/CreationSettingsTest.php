<?php
/**
 * What is created in keyCRM: product statuses (published only by default) and external
 * products (not by default). Changing either re-queues exactly the SKUs it affects: those keyCRM
 * does not hold yet whose status (or parent's) or type the change concerns.
 *
 * @package KeyCrmSync\Tests
 */

namespace KeyCrmSync\Tests\Rest;

use KeyCrmSync\Settings\Settings;
use KeyCrmSync\Tests\TestCase;

final class CreationSettingsTest extends TestCase {

	protected function tearDown(): void {
		( new Settings() )->update(
			array(
				'sync_statuses'   => array( 'publish' ),
				'create_external' => false,
			)
		);
		parent::tearDown();
	}

	public function test_defaults_reach_the_sender_and_a_claim_tells_the_parent_status(): void {
		$sender = ( new Settings() )->sender();
		$this->assertSame( array( 'publish' ), $sender['sync_statuses'] );
		$this->assertFalse( $sender['create_external'] );

		$vsku                        = self::sku( 'CSV' );
		list( $parent, $variations ) = $this->variable( '', array( $vsku => 1 ) );
		$parent->set_status( 'draft' );
		$parent->save();
		$this->flush();
		$items = $this->claim_items();
		$this->assertSame( 'draft', $items[ $vsku ]['parent_status'] );
		$this->assertSame( 'publish', $items[ $vsku ]['status'] );
	}

	public function test_a_synced_result_with_a_reason_is_shown_and_changing_the_statuses_requeues_the_held_back_skus(): void {
		$draft = $this->simple( self::sku( 'CSD' ) );
		$draft->set_status( 'draft' );
		$draft->save();
		$pub   = $this->simple( self::sku( 'CSP' ) );
		$known = $this->simple( self::sku( 'CSK' ) );
		$known->set_status( 'draft' );
		$known->save();
		$this->flush();
		$claim = $this->queue()->claim( 10000, 60 );
		$rows  = array();
		foreach ( $claim['rows'] as $row ) {
			$rows[ (string) $row->sku ] = $row;
		}
		$results = array(
			array(
				'sku'     => $draft->get_sku(),
				'version' => (int) $rows[ $draft->get_sku() ]->version,
				'outcome' => 'synced',
				'code'    => 'not_sent',
				'error'   => 'Not sent: its status is "draft" (Settings: product statuses created in keyCRM).',
			),
			array(
				'sku'               => $pub->get_sku(),
				'version'           => (int) $rows[ $pub->get_sku() ]->version,
				'outcome'           => 'synced',
				'keycrm_offer_id'   => 5,
				'pushed_offer_hash' => 'h',
			),
			array(
				'sku'             => $known->get_sku(),
				'version'         => (int) $rows[ $known->get_sku() ]->version,
				'outcome'         => 'synced',
				'keycrm_offer_id' => 6, // Created before it became a draft.
			),
		);
		$this->queue()->ack( (string) $claim['token'], $results, 5 );
		$row = $this->row( $draft->get_sku() );
		$this->assertSame( 'synced', $row->state );
		$this->assertSame( 'not_sent', $row->last_error_code );
		$this->assertStringContainsString( 'status is "draft"', (string) $row->last_error );
		$this->assertNull( $this->row( $pub->get_sku() )->last_error_code );
		$this->assertSame( array(), $this->dirty_skus() );

		$response = $this->put( array( 'sync_statuses' => array( 'publish', 'draft' ) ) );
		$this->assertSame( 200, $response->get_status(), wp_json_encode( $response->get_data() ) );
		$this->assertSame( array( 'publish', 'draft' ), $response->get_data()['sync_statuses'] );
		$this->assertSame( array( $draft->get_sku() ), $this->dirty_skus(), 'only the draft keyCRM does not hold' );

		$this->assertSame( 400, $this->put( array( 'sync_statuses' => array( 'trash' ) ) )->get_status() );
	}

	public function test_allowing_external_products_requeues_the_external_ones_only(): void {
		$ext = new \WC_Product_External();
		$ext->set_name( 'Affiliate' );
		$ext->set_sku( self::sku( 'CSE' ) );
		$ext->set_regular_price( '9' );
		$ext->set_product_url( 'https://example.com/x' );
		$ext->save();
		$plain = $this->simple( self::sku( 'CSS' ) );
		$this->sync_all();
		$this->put( array( 'create_external' => true ) );
		$this->assertSame( array( $ext->get_sku() ), array_values( array_intersect( $this->dirty_skus(), array( $ext->get_sku(), $plain->get_sku() ) ) ) );
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
