<?php
/**
 * Store-then-apply: a failure while applying loses nothing.
 *
 * @package KeyCrmSync\Tests
 */

namespace KeyCrmSync\Tests\StockSource;

use KeyCrmSync\Sku\SkuOwners;
use KeyCrmSync\StockSource\EchoGuard;
use KeyCrmSync\StockSource\RemoteStockRegistry;
use KeyCrmSync\StockSource\StockApplier;
use KeyCrmSync\StockSource\StockInbox;
use KeyCrmSync\StockSource\StockReceiver;
use KeyCrmSync\StockSource\StockUpdate;

require_once __DIR__ . '/StockSourceTestCase.php';

final class StockReceiverTest extends StockSourceTestCase {

	protected function setUp(): void {
		global $wpdb;
		parent::setUp();
		as_unschedule_all_actions( StockReceiver::ACTION_HOOK, array(), StockReceiver::GROUP );
		// Pending actions of other groups left by earlier tests (WooCommerce's, thousands after
		// the big-batch test) would fill the queue runner's batches and its time limit before it
		// reached the plugin's: set aside, as if a runner had done them.
		$wpdb->query( // phpcs:ignore WordPress.DB.DirectDatabaseQuery
			$wpdb->prepare(
				"UPDATE {$wpdb->prefix}actionscheduler_actions a LEFT JOIN {$wpdb->prefix}actionscheduler_groups g ON g.group_id = a.group_id
				SET a.status = 'canceled' WHERE a.status = 'pending' AND COALESCE(g.slug, '') <> %s",
				StockReceiver::GROUP
			)
		);
	}

	/**
	 * Pending inbox apply actions of the plugin's group: their times (0: due now).
	 *
	 * @return list<int>
	 */
	private static function pending_applies(): array {
		$out = array();
		foreach ( as_get_scheduled_actions(
			array(
				'hook'     => StockReceiver::ACTION_HOOK,
				'group'    => StockReceiver::GROUP,
				'status'   => \ActionScheduler_Store::STATUS_PENDING,
				'per_page' => 10,
			),
			'ids'
		) as $id ) {
			$date  = \ActionScheduler::store()->fetch_action( $id )->get_schedule()->get_date();
			$out[] = null === $date || $date->getTimestamp() <= time() ? 0 : $date->getTimestamp();
		}
		return $out;
	}

	public function test_a_queued_batch_is_applied_by_one_action_of_the_plugins_group(): void {
		$sku = self::sku( 'Q' );
		$this->simple( $sku, 1 );
		$receiver = $this->receiver( new EchoGuard() );
		$receiver->receive_later( 'webhook', array( new StockUpdate( $sku, null, 8, 0 ) ) );
		$receiver->receive_later( 'webhook', array( new StockUpdate( $sku, null, 9, 0 ) ) );
		$this->assertSame( array( 0 ), self::pending_applies(), 'one action, due at once, for both batches' );
		$this->assertFalse( wp_next_scheduled( StockReceiver::CRON_HOOK ), 'no WP-Cron event' );
		$this->assertSame( \KeyCrmSync\Runner\RunnerSchedule::GROUP, StockReceiver::GROUP );

		// Action Scheduler's queue runner, as WP-Cron or `wp action-scheduler run` starts it.
		$processed = $this->run_action_queue();
		$this->assertSame( 9, $this->stock( $sku ), wp_json_encode( array( $processed, $this->inbox(), self::pending_applies(), as_get_scheduled_actions( array( 'hook' => StockReceiver::ACTION_HOOK ), ARRAY_A ) ) ) );
		$this->assertSame( array(), self::pending_applies() );
		$done = as_get_scheduled_actions(
			array(
				'hook'   => StockReceiver::ACTION_HOOK,
				'group'  => StockReceiver::GROUP,
				'status' => \ActionScheduler_Store::STATUS_COMPLETE,
			),
			'ids'
		);
		$this->assertNotEmpty( $done, 'the action is listed as complete under Scheduled Actions' );
	}

	public function test_the_wp_cron_event_of_earlier_versions_is_replaced_by_an_action(): void {
		$inbox = new StockInbox();
		$inbox->store( 'webhook', array( new StockUpdate( self::sku( 'U' ), null, 1, 0 ) ) );
		wp_schedule_single_event( time() + 60, StockReceiver::CRON_HOOK );
		$this->receiver( new EchoGuard() )->retire_cron_event();
		$this->assertFalse( wp_next_scheduled( StockReceiver::CRON_HOOK ) );
		$this->assertSame( array( 0 ), self::pending_applies(), 'the waiting batch gets an action' );
		$this->assertSame( 20, has_action( 'init', array( \KeyCrmSync\Plugin::instance()->stock_source->receiver(), 'retire_cron_event' ) ), 'done on every load (after an upgrade)' );
	}

	private function receiver( EchoGuard $echo ): StockReceiver {
		return new StockReceiver( new StockInbox(), new StockApplier( new SkuOwners(), new RemoteStockRegistry(), $echo ), $this->settings() );
	}

	public function test_a_batch_that_fails_to_apply_stays_stored_and_is_applied_by_the_retry(): void {
		$sku      = self::sku( 'F' );
		$this->simple( $sku, 2 );
		$this->sync_all();
		$echo     = new EchoGuard();
		$receiver = $this->receiver( $echo );
		$fail     = static function (): void {
			throw new \RuntimeException( 'database went away' );
		};
		add_action( 'woocommerce_product_before_set_stock', $fail );
		try {
			$done = $receiver->receive_and_apply( 'webhook', array( new StockUpdate( $sku, 5, 6, 1 ) ) );
		} finally {
			remove_action( 'woocommerce_product_before_set_stock', $fail );
		}
		$this->assertTrue( $done['queued'] );
		$inbox = $this->inbox();
		$this->assertSame( 'pending', $inbox[0]['status'] );
		$this->assertSame( '1', $inbox[0]['attempts'] );
		$this->assertStringContainsString( 'database went away', $inbox[0]['last_error'] );
		$this->assertSame( 2, $this->stock( $sku ) );
		$this->assertCount( 1, self::pending_applies(), 'a retry is scheduled' );

		$receiver->apply_pending();
		$this->assertSame( 5, $this->stock( $sku ) );
		$this->assertSame( 'applied', $this->inbox()[0]['status'] );

		// Same request order as production: capture flush, then the echo guard.
		$this->flush();
		$echo->flush();
		$this->assertSame( array(), $this->dirty_skus(), 'the applied value is not pushed back' );
		as_unschedule_all_actions( StockReceiver::ACTION_HOOK, array(), StockReceiver::GROUP );
	}

	public function test_a_row_is_failed_after_max_attempts(): void {
		$inbox = new StockInbox();
		$id    = $inbox->store( 'pull', array( new StockUpdate( 'X', null, 1, 0 ) ) );
		for ( $i = 0; $i < StockInbox::MAX_ATTEMPTS; $i++ ) {
			$this->assertTrue( $inbox->begin_attempt( $id ) );
			$inbox->mark_attempt_failed( $id, 'boom' );
		}
		$this->assertSame( 'failed', $this->inbox()[0]['status'] );
		$this->assertSame( array(), $inbox->pending( 10 ) );
	}

	public function test_attempts_are_counted_before_the_work_so_runs_killed_by_a_timeout_end(): void {
		$sku   = self::sku( 'K' );
		$this->simple( $sku, 1 );
		$inbox = new StockInbox();
		$id    = $inbox->store( 'webhook', array( new StockUpdate( $sku, null, 4, 0 ) ) );
		// Runs that PHP killed (max_execution_time is no Throwable): counted, then nothing.
		for ( $i = 0; $i < StockInbox::MAX_ATTEMPTS; $i++ ) {
			$this->assertTrue( $inbox->begin_attempt( $id ) );
		}
		$this->assertSame( (string) StockInbox::MAX_ATTEMPTS, $this->inbox()[0]['attempts'] );
		$this->receiver( new EchoGuard() )->apply_pending();
		$row = $this->inbox()[0];
		$this->assertSame( 'failed', $row['status'], 'the next run gives it up instead of starting it again' );
		$this->assertStringContainsString( 'too many times', (string) $row['last_error'] );
		$this->assertSame( 1, $this->stock( $sku ) );
		as_unschedule_all_actions( StockReceiver::ACTION_HOOK, array(), StockReceiver::GROUP );
	}

	public function test_a_large_batch_is_applied_in_chunks_and_resumes_where_it_stopped(): void {
		$first = self::sku( 'C' );
		$mid   = self::sku( 'C' );
		$last  = self::sku( 'C' );
		foreach ( array( $first, $mid, $last ) as $sku ) {
			$this->simple( $sku, 0 );
		}
		$updates = array( new StockUpdate( $first, null, 1, 0 ) );
		for ( $i = 1; $i < 119; $i++ ) {
			$updates[] = 60 === $i ? new StockUpdate( $mid, null, 2, 0 ) : new StockUpdate( 'NONE-' . $i . '-' . $first, null, 1, 0 );
		}
		$updates[] = new StockUpdate( $last, null, 3, 0 );
		$inbox     = new StockInbox();
		$id        = $inbox->store( 'webhook', $updates );
		// A budget that is over after the first chunk: one chunk per run.
		$receiver = new StockReceiver( $inbox, new StockApplier( new SkuOwners(), new RemoteStockRegistry(), new EchoGuard() ), $this->settings(), 0.0 );

		$receiver->apply_pending();
		$row = $this->inbox()[0];
		$this->assertSame( 'pending', $row['status'] );
		$this->assertSame( (string) StockReceiver::CHUNK, $row['applied_items'] );
		$this->assertSame( '0', $row['attempts'], 'progress restarts the attempts' );
		$this->assertSame( array( 1, 0, 0 ), array( $this->stock( $first ), $this->stock( $mid ), $this->stock( $last ) ) );
		$this->assertSame( array( 0 ), self::pending_applies(), 'the next run is due at once' );
		$status = $inbox->oldest_pending( time() );
		$this->assertSame( array( $id, 120, StockReceiver::CHUNK, false ), array( $status['id'], $status['items'], $status['applied_items'], $status['stuck'] ) );

		$runs = 1;
		while ( 'pending' === $this->inbox()[0]['status'] && $runs < 20 ) {
			$receiver->apply_pending();
			++$runs;
			if ( (int) $this->inbox()[0]['applied_items'] < 60 ) {
				$this->assertSame( 0, $this->stock( $mid ), 'not yet reached' );
			}
		}
		$this->assertSame( (int) ceil( 120 / StockReceiver::CHUNK ), $runs, 'one chunk per run, none twice' );
		$this->assertSame( 'applied', $this->inbox()[0]['status'] );
		$this->assertSame( array( 1, 2, 3 ), array( $this->stock( $first ), $this->stock( $mid ), $this->stock( $last ) ) );
		$this->assertSame( 117, json_decode( $this->inbox()[0]['summary'], true )['unknown'] );
		$this->assertNull( $inbox->oldest_pending( time() ) );
		$this->assertTrue( $inbox->oldest_pending( time() + StockInbox::STUCK_AFTER + 1 ) === null );
		as_unschedule_all_actions( StockReceiver::ACTION_HOOK, array(), StockReceiver::GROUP );
	}

	public function test_an_older_batch_applied_later_never_overwrites_a_newer_value(): void {
		$a = self::sku( 'O' );
		$b = self::sku( 'O' );
		$this->simple( $a, 0 );
		$this->simple( $b, 0 );
		$echo     = new EchoGuard();
		$receiver = $this->receiver( $echo );
		// A large webhook is queued; a newer small one for one of its SKUs is applied at once.
		$receiver->receive_later( 'webhook', array( new StockUpdate( $a, null, 10, 0 ), new StockUpdate( $b, null, 20, 0 ) ) );
		$newer = $receiver->receive_and_apply( 'webhook', array( new StockUpdate( $a, null, 3, 0 ) ) );
		$this->assertSame( 'applied', $newer['results'][0]['outcome'] );
		$this->assertSame( 3, $this->stock( $a ) );

		$receiver->apply_pending();
		$this->assertSame( 3, $this->stock( $a ), 'the newer value stays' );
		$this->assertSame( 20, $this->stock( $b ), 'the rest of the older batch is applied' );
		$older = $this->inbox()[0];
		$this->assertSame( 'applied', $older['status'] );
		$this->assertSame( 1, json_decode( $older['summary'], true )['superseded'] );

		// A later batch still wins over both.
		$receiver->receive_and_apply( 'pull', array( new StockUpdate( $a, null, 7, 0 ) ) );
		$this->assertSame( 7, $this->stock( $a ) );
		as_unschedule_all_actions( StockReceiver::ACTION_HOOK, array(), StockReceiver::GROUP );
	}

	public function test_a_stuck_batch_shows_on_the_status_route(): void {
		global $wpdb;
		$inbox = new StockInbox();
		$id    = $inbox->store( 'webhook', array( new StockUpdate( 'S-' . self::sku(), null, 1, 0 ) ) );
		$inbox->begin_attempt( $id );
		$inbox->mark_attempt_failed( $id, 'Lock wait timeout exceeded' );
		$wpdb->query( $wpdb->prepare( 'UPDATE ' . \KeyCrmSync\StockSource\StockSourceSchema::inbox_table() . ' SET received_at = %s WHERE id = %d', gmdate( 'Y-m-d H:i:s', time() - 3600 ), $id ) ); // phpcs:ignore
		$r = $this->http( 'GET', '/stock-source/status' );
		$this->assertSame( 200, $r['status'], $r['body'] );
		$oldest = $r['json']['inbox']['oldest_pending'];
		$this->assertSame( $id, $oldest['id'] );
		$this->assertTrue( $oldest['stuck'] );
		$this->assertSame( 1, $oldest['attempts'] );
		$this->assertSame( 'Lock wait timeout exceeded', $oldest['last_error'] );
		self::fixture( 'status-stuck', $r['body'] );
	}

	public function test_variation_stock_is_applied_and_parent_managed_or_unmanaged_stock_is_listed(): void {
		$v1 = self::sku( 'V' );
		$v2 = self::sku( 'V' );
		list( , $variations ) = $this->variable( self::sku( 'P' ), array( $v1 => 1, $v2 => 1 ) );
		$variations[ $v2 ]->set_manage_stock( false );
		$variations[ $v2 ]->save();
		$results = $this->receiver( new EchoGuard() )->receive_and_apply(
			'pull',
			array( new StockUpdate( $v1, null, 4, 0 ), new StockUpdate( $v2, null, 4, 0 ) )
		)['results'];
		$this->assertSame( array( 'applied', 'unmanaged' ), array_column( $results, 'outcome' ) );
		$this->assertSame( 4, $this->stock( $v1 ) );
		$this->assertSame( array( $v2 ), $this->remote( 'unmanaged' ) );
		$this->flush();
	}
}
