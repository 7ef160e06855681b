<?php
/**
 * The real-shop check of a large keyCRM webhook: 3,000 items, then a newer 1-item webhook for one
 * of its SKUs, on a host whose max_execution_time is 30 s, applied by WP-Cron over real HTTP.
 * The test site runs WP-Cron as recommended for shops (DISABLE_WP_CRON and a system cron job
 * calling wp-cron.php); this test is that cron job. max_execution_time counts CPU time on Linux,
 * so the check is that no run was killed by it (a killed run would leave its chunk unapplied and
 * count an attempt; five in a row fail the batch).
 *
 * @package KeyCrmSync\Tests
 */

namespace KeyCrmSync\Tests\StockSource;

use KeyCrmSync\StockSource\StockSourceSchema;

require_once __DIR__ . '/StockSourceTestCase.php';

/**
 * @group http
 * @group slow
 */
final class BigStockBatchTest extends StockSourceTestCase {

	private const SECRET = 'test-secret-xxxxxxxxxxxxxxxxxxxx';

	private const ITEMS = 3000;

	/** Longest wait for WP-Cron to finish the batch (seconds; ~35 ms per item on a loaded host). */
	private const WAIT = 900;

	/** A must-use plugin: every request of the site gets a 30 s max_execution_time, as on a shared host. */
	private static function mu_plugin(): string {
		return getenv( 'KCS_TEST_DOCROOT' ) . '/wp-content/mu-plugins/kcs-test-time-limit.php';
	}

	protected function setUp(): void {
		parent::setUp();
		wp_mkdir_p( dirname( self::mu_plugin() ) );
		// Every request, not only wp-cron.php: Action Scheduler also runs the apply actions in its
		// asynchronous requests (admin-ajax.php), which a shared host limits the same way.
		file_put_contents( self::mu_plugin(), "<?php\nset_time_limit( 30 );\n" );
	}

	protected function tearDown(): void {
		wp_delete_file( self::mu_plugin() );
		parent::tearDown();
	}

	public function test_3000_items_then_a_newer_item_for_one_of_them_ends_with_the_newer_value_all_applied(): void {
		global $wpdb;
		$prefix = self::sku( 'BIG' );
		$items  = array();
		$ids    = array();
		wp_defer_term_counting( true );
		for ( $i = 0; $i < self::ITEMS; $i++ ) {
			$sku     = $prefix . '-' . $i;
			$ids[]   = $this->simple( $sku, 0 )->get_id();
			$items[] = array(
				'offer_id'   => $i + 1,
				'sku'        => $sku,
				'in_stock'   => 1 + $i % 50,
				'in_reserve' => 0,
			);
		}
		wp_defer_term_counting( false );
		$this->flush();
		$this->sync_all();
		$newer_sku = $prefix . '-1500';

		$log_before  = self::server_log_size();
		$done_before = self::completed_applies();
		$start       = microtime( true );
		$big        = $this->webhook( $items, self::SECRET );
		$this->assertSame( 202, $big['status'], $big['body'] );
		$newer = $this->webhook(
			array(
				array(
					'offer_id'   => 1501,
					'sku'        => $newer_sku,
					'in_stock'   => 777,
					'in_reserve' => 0,
				),
			),
			self::SECRET
		);
		$this->assertSame( 200, $newer['status'], $newer['body'] );

		// The system cron job: wp-cron.php once a run has ended (a real one calls it every minute).
		$table  = StockSourceSchema::inbox_table();
		$big_id = (int) $wpdb->get_var( "SELECT MIN(id) FROM {$table}" ); // phpcs:ignore -- the answer names no inbox row; the big batch is the first.
		$row    = null;
		$runs  = array();
		while ( microtime( true ) - $start < self::WAIT ) {
			// Action Scheduler's WP-Cron event is due (a real cron job finds it due every minute; here
			// at once after the previous run ended), and no earlier cron request holds the lock.
			wp_clear_scheduled_hook( 'action_scheduler_run_queue', array( 'WP Cron' ) );
			wp_schedule_event( time() - 1, 'every_minute', 'action_scheduler_run_queue', array( 'WP Cron' ) );
			delete_transient( 'doing_cron' );
			$t0       = microtime( true );
			$response = wp_remote_get( getenv( 'KCS_TEST_URL' ) . '/wp-cron.php', array( 'timeout' => 60 ) );
			$runs[]   = microtime( true ) - $t0;
			$this->assertSame( 200, wp_remote_retrieve_response_code( $response ), is_wp_error( $response ) ? $response->get_error_message() : '' );
			$row = $wpdb->get_row( $wpdb->prepare( "SELECT status, applied_items, attempts, summary FROM {$table} WHERE id = %d", $big_id ), ARRAY_A ); // phpcs:ignore
			if ( 'pending' !== $row['status'] ) {
				break;
			}
		}
		$busy = array_values( array_filter( $runs, static fn( $t ) => $t >= 1 ) );
		// Several actions, each within its time budget: counted in Action Scheduler, not by the cron
		// requests of this test, since a queue runner the site still runs for an earlier request
		// may take some of them.
		$this->assertGreaterThan( 1, self::completed_applies() - $done_before, 'the batch took several actions' );
		$elapsed = microtime( true ) - $start;
		$this->assertSame( 'applied', $row['status'] ?? null, 'after ' . round( $elapsed ) . ' s: ' . wp_json_encode( $row ) );
		$summary = json_decode( (string) $row['summary'], true );
		$this->assertSame( self::ITEMS - 1, $summary['applied'] + $summary['unchanged'], wp_json_encode( $summary ) );
		$this->assertSame( 1, $summary['superseded'] );

		wp_cache_flush();
		$wrong = array();
		foreach ( $items as $i => $item ) {
			$want = $item['sku'] === $newer_sku ? 777 : (int) $item['in_stock'];
			$got  = (int) get_post_meta( $ids[ $i ], '_stock', true );
			if ( $want !== $got ) {
				$wrong[ $item['sku'] ] = $got;
			}
		}
		$this->assertSame( array(), array_slice( $wrong, 0, 10, true ), count( $wrong ) . ' SKUs hold another value' );
		// A fatal error lands in WordPress's debug.log (WP_DEBUG_LOG) or the server's PHP error log;
		// either exists only once something was written to it.
		$log = (string) file_get_contents( getenv( 'KCS_TEST_TMP' ) . '/logs/php-server.log', false, null, $log_before );
		foreach ( array( 'debug.log', 'php-errors.log' ) as $file ) {
			$path = getenv( 'KCS_TEST_TMP' ) . '/logs/' . $file;
			$log .= is_file( $path ) ? (string) file_get_contents( $path ) : '';
		}
		$this->assertStringNotContainsString( 'Maximum execution time', $log, 'no run was killed by max_execution_time' );
		fwrite( STDERR, sprintf( "\n3,000-item webhook applied by %d actions, %d WP-Cron requests of this test did work (longest %.1f s wall clock, max_execution_time=30), %.0f s in all\n", self::completed_applies() - $done_before, count( $busy ), max( $runs ), $elapsed ) );
	}

	/**
	 * Completed inbox apply actions of the plugin's group.
	 */
	private static function completed_applies(): int {
		return count(
			as_get_scheduled_actions(
				array(
					'hook'     => \KeyCrmSync\StockSource\StockReceiver::ACTION_HOOK,
					'group'    => \KeyCrmSync\StockSource\StockReceiver::GROUP,
					'status'   => \ActionScheduler_Store::STATUS_COMPLETE,
					'per_page' => -1,
				),
				'ids'
			)
		);
	}

	/**
	 * Bytes in the test server's PHP log so far.
	 */
	private static function server_log_size(): int {
		clearstatcache();
		$size = @filesize( getenv( 'KCS_TEST_TMP' ) . '/logs/php-server.log' ); // phpcs:ignore WordPress.PHP.NoSilencedErrors.Discouraged
		return false === $size ? 0 : (int) $size;
	}
}
