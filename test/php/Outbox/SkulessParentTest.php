<?php
/**
 * Variable products whose parent has no SKU (the SKU lives on each size or colour): every
 * variation with a SKU is sent as an offer of one keyCRM product, whose id is kept on the parent.
 *
 * @package KeyCrmSync\Tests
 */

namespace KeyCrmSync\Tests\Outbox;

use KeyCrmSync\Outbox\OutboxTable;
use KeyCrmSync\Outbox\ParentProduct;
use KeyCrmSync\Outbox\Resync;
use KeyCrmSync\Problems\ProblemFinder;
use KeyCrmSync\Problems\ProblemIndex;
use KeyCrmSync\Tests\TestCase;

final class SkulessParentTest extends TestCase {

	public function test_variations_of_a_parent_without_sku_are_sent_and_only_a_variation_without_sku_is_a_problem(): void {
		global $wpdb;
		$a                           = self::sku( 'SLA' );
		$b                           = self::sku( 'SLB' );
		list( $parent, $variations ) = $this->variable( '', array( $a => 4, $b => 2 ) );
		$nosku                       = new \WC_Product_Variation();
		$nosku->set_parent_id( $parent->get_id() );
		$nosku->set_attributes( array( 'size' => '3' ) );
		$nosku->set_regular_price( '20' );
		$nosku->save();
		$this->flush();

		$this->assertSame( array( $a, $b ), array_values( array_intersect( array( $a, $b ), $this->dirty_skus() ) ), 'captured as pending' );
		$this->assertSame( (int) $parent->get_id(), (int) $this->row( $a )->parent_id );

		$listed = $this->problems_of( array( $parent->get_id(), $nosku->get_id(), $variations[ $a ]->get_id(), $variations[ $b ]->get_id() ) );
		$this->assertSame( array( $nosku->get_id() => array( 'missing_sku' ) ), $listed, 'the parent needs no SKU; a variation does' );
		$stored = $wpdb->get_col( $wpdb->prepare( 'SELECT product_id FROM ' . ProblemIndex::name() . ' WHERE product_id IN (%d, %d, %d)', $parent->get_id(), $nosku->get_id(), $variations[ $a ]->get_id() ) ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared
		$this->assertSame( array( (string) $nosku->get_id() ), $stored, 'the Overview count agrees' );

		$items = $this->claim_items();
		$this->assertSame( '', $items[ $a ]['parent_sku'] );
		$this->assertSame( 'variation', $items[ $a ]['type'] );
		$this->assertNull( $items[ $a ]['parent_keycrm_product_id'] );

		$wpdb->query( 'TRUNCATE TABLE ' . OutboxTable::name() );
		( new Resync() )->run();
		$this->assertSame( 'pending', $this->row( $a )->state, 'resync sends them too' );
		$this->assertSame( (int) $parent->get_id(), (int) $this->row( $b )->parent_id );
	}

	public function test_the_keycrm_product_id_is_kept_on_the_parent_and_reaches_later_claims(): void {
		$a                           = self::sku( 'SLK' );
		list( $parent, $variations ) = $this->variable( '', array( $a => 1 ) );
		$this->flush();
		$claim = $this->queue()->claim( 10000, 60 );
		$this->assertNotEmpty( $claim['rows'] );

		// The sender created the keyCRM product and records its id before adding the variations.
		$result = array(
			'sku'               => '',
			'version'           => 0,
			'outcome'           => 'retry',
			'code'              => 'ids_only',
			'keycrm_product_id' => 616,
			'parent_id'         => $parent->get_id(),
		);
		$schema = \KeyCrmSync\Rest\WorkerSchema::ack_args()['results'];
		$this->assertTrue( rest_validate_value_from_schema( array( $result ), $schema, 'results' ) );
		$this->assertArrayHasKey( 'parent_id', $schema['items']['properties'] );
		$this->queue()->ack( 'ids-only', array( $result ), 5 );
		$this->assertSame( 616, ParentProduct::keycrm_id( $parent->get_id() ) );
		$this->assertSame( (string) $claim['token'], (string) $this->row( $a )->lease_token, 'the lease is untouched' );

		global $wpdb;
		$wpdb->query( 'UPDATE ' . OutboxTable::name() . ' SET lease_token = NULL, lease_expires_at = NULL' ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared -- the lease ends.
		$items = $this->claim_items();
		$this->assertSame( 616, $items[ $a ]['parent_keycrm_product_id'] );

		// A renamed parent SKU or a new variation finds the same product.
		$parent = wc_get_product( $parent->get_id() );
		$parent->set_sku( self::sku( 'SLP' ) );
		$parent->save();
		$new_sku = self::sku( 'SLN' );
		$v       = new \WC_Product_Variation();
		$v->set_parent_id( $parent->get_id() );
		$v->set_sku( $new_sku );
		$v->set_attributes( array( 'size' => '1' ) );
		$v->save();
		$this->flush();
		$this->release();
		$items = $this->claim_items();
		$this->assertSame( 616, $items[ $new_sku ]['parent_keycrm_product_id'] );
	}

	/**
	 * Problems the Problems screen lists for these products.
	 *
	 * @param int[] $ids Product ids.
	 * @return array<int, list<string>>
	 */
	private function problems_of( array $ids ): array {
		global $wpdb;
		$in    = implode( ',', array_map( 'intval', $ids ) );
		$union = ( new ProblemFinder() )->union_sql();
		$out   = array();
		foreach ( $wpdb->get_results( "SELECT product_id, kind FROM ({$union}) x WHERE product_id IN ($in)" ) as $r ) { // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared
			$out[ (int) $r->product_id ][] = $r->kind;
		}
		return $out;
	}
}
