<?php
/**
 * Outbox semantics on the real database: coalescing, claim, leases, ack, backoff, dead.
 *
 * @package KeyCrmSync\Tests
 */

namespace KeyCrmSync\Tests\Outbox;

use KeyCrmSync\Outbox\ChangeMask;
use KeyCrmSync\Outbox\OutboxTable;
use KeyCrmSync\Plugin;
use KeyCrmSync\Tests\TestCase;

final class OutboxQueueTest extends TestCase {

	public function test_marks_of_one_request_coalesce_into_one_upsert_per_sku(): void {
		$sku = self::sku();
		$p   = $this->simple( $sku, 5 );
		wc_update_product_stock( $p, 4 );
		wc_update_product_stock( $p, 3 );
		$p->set_regular_price( '12' );
		$p->save();
		$this->assertSame( array( $sku => ChangeMask::FULL ), Plugin::instance()->buffer->pending() );
		$this->flush();
		$row = $this->row( $sku );
		$this->assertSame( 1, (int) $row->version, 'one request = one version bump' );
		$this->assertSame( ChangeMask::FULL, (int) $row->change_mask );

		wc_update_product_stock( $p, 2 );
		$this->flush();
		$row = $this->row( $sku );
		$this->assertSame( 2, (int) $row->version );
		$this->assertSame( ChangeMask::FULL, (int) $row->change_mask, 'masks are OR-ed until synced' );
	}

	public function test_long_processes_flush_per_batch(): void {
		$buffer = new \KeyCrmSync\Capture\ChangeBuffer( new \KeyCrmSync\Outbox\OutboxWriter( new \KeyCrmSync\Sku\SkuOwners() ), 3 );
		$ids    = array();
		foreach ( array( 'a', 'b', 'c', 'd' ) as $x ) {
			$p       = $this->simple( self::sku( "BATCH$x" ) );
			$ids[]   = $p;
			$buffer->mark( $p->get_sku(), $p->get_id(), ChangeMask::STOCK );
		}
		$this->assertSame( 1, count( $buffer->pending() ), 'the first three were written as one batch' );
		$this->assertNotNull( $this->row( $ids[2]->get_sku() ) );
		$buffer->flush();
	}

	public function test_oldest_pending_age_counts_from_the_first_unsynced_change(): void {
		global $wpdb;
		$sku = self::sku();
		$p   = $this->simple( $sku );
		$this->flush();
		$wpdb->query( $wpdb->prepare( 'UPDATE ' . OutboxTable::name() . " SET dirty_since = '2026-01-01 00:00:00' WHERE sku = %s", $sku ) );
		wc_update_product_stock( $p, 1 );
		$this->flush();
		$this->assertSame( '2026-01-01 00:00:00', $this->row( $sku )->dirty_since, 'a newer change keeps the first dirty time' );
		$this->assertSame( '2026-01-01T00:00:00Z', Plugin::instance()->reader->counts()['oldest_pending_at'] );
		$this->sync_all();
		$this->assertNull( $this->row( $sku )->dirty_since );
	}

	public function test_claim_reads_current_values_and_leases_rows(): void {
		$sku = self::sku();
		$p   = $this->simple( $sku, 5, '9.5' );
		$this->flush();
		// A later change that is not flushed yet: the claim must still read the current value.
		wc_update_product_stock( $p, 2 );
		$items = $this->claim_items();
		$this->assertSame( array( $sku ), array_keys( $items ) );
		$this->assertSame( 2.0, $items[ $sku ]['stock_quantity'] );
		$this->assertSame( 9.5, $items[ $sku ]['price'] );
		$this->assertFalse( $items[ $sku ]['retired'] );
		$this->assertSame( array(), $this->claim_items(), 'leased rows are not claimed twice' );
		Plugin::instance()->buffer->flush();
	}

	public function test_expired_lease_is_claimed_again_and_old_token_is_stale(): void {
		global $wpdb;
		$sku = self::sku();
		$this->simple( $sku );
		$this->flush();
		$first = $this->queue()->claim( 10, 60 );
		$this->assertCount( 1, $first['rows'] );
		$wpdb->query( 'UPDATE ' . OutboxTable::name() . " SET lease_expires_at = '2000-01-01 00:00:00'" );
		$second = $this->queue()->claim( 10, 60 );
		$this->assertCount( 1, $second['rows'], 'a crashed sender loses nothing' );
		$this->assertNotSame( $first['token'], $second['token'] );
		$this->assertSame( '0', (string) $first['rows'][0]->reclaimed );
		$this->assertSame( '1', (string) $second['rows'][0]->reclaimed, 'an unacknowledged lease is reported as reclaimed' );

		$stale = $this->queue()->ack( (string) $first['token'], array( array( 'sku' => $sku, 'version' => 1, 'outcome' => 'synced' ) ), 5 );
		$this->assertSame( array( 'acknowledged' => 0, 'stale' => 1 ), $stale );
		$this->assertSame( $second['token'], $this->row( $sku )->lease_token, 'the lost lease cannot ack' );
		$ok = $this->queue()->ack( (string) $second['token'], array( array( 'sku' => $sku, 'version' => 1, 'outcome' => 'synced', 'keycrm_offer_id' => 77, 'pushed_stock' => 10 ) ), 5 );
		$this->assertSame( array( 'acknowledged' => 1, 'stale' => 0 ), $ok );
		$row = $this->row( $sku );
		$this->assertSame( 'synced', $row->state );
		$this->assertSame( 0, (int) $row->change_mask );
		$this->assertSame( 77, (int) $row->keycrm_offer_id );
		$this->assertEquals( 10, (float) $row->pushed_stock );
		$this->assertNull( $row->lease_token );
	}

	public function test_an_ids_only_result_records_a_parent_id_without_touching_its_lease(): void {
		$parent_sku                  = self::sku( 'IDP' );
		list( $parent, $variations ) = $this->variable( $parent_sku, array( self::sku( 'IDV' ) => 3 ) );
		$this->flush();
		$claim = $this->queue()->claim( 10000, 60 );
		$this->assertNotEmpty( $claim['rows'] );
		// The sender created the product in keyCRM and records its id before adding variations.
		$counts = $this->queue()->ack( 'ids-only', array( array( 'sku' => $parent_sku, 'version' => 0, 'outcome' => 'retry', 'code' => 'ids_only', 'keycrm_product_id' => 515 ) ), 5 );
		$this->assertSame( 0, $counts['acknowledged'] );
		$row = $this->row( $parent_sku );
		$this->assertSame( 515, (int) $row->keycrm_product_id );
		$this->assertSame( (string) $claim['token'], (string) $row->lease_token, 'the lease is untouched' );
		$this->assertSame( 0, (int) $row->attempts );
		$this->assertSame( 'pending', $row->state );

		// A later claim of a sibling finds the product id.
		$v = reset( $variations );
		global $wpdb;
		$wpdb->query( $wpdb->prepare( 'UPDATE ' . OutboxTable::name() . ' SET lease_token = NULL, lease_expires_at = NULL WHERE sku = %s', $v->get_sku() ) ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared -- table from prefix.
		$items = $this->claim_items();
		$this->assertSame( 515, $items[ $v->get_sku() ]['parent_keycrm_product_id'] );
		$this->assertSame( (int) $parent->get_id(), $items[ $v->get_sku() ]['parent_id'] );
	}

	public function test_ack_of_an_older_version_keeps_the_row_dirty(): void {
		$sku   = self::sku();
		$p     = $this->simple( $sku, 5 );
		$this->flush();
		$claim = $this->queue()->claim( 10, 60 );
		wc_update_product_stock( $p, 1 ); // Changed while the sender is busy.
		$this->flush();
		$counts = $this->queue()->ack( (string) $claim['token'], array( array( 'sku' => $sku, 'version' => 1, 'outcome' => 'synced' ) ), 5 );
		$this->assertSame( array( 'acknowledged' => 0, 'stale' => 1 ), $counts );
		$row = $this->row( $sku );
		$this->assertSame( 1, (int) $row->synced_version );
		$this->assertSame( 2, (int) $row->version );
		$this->assertSame( 'pending', $row->state );
		$items = $this->claim_items();
		$this->assertSame( 1.0, $items[ $sku ]['stock_quantity'] );
		$this->assertSame( 2, $items[ $sku ]['version'] );
	}

	public function test_failures_back_off_then_die_and_retry_revives(): void {
		global $wpdb;
		$sku = self::sku();
		$this->simple( $sku );
		$this->flush();
		$claim = $this->queue()->claim( 10, 60 );
		$t0    = time();
		$this->queue()->ack( (string) $claim['token'], array( array( 'sku' => $sku, 'version' => 1, 'outcome' => 'failed', 'error' => 'price must be positive', 'code' => '422' ) ), 2 );
		$row = $this->row( $sku );
		$this->assertSame( 'failed', $row->state );
		$this->assertSame( 1, (int) $row->attempts );
		$delay = strtotime( $row->next_attempt_at . ' UTC' ) - $t0;
		$this->assertGreaterThanOrEqual( 14, $delay );
		$this->assertLessThanOrEqual( 31, $delay );
		$this->assertSame( 'price must be positive', $row->last_error );
		$this->assertSame( array(), $this->queue()->claim( 10, 60 )['rows'], 'not due during backoff' );

		$wpdb->query( 'UPDATE ' . OutboxTable::name() . ' SET next_attempt_at = NULL' );
		$claim = $this->queue()->claim( 10, 60 );
		$this->assertCount( 1, $claim['rows'] );
		$this->queue()->ack( (string) $claim['token'], array( array( 'sku' => $sku, 'version' => 1, 'outcome' => 'failed', 'error' => 'again' ) ), 2 );
		$this->assertSame( 'dead', $this->row( $sku )->state, 'dead after max_attempts' );
		$wpdb->query( 'UPDATE ' . OutboxTable::name() . ' SET next_attempt_at = NULL' );
		$this->assertSame( array(), $this->queue()->claim( 10, 60 )['rows'], 'dead rows are not claimed' );

		$this->assertSame( 1, Plugin::instance()->reader->retry( array( $sku ) ) );
		$row = $this->row( $sku );
		$this->assertSame( 'pending', $row->state );
		$this->assertSame( 0, (int) $row->attempts );
		$this->assertCount( 1, $this->queue()->claim( 10, 60 )['rows'] );
	}

	public function test_a_failure_of_an_older_version_costs_the_newer_one_nothing(): void {
		global $wpdb;
		$sku = self::sku();
		$p   = $this->simple( $sku );
		$this->flush();
		$wpdb->query( $wpdb->prepare( 'UPDATE ' . OutboxTable::name() . ' SET attempts = 1 WHERE sku = %s', $sku ) );
		$claim = $this->queue()->claim( 10, 60 );
		wc_update_product_stock( $p, 4 ); // The fix, saved during the last attempt.
		$this->flush();
		foreach ( array( 'failed', 'retry' ) as $outcome ) {
			$counts = $this->queue()->ack( (string) $claim['token'], array( array( 'sku' => $sku, 'version' => 1, 'outcome' => $outcome, 'error' => 'rejected', 'code' => '422' ) ), 2 );
			$this->assertSame( 1, $counts['acknowledged'] );
			$row = $this->row( $sku );
			$this->assertSame( 'pending', $row->state, "$outcome: not dead: version 2 was never tried" );
			$this->assertSame( 1, (int) $row->attempts, "$outcome: no attempt counted" );
			$this->assertNull( $row->next_attempt_at, "$outcome: no backoff" );
			$this->assertSame( 'rejected', $row->last_error );
			$claim = $this->queue()->claim( 10, 60 );
			$this->assertCount( 1, $claim['rows'], "$outcome: claimed again at once" );
			$this->assertSame( 2, (int) $claim['rows'][0]->version );
		}
		// The failure of the version that was sent still counts.
		$this->queue()->ack( (string) $claim['token'], array( array( 'sku' => $sku, 'version' => 2, 'outcome' => 'failed', 'error' => 'still' ) ), 2 );
		$this->assertSame( 'dead', $this->row( $sku )->state );
	}

	public function test_a_new_edit_of_a_failed_row_clears_its_backoff(): void {
		$sku = self::sku();
		$p   = $this->simple( $sku );
		$this->flush();
		$claim = $this->queue()->claim( 10, 60 );
		$this->queue()->ack( (string) $claim['token'], array( array( 'sku' => $sku, 'version' => 1, 'outcome' => 'failed', 'error' => 'bad price' ) ), 8 );
		$this->assertNotNull( $this->row( $sku )->next_attempt_at );
		$this->assertSame( array(), $this->queue()->claim( 10, 60 )['rows'], 'backing off' );
		wc_update_product_stock( $p, 2 ); // The shop manager fixes it.
		$this->flush();
		$row = $this->row( $sku );
		$this->assertNull( $row->next_attempt_at );
		$this->assertSame( 'failed', $row->state );
		$this->assertSame( 1, (int) $row->attempts, 'attempts are kept' );
		$this->assertCount( 1, $this->queue()->claim( 10, 60 )['rows'], 'tried at once' );
	}

	public function test_transient_retry_backs_off_without_dying(): void {
		$sku = self::sku();
		$this->simple( $sku );
		$this->flush();
		$claim = $this->queue()->claim( 10, 60 );
		$this->queue()->ack( (string) $claim['token'], array( array( 'sku' => $sku, 'version' => 1, 'outcome' => 'retry', 'error' => '503' ) ), 1 );
		$row = $this->row( $sku );
		$this->assertSame( 'pending', $row->state );
		$this->assertSame( 1, (int) $row->attempts );
		$this->assertNotNull( $row->next_attempt_at );
	}

	public function test_work_released_by_a_stopping_sender_costs_no_attempt(): void {
		$sku = self::sku();
		$this->simple( $sku );
		$this->flush();
		$claim = $this->queue()->claim( 10, 60 );
		$this->queue()->ack( (string) $claim['token'], array( array( 'sku' => $sku, 'version' => 1, 'outcome' => 'retry', 'code' => 'released' ) ), 1 );
		$row = $this->row( $sku );
		$this->assertSame( 'pending', $row->state );
		$this->assertSame( 0, (int) $row->attempts );
		$this->assertNull( $row->next_attempt_at );
		$this->assertNull( $row->lease_token );
		$this->assertCount( 1, $this->queue()->claim( 10, 60 )['rows'] );
	}

	public function test_a_new_change_revives_a_dead_row(): void {
		global $wpdb;
		$sku = self::sku();
		$p   = $this->simple( $sku );
		$this->flush();
		$wpdb->query( $wpdb->prepare( 'UPDATE ' . OutboxTable::name() . " SET state = 'dead', attempts = 8 WHERE sku = %s", $sku ) );
		wc_update_product_stock( $p, 3 );
		$this->flush();
		$row = $this->row( $sku );
		$this->assertSame( 'pending', $row->state );
		$this->assertSame( 0, (int) $row->attempts );
	}

	public function test_two_processes_racing_never_claim_the_same_row(): void {
		global $wpdb;
		$table = OutboxTable::name();
		$now   = gmdate( 'Y-m-d H:i:s' );
		$skus  = array();
		for ( $i = 0; $i < 400; $i++ ) {
			$skus[] = $wpdb->prepare( '(%s, 1, 0, 1, %s, %s)', "RACE-$i", $now, $now );
		}
		$wpdb->query( "INSERT INTO {$table} (sku, version, synced_version, change_mask, created_at, updated_at) VALUES " . implode( ',', $skus ) );
		for ( $round = 0; $round < 3; $round++ ) {
			$wpdb->query( "UPDATE {$table} SET lease_token = NULL, lease_expires_at = NULL" );
			$start = microtime( true ) + 1.0;
			$procs = array();
			foreach ( array( 1, 2 ) as $n ) {
				$cmd           = escapeshellarg( PHP_BINARY ) . ' ' . escapeshellarg( dirname( __DIR__ ) . '/bin/claim.php' ) . " $start 300";
				$procs[ $n ]   = proc_open( $cmd, array( 1 => array( 'pipe', 'w' ), 2 => array( 'pipe', 'w' ) ), $pipes[ $n ] );
			}
			$claimed = array();
			foreach ( $procs as $n => $proc ) {
				$out = stream_get_contents( $pipes[ $n ][1] );
				$err = stream_get_contents( $pipes[ $n ][2] );
				proc_close( $proc );
				$list = json_decode( (string) $out, true );
				$this->assertIsArray( $list, "claimer $n failed: $err" );
				$claimed[ $n ] = $list;
			}
			$this->assertSame( array(), array_values( array_intersect( $claimed[1], $claimed[2] ) ), 'no row is leased to both' );
			$this->assertSame( 400, count( $claimed[1] ) + count( $claimed[2] ), 'together they claimed everything due' );
			$this->assertSame( 0, (int) $wpdb->get_var( "SELECT COUNT(*) FROM {$table} WHERE lease_token IS NULL" ) );
		}
	}
}
