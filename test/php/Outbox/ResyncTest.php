<?php
/**
 * "Resync all" marks every SKU with set-based SQL; live changes are claimed before its backlog.
 *
 * @package KeyCrmSync\Tests
 */

namespace KeyCrmSync\Tests\Outbox;

use KeyCrmSync\Outbox\ChangeMask;
use KeyCrmSync\Outbox\OutboxTable;
use KeyCrmSync\Outbox\Resync;
use KeyCrmSync\Tests\TestCase;

final class ResyncTest extends TestCase {

	public function test_resync_creates_missing_rows_marks_existing_ones_and_skips_bad_skus(): void {
		global $wpdb;
		$known                        = $this->simple( self::sku( 'RK' ), 1 );
		$unknown                      = $this->simple( self::sku( 'RU' ), 2 );
		$spaced                       = $this->simple( self::sku( 'RS' ), 2 );
		list( $parent, $variations ) = $this->variable( '', array( self::sku( 'RNV' ) => 1 ) );
		$this->flush();
		$wpdb->query( 'TRUNCATE TABLE ' . OutboxTable::name() );
		$this->sync_reinsert( $known->get_sku() );
		update_post_meta( $spaced->get_id(), '_sku', ' ' . $spaced->get_sku() ); // Direct write by other code.
		\KeyCrmSync\Plugin::instance()->buffer->flush();

		$result = ( new Resync() )->run();
		$this->assertGreaterThanOrEqual( 4, $result['marked'] );
		$this->assertGreaterThanOrEqual( 2, $result['created'] );
		$this->assertMatchesRegularExpression( '/Z$/', $result['started_at'] );

		$row = $this->row( $known->get_sku() );
		$this->assertSame( 2, (int) $row->version );
		$this->assertSame( ChangeMask::DATA, (int) $row->change_mask, 'keyCRM already knows it: no CREATE bit' );
		$this->assertSame( '1', (string) $row->priority );
		$this->assertNull( $row->pushed_stock, 'stock is re-sent (cheap bulk call)' );
		$this->assertNull( $row->pushed_offer_hash, 'offer data is re-sent (cheap bulk call)' );
		$this->assertSame( 'product-hash', $row->pushed_product_hash, 'product data only when it changed' );
		$this->assertSame( '9', (string) $row->keycrm_offer_id, 'keyCRM ids are kept' );
		$new = $this->row( $unknown->get_sku() );
		$this->assertSame( 'pending', $new->state );
		$this->assertSame( ChangeMask::FULL, (int) $new->change_mask );
		$this->assertSame( 'skipped', $this->row( ' ' . $spaced->get_sku() )->state, 'surrounding whitespace' );
		$v = reset( $variations );
		$this->assertSame( 'pending', $this->row( $v->get_sku() )->state, 'a variation of a parent without SKU is sent (an offer of the parent\'s keyCRM product)' );
		$this->assertSame( (int) $parent->get_id(), (int) $this->row( $v->get_sku() )->parent_id );
	}

	public function test_live_changes_are_claimed_before_the_resync_backlog(): void {
		$products = array();
		for ( $i = 0; $i < 5; $i++ ) {
			$products[] = $this->simple( self::sku( 'PRI' ), 10 );
		}
		$this->sync_all();
		( new Resync() )->run();
		$this->assertGreaterThanOrEqual( 5, count( $this->dirty_skus() ) );

		$live = $products[3];
		wc_update_product_stock( $live, 4 ); // An order while the backlog drains.
		$this->flush();
		$claim = $this->queue()->claim( 1, 60 );
		$this->assertSame( $live->get_sku(), (string) $claim['rows'][0]->sku );

		// A busy sender asks for live changes only: the backlog stays unclaimed.
		wc_update_product_stock( $products[1], 3 );
		$this->flush();
		$live_only = $this->queue()->claim( 10, 60, true );
		$this->assertSame( array( $products[1]->get_sku() ), array_map( static fn( $r ) => (string) $r->sku, $live_only['rows'] ) );
		$this->assertSame( array(), $this->queue()->claim( 10, 60, true )['rows'], 'no backlog row in a live-only claim' );

		$progress = ( new Resync() )->progress();
		$this->assertTrue( $progress['running'] );
		$this->assertGreaterThanOrEqual( 1, $progress['done'] );
	}

	public function test_resync_of_a_large_catalogue_is_one_statement(): void {
		global $wpdb;
		$queries = $wpdb->num_queries;
		( new Resync() )->run();
		$this->assertLessThanOrEqual( 6, $wpdb->num_queries - $queries, 'no PHP loop over products' );
	}

	/**
	 * Puts back a synced row for a SKU (keyCRM knows it under offer 9).
	 *
	 * @param string $sku SKU.
	 */
	private function sync_reinsert( string $sku ): void {
		global $wpdb;
		$now = gmdate( 'Y-m-d H:i:s' );
		$wpdb->insert(
			OutboxTable::name(),
			array(
				'sku'                 => $sku,
				'version'             => 1,
				'synced_version'      => 1,
				'state'               => 'synced',
				'keycrm_offer_id'     => 9,
				'pushed_stock'        => 1,
				'pushed_offer_hash'   => 'offer-hash',
				'pushed_product_hash' => 'product-hash',
				'created_at'          => $now,
				'updated_at'          => $now,
			)
		);
	}
}
