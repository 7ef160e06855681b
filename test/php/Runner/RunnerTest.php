<?php
/**
 * The runner inside WordPress against the keyCRM emulator as a real HTTP server.
 *
 * @package KeyCrmSync\Tests
 */

namespace KeyCrmSync\Tests\Runner;

use KeyCrmSync\Cli\RunnerCommand;
use KeyCrmSync\KeyCrm\RateBudget;
use KeyCrmSync\Outbox\ParentProduct;
use KeyCrmSync\Plugin;
use KeyCrmSync\Runner\Desired;
use KeyCrmSync\Runner\Runner;
use KeyCrmSync\Runner\RunnerSchedule;
use KeyCrmSync\Settings\Settings;
use KeyCrmSync\Tests\Cli\RecordingOutput;
use KeyCrmSync\Tests\TestCase;

require_once dirname( __DIR__ ) . '/Cli/SyncCommandTest.php';
require_once __DIR__ . '/EmulatorServer.php';

/**
 * Products made in WooCommerce reach the emulator through Action Scheduler actions, in the floor
 * number of requests; a 429 ends the action and schedules the next one; an unknown create outcome
 * makes no duplicate.
 */
final class RunnerTest extends TestCase {

	use EmulatorServer;

	private const API_KEY = 'runner-test-key';

	protected function setUp(): void {
		// Options other processes changed (the uninstall test, WP-CLI) must not be read from this
		// process's cache.
		wp_cache_flush();
		parent::setUp();
		$this->use_settings(
			array(
				'api_key'      => self::API_KEY,
				'warehouse_id' => 1,
			)
		);
		foreach ( array( RateBudget::OPTION, Runner::CENSUS_OPTION, Runner::STATUS_OPTION ) as $option ) {
			delete_option( $option );
		}
		// The periodic stock pull just ran: request counts below are the push's alone.
		delete_option( \KeyCrmSync\Runner\StockPull::CURSOR_OPTION );
		update_option( \KeyCrmSync\StockSource\PullSchedule::OPTION, array( 'last_started_at' => time(), 'last_finished_at' => time() ) );
		// Last: the option writes above may have queued a run.
		as_unschedule_all_actions( RunnerSchedule::HOOK, array(), RunnerSchedule::GROUP );
		self::control( 'reset' );
	}

	protected function tearDown(): void {
		parent::tearDown();
	}

	/**
	 * Runs the due actions of the plugin's group, as WP-Cron's queue runner would.
	 */
	private function run_queue(): void {
		$this->run_action_queue();
	}

	/** Pending runs: list of scheduled timestamps. */
	private function pending_runs(): array {
		$ids = as_get_scheduled_actions(
			array(
				'hook'     => RunnerSchedule::HOOK,
				'group'    => RunnerSchedule::GROUP,
				'status'   => \ActionScheduler_Store::STATUS_PENDING,
				'per_page' => 10,
			),
			'ids'
		);
		$out = array();
		foreach ( $ids as $id ) {
			$date  = \ActionScheduler::store()->fetch_action( $id )->get_schedule()->get_date();
			$out[] = null === $date ? time() : $date->getTimestamp(); // Async actions have no date.
		}
		return $out;
	}

	/** keyCRM's stock of a SKU in warehouse 1 (null: no such offer). */
	private static function stock_of( array $state, string $sku ): ?float {
		foreach ( $state['stock'] as $row ) {
			if ( $sku === $row['sku'] ) {
				return (float) $row['warehouses']['1']['quantity'];
			}
		}
		return null;
	}

	/** keyCRM's offers by SKU. */
	private static function offers( array $state ): array {
		$out = array();
		foreach ( $state['offers'] as $offer ) {
			$out[ $offer['sku'] ][] = $offer;
		}
		return $out;
	}

	public function test_shop_changes_reach_keycrm_in_the_floor_number_of_requests(): void {
		$a = self::sku( 'RA' );
		$b = self::sku( 'RB' );
		$c = self::sku( 'RC' );
		$this->simple( $a, 5, '10.50' );
		$this->simple( $b, 0, '20' );
		$this->simple( $c, 12, '30' );
		$p  = self::sku( 'RP' );
		$v1 = self::sku( 'RV' );
		$v2 = self::sku( 'RV' );
		$this->variable( $p, array( $v1 => 3, $v2 => 4 ) );
		$this->flush();

		$this->assertCount( 1, $this->pending_runs(), 'a shop change queues one run at once' );
		$this->run_queue();

		$state  = self::control( 'state' );
		$offers = self::offers( $state );
		$this->assertArrayHasKey( $a, $offers, wp_json_encode( array( self::control( 'stats' ), get_option( Runner::STATUS_OPTION ), $this->row( $a ) ) ) );
		$this->assertSame( 10.5, (float) $offers[ $a ][0]['price'] );
		$this->assertSame( 20.0, (float) $offers[ $v1 ][0]['price'] );
		$this->assertSame( 5.0, self::stock_of( $state, $a ) );
		$this->assertSame( 0.0, self::stock_of( $state, $b ) );
		$this->assertSame( 12.0, self::stock_of( $state, $c ) );
		$this->assertSame( 3.0, self::stock_of( $state, $v1 ) );
		$this->assertSame( 4.0, self::stock_of( $state, $v2 ) );
		$this->assertSame( $offers[ $v1 ][0]['product_id'], $offers[ $v2 ][0]['product_id'], 'variations share one keyCRM product' );
		$this->assertSame( 0, $state['duplicates'] );

		// Floor: one lookup (GET /offers, 5 SKUs), the variable product, one import (3 simple),
		// the variations (one request), the stock of all five (one request).
		$stats = self::control( 'stats' );
		$this->assertSame( 5, $stats['total'], wp_json_encode( $stats['byRoute'] ) );
		$this->assertSame( 1, $stats['byRoute']['POST /products/import'] );
		$this->assertSame( 1, $stats['byRoute']['PUT /offers/stocks'] );
		$this->assertSame( 0, (int) $this->queue()->backlog() );
		$this->assertSame( 'synced', $this->row( $a )->state );
		$this->assertSame( array(), $this->pending_runs(), 'nothing waits: no continuation' );

		// A stock edit reaches keyCRM on the next run, in one request.
		$product = wc_get_product( wc_get_product_id_by_sku( $a ) );
		$product->set_stock_quantity( 2 );
		$product->save();
		$this->flush();
		$this->assertCount( 1, $this->pending_runs() );
		$this->run_queue();
		$this->assertSame( 2.0, self::stock_of( self::control( 'state' ), $a ) );
		$this->assertSame( 6, self::control( 'stats' )['total'] );

		$status = Plugin::instance()->cli_command( new RecordingOutput() );
		$out    = new RecordingOutput();
		Plugin::instance()->cli_command( $out )->status( array(), array( 'format' => 'json' ) );
		$report = json_decode( $out->first( 'line' ), true );
		$this->assertSame( 'wordpress', $report['runner']['runner'] );
		$this->assertSame( 'no_sender', $report['runner']['reason'] );
		$this->assertNotNull( $report['runner']['last_run_at'] );
	}

	/**
	 * keyCRM's category of the product holding a SKU, as a path of names.
	 */
	private static function category_path_of( array $state, string $sku ): string {
		$cats = array_column( $state['categories'], null, 'id' );
		$pid  = self::offers( $state )[ $sku ][0]['product_id'] ?? null;
		$id   = null;
		foreach ( $state['products'] as $p ) {
			if ( $p['id'] === $pid ) {
				$id = $p['category_id'];
			}
		}
		$names = array();
		while ( null !== $id && isset( $cats[ $id ] ) ) {
			array_unshift( $names, $cats[ $id ]['name'] );
			$id = $cats[ $id ]['parent_id'];
		}
		return implode( '/', $names );
	}

	public function test_categories_reach_keycrm_and_follow_renames_and_moves(): void {
		$tag     = ' ' . bin2hex( random_bytes( 3 ) );
		$clothes = wp_insert_term( 'Одяг' . $tag, 'product_cat' )['term_id'];
		$shirts  = wp_insert_term( 'Футболки' . $tag, 'product_cat', array( 'parent' => $clothes ) )['term_id'];
		$shoes   = wp_insert_term( 'Взуття & аксесуари' . $tag, 'product_cat' )['term_id'];
		$a       = self::sku( 'CA' );
		$b       = self::sku( 'CB' );
		$p       = $this->simple( $a );
		$p->set_category_ids( array( $shirts, $shoes ) );
		$p->update_meta_data( '_yoast_wpseo_primary_product_cat', (string) $shoes );
		$p->save();
		$q = $this->simple( $b );
		$q->set_category_ids( array( $shirts ) );
		$q->save();
		$v1                       = self::sku( 'CV' );
		$v2                       = self::sku( 'CV' );
		list( $parent )           = $this->variable( '', array( $v1 => 1, $v2 => 2 ) );
		$parent->set_category_ids( array( $clothes ) );
		$parent->save();
		$this->flush();

		Plugin::instance()->runner()->run();
		$state = self::control( 'state' );
		$this->assertSame( 'Взуття & аксесуари' . $tag, self::category_path_of( $state, $a ), 'the Yoast SEO primary category' );
		$this->assertSame( 'Одяг' . $tag . '/Футболки' . $tag, self::category_path_of( $state, $b ) );
		$this->assertSame( 'Одяг' . $tag, self::category_path_of( $state, $v1 ), 'a SKU-less variable product' );
		$this->assertSame( self::offers( $state )[ $v1 ][0]['product_id'], self::offers( $state )[ $v2 ][0]['product_id'] );
		$stats = self::control( 'stats' );
		$this->assertSame( 1, $stats['byRoute']['GET /products/categories'] );
		$this->assertSame( 3, $stats['byRoute']['POST /products/categories'] );
		$this->assertSame( 0, (int) $this->queue()->backlog() );
		$remembered = get_term_meta( $shirts, '_keycrm_sync_category', true );
		$this->assertSame( 'Футболки' . $tag, $remembered['name'] );

		// Remembered: a new product in a known category costs no category request.
		$c = self::sku( 'CC' );
		$r = $this->simple( $c );
		$r->set_category_ids( array( $shirts ) );
		$r->save();
		$this->flush();
		Plugin::instance()->runner()->run();
		$this->assertSame( 'Одяг' . $tag . '/Футболки' . $tag, self::category_path_of( self::control( 'state' ), $c ) );
		$this->assertSame( 1, self::control( 'stats' )['byRoute']['GET /products/categories'] );

		// A renamed category: its products go to the keyCRM category of the new name.
		wp_update_term( $shirts, 'product_cat', array( 'name' => 'Сорочки' . $tag ) );
		$this->flush();
		Plugin::instance()->runner()->run();
		$state = self::control( 'state' );
		$this->assertSame( 'Одяг' . $tag . '/Сорочки' . $tag, self::category_path_of( $state, $b ) );
		$this->assertSame( 'Одяг' . $tag . '/Сорочки' . $tag, self::category_path_of( $state, $c ) );
		$this->assertSame( 'Взуття & аксесуари' . $tag, self::category_path_of( $state, $a ) );

		// A category moved under another parent.
		wp_update_term( $shirts, 'product_cat', array( 'parent' => $shoes ) );
		$this->flush();
		Plugin::instance()->runner()->run();
		$this->assertSame( 'Взуття & аксесуари' . $tag . '/Сорочки' . $tag, self::category_path_of( self::control( 'state' ), $b ) );

		// A product moved to another category outside the product object (the category box).
		$creates = self::control( 'stats' )['byRoute']['POST /products/categories'];
		wp_set_object_terms( $q->get_id(), array( $clothes ), 'product_cat' );
		$this->flush();
		Plugin::instance()->runner()->run();
		$this->assertSame( 'Одяг' . $tag, self::category_path_of( self::control( 'state' ), $b ) );
		$this->assertSame( $creates, self::control( 'stats' )['byRoute']['POST /products/categories'] );
		$this->assertSame( 0, (int) $this->queue()->backlog() );
		$this->assertSame( 0, self::control( 'state' )['duplicates'] );

		// The categories deleted in keyCRM: a remembered id keyCRM rejects is found again.
		self::control( 'reset' );
		$d = self::sku( 'CD' );
		$s = $this->simple( $d );
		$s->set_category_ids( array( $clothes ) );
		$s->save();
		$this->flush();
		Plugin::instance()->runner()->run();
		$this->assertSame( 'Одяг' . $tag, self::category_path_of( self::control( 'state' ), $d ) );
		$this->assertSame( 'synced', $this->row( $d )->state );
	}

	public function test_a_skuless_parent_s_later_changes_reach_its_keycrm_product(): void {
		$v1             = self::sku( 'SV' );
		$v2             = self::sku( 'SV' );
		list( $parent ) = $this->variable( '', array( $v1 => 1, $v2 => 2 ) );
		$this->flush();
		Plugin::instance()->runner()->run();
		$pid = self::offers( self::control( 'state' ) )[ $v1 ][0]['product_id'];
		$put = (int) ( self::control( 'stats' )['byRoute']['PUT /products/{id}'] ?? 0 );

		$image  = wp_insert_attachment(
			array(
				'post_title'     => 'gallery',
				'post_mime_type' => 'image/jpeg',
				'guid'           => 'http://example.com/gallery.jpg',
			),
			'gallery.jpg'
		);
		$parent = wc_get_product( $parent->get_id() );
		$parent->set_name( 'Сукня без артикула' );
		$parent->set_description( 'Новий опис' );
		$parent->set_image_id( $image );
		$parent->save();
		$this->flush();
		Plugin::instance()->runner()->run();

		$state   = self::control( 'state' );
		$product = array_values( array_filter( $state['products'], static fn( $p ) => $p['id'] === $pid ) )[0];
		$this->assertSame( 'Сукня без артикула', $product['name'] );
		$this->assertSame( 'Новий опис', $product['description'] );
		$this->assertCount( 1, $product['attachments_data'] );
		$this->assertStringEndsWith( 'gallery.jpg', (string) $product['attachments_data'][0] );
		$this->assertSame( $put + 1, (int) self::control( 'stats' )['byRoute']['PUT /products/{id}'], 'one update for the whole family' );
		$this->assertSame( 0, (int) $this->queue()->backlog() );
	}

	public function test_a_product_whose_values_cannot_be_encoded_fails_alone_and_the_rest_is_sent(): void {
		$good = self::sku( 'RG' );
		$bad  = self::sku( 'RI' );
		$this->simple( $good, 5, '10' );
		$product = $this->simple( $bad, 7, '10' );
		// A price meta no form accepts but an import or another plugin can write: INF once read.
		update_post_meta( $product->get_id(), '_keycrm_purchased_price', '1e999' );
		clean_post_cache( $product->get_id() );
		$this->flush();
		$this->run_queue();

		$state = self::control( 'state' );
		$this->assertSame( 5.0, self::stock_of( $state, $good ), wp_json_encode( get_option( Runner::STATUS_OPTION ) ) );
		$this->assertArrayNotHasKey( $bad, self::offers( $state ) );
		$this->assertSame( 'synced', $this->row( $good )->state );
		$row = $this->row( $bad );
		$this->assertSame( 'failed', $row->state, 'that SKU\'s error, counted as an attempt' );
		$this->assertSame( 'unencodable', $row->last_error_code );
		$this->assertStringContainsString( 'purchased_price', (string) $row->last_error, 'the field is named' );
		$this->assertSame( 1, (int) $row->attempts );
		$this->assertNull( $row->lease_token, 'not left leased' );
		$this->assertNull( get_option( Runner::STATUS_OPTION )['last_error'] ?? null, 'the run itself did not fail' );
	}

	public function test_a_429_ends_the_action_and_schedules_the_next_run(): void {
		self::control( 'faults', array( 'rate429' => 1 ) );
		$sku = self::sku( 'R429' );
		$this->simple( $sku, 9 );
		$this->flush();

		as_unschedule_all_actions( RunnerSchedule::HOOK, array(), RunnerSchedule::GROUP );
		$started = microtime( true );
		do_action( RunnerSchedule::HOOK ); // One action, as Action Scheduler runs it.
		$this->assertLessThan( 4, microtime( true ) - $started, 'no sleeping through the rate window' );
		// Retry-After: 1 fits in what a run may wait for a token: the request is sent once more,
		// meets a second 429, and the action ends.
		$this->assertSame( 2, self::control( 'stats' )['total'] );
		$row = $this->row( $sku );
		$this->assertSame( 'pending', $row->state );
		$this->assertSame( '0', (string) $row->attempts, 'a 429 did nothing: no attempt is counted' );
		$next = $this->pending_runs();
		$this->assertCount( 1, $next );
		$this->assertGreaterThanOrEqual( time(), $next[0], 'the next run waits for Retry-After' );
		$this->assertSame( 'rate', get_option( Runner::STATUS_OPTION )['last_stopped'] );

		self::control( 'faults', array() );
		$until = microtime( true ) + 15;
		while ( null === self::stock_of( self::control( 'state' ), $sku ) && microtime( true ) < $until ) {
			$this->run_queue(); // Runs the continuation once it is due.
			usleep( 100000 );
		}
		$this->assertSame( 9.0, self::stock_of( self::control( 'state' ), $sku ), wp_json_encode( array( self::control( 'stats' ), get_option( Runner::STATUS_OPTION ), $this->pending_runs(), time(), $this->row( $sku ) ) ) );
	}

	public function test_an_unknown_create_outcome_makes_no_duplicate(): void {
		// Seed 160 draws: the lookup passes, the import is applied but its connection reset, the
		// follow-up lookup and the stock pass.
		self::control(
			'faults',
			array(
				'rateReset'       => 0.5,
				'faultsAfterWork' => true,
				'seed'            => 160,
			)
		);
		$a = self::sku( 'RU' );
		$b = self::sku( 'RU' );
		$this->simple( $a, 1 );
		$this->simple( $b, 2 );
		$this->flush();

		$until = microtime( true ) + 15;
		do {
			$this->run_queue();
			$state = self::control( 'state' );
		} while ( ( null === self::stock_of( $state, $a ) || 1.0 !== self::stock_of( $state, $a ) || 2.0 !== self::stock_of( $state, $b ) ) && microtime( true ) < $until && usleep( 100000 ) === null );

		$this->assertSame( 1, self::control( 'stats' )['faults']['reset'] );
		$offers = self::offers( $state );
		$this->assertCount( 1, $offers[ $a ] );
		$this->assertCount( 1, $offers[ $b ] );
		$this->assertSame( 0, $state['duplicates'] );
		$this->assertSame( 1.0, self::stock_of( $state, $a ) );
		$this->assertSame( 2.0, self::stock_of( $state, $b ) );
	}

	public function test_a_refused_api_key_stops_the_run_and_says_so(): void {
		$this->use_settings( array( 'api_key' => 'wrong-key' ) );
		$sku = self::sku( 'R401' );
		$this->simple( $sku, 3 );
		$this->flush();
		as_unschedule_all_actions( RunnerSchedule::HOOK, array(), RunnerSchedule::GROUP );

		do_action( RunnerSchedule::HOOK );

		$this->assertSame( array( '401' => 1 ), self::control( 'stats' )['byStatus'] );
		$this->assertSame( 'pending', $this->row( $sku )->state );
		$this->assertSame( 'keycrm_401', $this->row( $sku )->last_error_code );
		$out = new RecordingOutput();
		Plugin::instance()->cli_command( $out )->status( array(), array( 'format' => 'json' ) );
		$runner = json_decode( $out->first( 'line' ), true )['runner'];
		$this->assertStringContainsString( 'HTTP 401', $runner['last_error'] );
		$next = $this->pending_runs();
		$this->assertCount( 1, $next );
		$this->assertGreaterThan( time() + 200, $next[0], 'a refused key is tried again in minutes, not at once' );
	}

	public function test_the_runner_stands_by_while_a_node_sender_is_online(): void {
		( new \KeyCrmSync\Settings\Heartbeat() )->record( 'node-1', array( 'version' => '0.1.0' ) );
		$this->simple( self::sku( 'RN' ) );
		$this->flush();
		$this->assertSame( array(), $this->pending_runs(), 'no run is queued for the runner inside WordPress' );
		$result = Plugin::instance()->runner()->run();
		$this->assertSame( 'standby', $result['stopped'] );
		$this->assertSame( 0, self::control( 'stats' )['total'] );
	}

	public function test_wp_cli_sync_drains_the_outbox(): void {
		$skus = array();
		for ( $i = 0; $i < 3; $i++ ) {
			$skus[] = self::sku( 'RCLI' );
			$this->simple( end( $skus ), 4 + $i );
		}
		$this->flush();
		$out = new RecordingOutput();
		Plugin::instance()->runner_command( $out )->sync( array(), array( 'format' => 'json' ) );
		$this->assertNull( $out->exit );
		$totals = json_decode( $out->first( 'line' ), true );
		$this->assertSame( 3, $totals['synced'] );
		$this->assertSame( 0, $totals['backlog'] );
		$this->assertSame( 6.0, self::stock_of( self::control( 'state' ), $skus[2] ) );
	}

	/**
	 * "Done when" of the issue: with no Node process, WP-Cron triggered the way a visitor
	 * triggers it (a GET of wp-cron.php on the real site over HTTP) syncs the shop.
	 */
	public function test_a_wp_cron_request_like_a_visitor_s_syncs_the_shop(): void {
		$sku = self::sku( 'RCRON' );
		$this->simple( $sku, 11, '15' );
		$this->flush();
		$this->assertCount( 1, $this->pending_runs() );
		// A visitor's request runs what is due within Action Scheduler's time limit; on a loaded
		// machine the stock call may fall to the continuation, which the next visit (a minute
		// later, when Action Scheduler's cron event is due again) runs.
		$visits = 0;
		do {
			++$visits;
			// Action Scheduler's WP-Cron event is due now, and no earlier cron request holds the lock.
			wp_clear_scheduled_hook( 'action_scheduler_run_queue', array( 'WP Cron' ) );
			wp_schedule_event( time() - 1, 'every_minute', 'action_scheduler_run_queue', array( 'WP Cron' ) );
			delete_transient( 'doing_cron' );
			$r = wp_remote_get( getenv( 'KCS_TEST_URL' ) . '/wp-cron.php', array( 'timeout' => 60 ) );
			$this->assertFalse( is_wp_error( $r ), is_wp_error( $r ) ? $r->get_error_message() : '' );
			wp_cache_flush();
		} while ( 'synced' !== $this->row( $sku )->state && $visits < 5 );

		$state = self::control( 'state' );
		$this->assertSame( 11.0, self::stock_of( $state, $sku ), wp_json_encode( self::control( 'stats' ) ) );
		$this->assertSame( 15.0, (float) self::offers( $state )[ $sku ][0]['price'] );
		$this->assertSame( 'synced', $this->row( $sku )->state );
	}

	/**
	 * A system cron: the real WP-CLI runs Action Scheduler's due actions, then
	 * `wp keycrm-sync sync` and `wp keycrm-sync status` report.
	 */
	public function test_a_system_cron_with_the_real_wp_cli_syncs_the_shop(): void {
		$phar = $this->wp_cli_phar();
		$run = function ( string $args ) use ( $phar ): array {
			$cmd = sprintf( 'php %s --path=%s --allow-root %s 2>&1', escapeshellarg( $phar ), escapeshellarg( getenv( 'KCS_TEST_DOCROOT' ) ), $args );
			exec( $cmd, $lines, $code );
			return array( implode( "\n", $lines ), $code );
		};
		$a = self::sku( 'RWP' );
		$this->simple( $a, 21 );
		$this->flush();
		$this->assertCount( 1, $this->pending_runs() );

		// What a system cron runs every minute (all due actions; WooCommerce's own ones too).
		list( $out, $code ) = $run( 'action-scheduler run' );
		$this->assertSame( 0, $code, $out );
		$this->assertSame( 21.0, self::stock_of( self::control( 'state' ), $a ), $out );

		$b = self::sku( 'RWP' );
		$this->simple( $b, 22 );
		$this->flush();
		as_unschedule_all_actions( RunnerSchedule::HOOK, array(), RunnerSchedule::GROUP );
		list( $json, $code ) = $run( 'keycrm-sync sync --format=json' );
		$this->assertSame( 0, $code, $json );
		$totals = json_decode( $json, true );
		$this->assertSame( 1, $totals['synced'] ?? null, $json );
		$this->assertSame( 22.0, self::stock_of( self::control( 'state' ), $b ) );

		list( $json, $code ) = $run( 'keycrm-sync status --format=json' );
		$this->assertSame( 0, $code, $json );
		$this->assertSame( 'wordpress', json_decode( $json, true )['runner']['runner'] ?? null, $json );
	}

	/**
	 * keyCRM-owned stock with the plugin alone: the periodic pull runs in WordPress too, in the
	 * runner's actions, and the shop follows keyCRM's stock.
	 */
	public function test_the_stock_pull_runs_inside_wordpress_in_keycrm_mode(): void {
		$this->use_settings(
			array(
				'stock_source'          => 'keycrm',
				'pull_interval_minutes' => 15,
			)
		);
		delete_option( \KeyCrmSync\StockSource\PullSchedule::OPTION );
		delete_option( \KeyCrmSync\Runner\StockPull::CURSOR_OPTION );
		$sku     = self::sku( 'RPULL' );
		$product = $this->simple( $sku, 5 );
		$this->flush();
		$this->run_queue(); // Creates the product in keyCRM (no stock pushed: keyCRM owns it), then pulls.
		$this->assertArrayHasKey( $sku, self::offers( self::control( 'state' ) ) );
		$state = ( new \KeyCrmSync\StockSource\PullSchedule( new Settings() ) )->state();
		$this->assertNotNull( $state['last_finished_at'] );
		$this->assertTrue( $state['last_result']['complete'], wp_json_encode( $state ) );

		self::control(
			'stock',
			array(
				'sku'          => $sku,
				'warehouse_id' => 1,
				'quantity'     => 9,
				'reserve'      => 2,
			)
		);
		( new \KeyCrmSync\StockSource\PullSchedule( new Settings() ) )->request( time() ); // "Pull stock now".
		$this->assertNotSame( array(), $this->pending_runs(), 'a pull request queues a run' );
		$this->run_queue();

		$this->assertSame( 7, wc_get_product( $product->get_id() )->get_stock_quantity(), 'available = 9 in stock − 2 reserved' );
		$this->assertFalse( get_option( \KeyCrmSync\Runner\StockPull::CURSOR_OPTION ) );
		$stats = self::control( 'stats' );
		$this->assertSame( 2, $stats['byRoute']['GET /offers/stocks'] ?? null, wp_json_encode( $stats['byRoute'] ) );
		$this->assertArrayNotHasKey( 'PUT /offers/stocks', $stats['byRoute'], 'keyCRM mode pushes no stock' );
	}

	/**
	 * A variable product without a SKU (the SKUs are on its sizes): the runner creates one keyCRM
	 * product, keeps its id on the parent product, adds both variations to it, and a size added
	 * later joins the same product without another POST /products.
	 */
	public function test_a_variable_product_without_a_sku_becomes_one_keycrm_product(): void {
		$a                           = self::sku( 'RNA' );
		$b                           = self::sku( 'RNB' );
		$sizes                       = array(
			$a => 3,
			$b => 5,
		);
		list( $parent, $variations ) = $this->variable( '', $sizes );
		$this->flush();
		$this->run_queue();

		$state  = self::control( 'state' );
		$offers = self::offers( $state );
		$this->assertArrayHasKey( $a, $offers, wp_json_encode( array( self::control( 'stats' ), get_option( Runner::STATUS_OPTION ), $this->row( $a ) ) ) );
		$this->assertArrayHasKey( $b, $offers );
		$product_id = (int) $offers[ $a ][0]['product_id'];
		$this->assertSame( $product_id, (int) $offers[ $b ][0]['product_id'], 'the sizes share one keyCRM product' );
		$this->assertSame( 3.0, self::stock_of( $state, $a ) );
		$this->assertSame( 5.0, self::stock_of( $state, $b ) );
		$this->assertSame( 0, $state['duplicates'] );
		$this->assertSame( 1, self::control( 'stats' )['byRoute']['POST /products'] ?? null );
		wp_cache_flush(); // The id was recorded through the ack path, in this process's object cache or not.
		$this->assertSame( $product_id, ParentProduct::keycrm_id( $parent->get_id() ), 'kept on the parent product' );
		$this->assertSame( 'synced', $this->row( $a )->state );
		$this->assertSame( 'synced', $this->row( $b )->state );

		// A new size: added to the recorded product.
		$c = self::sku( 'RNC' );
		$v = new \WC_Product_Variation();
		$v->set_parent_id( $parent->get_id() );
		$v->set_sku( $c );
		$v->set_attributes( array( 'size' => '3' ) );
		$v->set_regular_price( '20' );
		$v->set_manage_stock( true );
		$v->set_stock_quantity( 7 );
		$v->save();
		$this->flush();
		$this->run_queue();
		$stats = self::control( 'stats' );
		$this->assertSame( 1, $stats['byRoute']['POST /products'] ?? null, 'no second keyCRM product: ' . wp_json_encode( $stats['byRoute'] ) );
		$offers = self::offers( self::control( 'state' ) );
		$this->assertSame( $product_id, (int) ( $offers[ $c ][0]['product_id'] ?? 0 ), wp_json_encode( array( $stats, get_option( Runner::STATUS_OPTION ), $this->row( $c ) ) ) );
	}

	/**
	 * Products the settings keep out of keyCRM (a draft, by the default "published only"; an
	 * external product, by default off) are not created: their rows are done, with the reason
	 * on the Items screen, and keyCRM gets nothing for them.
	 */
	public function test_drafts_and_external_products_are_held_back_with_the_reason(): void {
		$draft = self::sku( 'RDR' );
		$ext   = self::sku( 'REX' );
		$pub   = self::sku( 'RPB' );
		$p     = $this->simple( $draft, 4 );
		$p->set_status( 'draft' );
		$p->save();
		$e = new \WC_Product_External();
		$e->set_name( 'External ' . $ext );
		$e->set_sku( $ext );
		$e->set_regular_price( '15' );
		$e->set_product_url( 'https://elsewhere.example/item' );
		$e->save();
		$this->simple( $pub, 2 );
		$this->flush();
		$this->run_queue();

		$offers = self::offers( self::control( 'state' ) );
		$this->assertArrayHasKey( $pub, $offers, wp_json_encode( array( self::control( 'stats' ), get_option( Runner::STATUS_OPTION ) ) ) );
		$this->assertArrayNotHasKey( $draft, $offers );
		$this->assertArrayNotHasKey( $ext, $offers );
		$reasons = array(
			$draft => 'status is "draft"',
			$ext   => 'external/affiliate',
		);
		foreach ( $reasons as $sku => $words ) {
			$row = $this->row( $sku );
			$this->assertSame( 'synced', $row->state, $sku );
			$this->assertSame( 'not_sent', $row->last_error_code, $sku );
			$this->assertStringContainsString( $words, (string) $row->last_error );
		}
		$this->assertNull( $this->row( $pub )->last_error_code );
	}

	/**
	 * WooCommerce's GTIN is keyCRM's barcode: sent with the creation of a simple product and of
	 * a variation, and with a simple product's change (PUT /products/{id}).
	 */
	public function test_barcodes_reach_keycrm_on_creation_and_on_change(): void {
		// GTINs are unique in the shop, across the tests that share its database.
		list( $g1, $g2, $g3 ) = array_map( static fn() => '48' . str_pad( (string) random_int( 0, 99999999999 ), 11, '0', STR_PAD_LEFT ), array( 1, 2, 3 ) );
		$s                    = self::sku( 'RBS' );
		$v                    = self::sku( 'RBV' );
		$p                    = $this->simple( $s, 1 );
		$p->set_global_unique_id( $g1 );
		$p->save();
		list( , $variations ) = $this->variable( self::sku( 'RBP' ), array( $v => 1 ) );
		$variations[ $v ]->set_global_unique_id( $g2 );
		$variations[ $v ]->save();
		$this->flush();
		$this->run_queue();

		$offers = self::offers( self::control( 'state' ) );
		$this->assertSame( $g1, $offers[ $s ][0]['barcode'] ?? null, wp_json_encode( array( self::control( 'stats' ), get_option( Runner::STATUS_OPTION ) ) ) );
		$this->assertSame( $g2, $offers[ $v ][0]['barcode'] ?? null );

		$p = wc_get_product( $p->get_id() );
		$p->set_global_unique_id( $g3 );
		$p->save();
		$this->flush();
		$this->run_queue();
		$offers = self::offers( self::control( 'state' ) );
		$this->assertSame( $g3, $offers[ $s ][0]['barcode'] ?? null, wp_json_encode( self::control( 'stats' )['byRoute'] ) );
		$this->assertSame( 'synced', $this->row( $s )->state );
	}

	/**
	 * The hashes are those of the Node sender (src/sender/desired.ts payloadHash), computed there
	 * for the same payloads.
	 */
	public function test_payload_hashes_match_the_node_sender(): void {
		$this->assertSame( sha1( '{}' ), Desired::hash( array() ) );
		$this->assertSame( '{"a":[],"b":10,"c":10.5,"d":"ü/\\"x"}', Desired::canonical( array( 'd' => 'ü/"x', 'c' => 10.5, 'b' => 10.0, 'a' => array() ), true ) );
	}
}
