<?php
/**
 * Base class of the plugin's PHP tests.
 *
 * @package KeyCrmSync\Tests
 */

namespace KeyCrmSync\Tests;

use KeyCrmSync\Infrastructure\Clock;
use KeyCrmSync\Outbox\Backoff;
use KeyCrmSync\Outbox\OutboxQueue;
use KeyCrmSync\Outbox\OutboxTable;
use KeyCrmSync\Plugin;
use KeyCrmSync\Settings\Settings;
use KeyCrmSync\Snapshot\ItemSnapshot;

/**
 * Each test starts with an empty outbox, the plugin's clock on the wall clock and the admin as
 * current user. Products are real WooCommerce products in the real database; SKUs are unique per
 * test, so no cleanup is needed.
 */
abstract class TestCase extends \PHPUnit\Framework\TestCase {

	/** The settings options as they were before use_settings() (restored by tearDown). */
	private ?array $settings_before = null;

	/**
	 * Changes settings through the plugin's own Settings (secrets go to their own option) for
	 * this test only.
	 *
	 * @param array<string, mixed> $values Settings to change.
	 */
	protected function use_settings( array $values ): void {
		$this->settings_before ??= array(
			Settings::OPTION         => get_option( Settings::OPTION ),
			Settings::SECRETS_OPTION => get_option( Settings::SECRETS_OPTION ),
		);
		( new Settings() )->update( $values );
	}

	/**
	 * Restores the settings use_settings() changed.
	 */
	protected function tearDown(): void {
		foreach ( $this->settings_before ?? array() as $name => $value ) {
			if ( false === $value ) {
				delete_option( $name );
			} else {
				update_option( $name, $value );
			}
		}
		$this->settings_before = null;
		parent::tearDown();
	}

	/** While set: the test site's plugin clock, frozen (see lib/test-clock.php). */
	private const CLOCK_OPTION = 'kcs_test_clock';

	/**
	 * Empties the outbox and the request buffer.
	 */
	protected function setUp(): void {
		global $wpdb;
		parent::setUp();
		Plugin::instance()->buffer->flush();
		$wpdb->query( 'TRUNCATE TABLE ' . OutboxTable::name() );
		delete_option( 'keycrm_sync_heartbeat' );
		delete_option( 'keycrm_sync_resync' );
		delete_option( self::CLOCK_OPTION );
		wp_set_current_user( 1 );
	}

	/**
	 * Stops the plugin's clock, then moves it forward by `$seconds`, in this process and in the
	 * test site's server alike. Until the next test it moves only when advanced again.
	 *
	 * @param int $seconds Seconds.
	 */
	protected function advance_clock( int $seconds ): void {
		update_option( self::CLOCK_OPTION, Clock::now() + $seconds );
	}

	/**
	 * Runs the due Action Scheduler actions, as WP-Cron's queue runner does, and returns how many
	 * it processed. A fresh runner (the shared one measures its time limit from when this process
	 * began). Action Scheduler runs nothing while another runner holds a claim (one concurrent
	 * batch by default), and a cron request of an earlier test that the site still serves holds
	 * one: here other runners' claims do not count.
	 */
	protected function run_action_queue(): int {
		$others = static fn( int $allowed ): int => $allowed + (int) \ActionScheduler::store()->get_claim_count();
		add_filter( 'action_scheduler_queue_runner_concurrent_batches', $others );
		try {
			return ( new \ActionScheduler_QueueRunner() )->run( 'PHPUnit' );
		} finally {
			remove_filter( 'action_scheduler_queue_runner_concurrent_batches', $others );
		}
	}

	/**
	 * The WP-CLI phar (KCS_WP_CLI, else ~/.cache/wp-test-env/wp-cli.phar): without it the test is
	 * skipped, and under CI=true it fails (`scripts/wp-env.sh --wp-cli` provides one).
	 */
	protected function wp_cli_phar(): string {
		$phar = getenv( 'KCS_WP_CLI' ) ?: ( getenv( 'HOME' ) . '/.cache/wp-test-env/wp-cli.phar' );
		if ( ! is_file( $phar ) ) {
			$why = "no WP-CLI phar at $phar (scripts/wp-env.sh --wp-cli provides one, or set KCS_WP_CLI)";
			$ci  = (string) getenv( 'CI' );
			if ( '' !== $ci && '0' !== $ci && 'false' !== strtolower( $ci ) ) {
				$this->fail( "$why; CI=true allows no skipping" );
			}
			$this->markTestSkipped( $why );
		}
		return $phar;
	}

	/**
	 * A SKU unique to this run.
	 *
	 * @param string $prefix Readable prefix.
	 */
	protected static function sku( string $prefix = 'T' ): string {
		static $n = 0;
		return $prefix . '-' . getmypid() . '-' . ( ++$n ) . '-' . bin2hex( random_bytes( 3 ) );
	}

	/**
	 * Creates a simple product with managed stock through the WooCommerce CRUD.
	 *
	 * @param string $sku   SKU.
	 * @param int    $stock Stock quantity.
	 * @param string $price Regular price.
	 */
	protected function simple( string $sku, int $stock = 10, string $price = '10' ): \WC_Product_Simple {
		$p = new \WC_Product_Simple();
		$p->set_name( 'Product ' . $sku );
		$p->set_sku( $sku );
		$p->set_regular_price( $price );
		$p->set_manage_stock( true );
		$p->set_stock_quantity( $stock );
		$p->save();
		return $p;
	}

	/**
	 * Creates a variable product with one variation per size.
	 *
	 * @param string               $sku   Parent SKU ('' for none).
	 * @param array<string, int>   $sizes Variation SKU => stock.
	 * @return array{0:\WC_Product_Variable, 1:array<string, \WC_Product_Variation>}
	 */
	protected function variable( string $sku, array $sizes ): array {
		$attr = new \WC_Product_Attribute();
		$attr->set_name( 'Size' );
		$attr->set_options( array_map( 'strval', range( 1, count( $sizes ) ) ) );
		$attr->set_visible( true );
		$attr->set_variation( true );
		$parent = new \WC_Product_Variable();
		$parent->set_name( 'Variable ' . $sku );
		$parent->set_sku( $sku );
		$parent->set_attributes( array( $attr ) );
		$parent->save();
		$variations = array();
		$i          = 0;
		foreach ( $sizes as $vsku => $stock ) {
			$v = new \WC_Product_Variation();
			$v->set_parent_id( $parent->get_id() );
			$v->set_sku( (string) $vsku );
			$v->set_attributes( array( 'size' => (string) ( ++$i ) ) );
			$v->set_regular_price( '20' );
			$v->set_manage_stock( true );
			$v->set_stock_quantity( $stock );
			$v->save();
			$variations[ (string) $vsku ] = $v;
		}
		return array( $parent, $variations );
	}

	/**
	 * Ends the "request": writes the buffer to the outbox.
	 */
	protected function flush(): void {
		// Same order as at the end of a real request: WooCommerce's deferred parent sync
		// (shutdown, priority 10), then the plugin's buffer (shutdown, priority 100).
		\WC_Post_Data::do_deferred_product_sync();
		$GLOBALS['wc_deferred_product_sync'] = array();
		Plugin::instance()->buffer->flush();
	}

	/**
	 * A fresh claim/ack queue.
	 */
	protected function queue(): OutboxQueue {
		return new OutboxQueue( new Backoff() );
	}

	/**
	 * Outbox row of a SKU.
	 *
	 * @param string $sku SKU.
	 */
	protected function row( string $sku ): ?object {
		return Plugin::instance()->reader->row( $sku );
	}

	/**
	 * SKUs a sender could claim now (dirty, usable), sorted.
	 *
	 * @return string[]
	 */
	protected function dirty_skus(): array {
		global $wpdb;
		$skus = $wpdb->get_col( 'SELECT sku FROM ' . OutboxTable::name() . " WHERE state IN ('pending', 'failed') AND version > synced_version" ); // phpcs:ignore
		sort( $skus );
		return $skus;
	}

	/**
	 * Claims everything due and returns the ClaimedItems keyed by SKU.
	 *
	 * @return array<string, array<string, mixed>>
	 */
	protected function claim_items(): array {
		$claim = $this->queue()->claim( 10000, 60 );
		$out   = array();
		foreach ( ( new ItemSnapshot() )->for_rows( $claim['rows'] ) as $item ) {
			$out[ $item['sku'] ] = $item;
		}
		$this->last_token = $claim['token'];
		return $out;
	}

	/**
	 * Ends the request and asserts exactly these SKUs became claimable, with these current values.
	 *
	 * @param array<string, array<string, mixed>> $expected SKU => expected ClaimedItem fields.
	 */
	protected function assertClaimable( array $expected ): void {
		$this->flush();
		$items = $this->claim_items();
		$want  = array_map( 'strval', array_keys( $expected ) );
		$got   = array_map( 'strval', array_keys( $items ) );
		sort( $want );
		sort( $got );
		$this->assertSame( $want, $got, 'claimable SKUs' );
		foreach ( $expected as $sku => $fields ) {
			foreach ( $fields as $field => $value ) {
				$this->assertSame( $value, $items[ (string) $sku ][ $field ], "$sku: $field" );
			}
		}
		$this->release();
	}

	/**
	 * Acknowledges the last claim as synced (the outbox is clean again).
	 */
	protected function release(): void {
		if ( null === $this->last_token ) {
			return;
		}
		global $wpdb;
		$rows    = $wpdb->get_results( $wpdb->prepare( 'SELECT sku, version FROM ' . OutboxTable::name() . ' WHERE lease_token = %s', $this->last_token ) ); // phpcs:ignore
		$results = array_map(
			static fn( $r ) => array(
				'sku'     => (string) $r->sku,
				'version' => (int) $r->version,
				'outcome' => 'synced',
			),
			$rows
		);
		$this->queue()->ack( $this->last_token, $results, 5 );
		$this->last_token = null;
	}

	/** Lease token of the last claim_items(). */
	protected ?string $last_token = null;

	/**
	 * Flushes, claims everything and acknowledges it as synced: the outbox is clean afterwards.
	 */
	protected function sync_all(): void {
		$this->flush();
		$this->claim_items();
		$this->release();
		$this->assertSame( array(), $this->dirty_skus(), 'outbox is clean after sync_all' );
	}
}
