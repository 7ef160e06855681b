<?php
/**
 * Capture against a real lock conflict: a second MariaDB connection holds a row lock on the
 * outbox while the shop writes its marks (innodb_lock_wait_timeout of 1 s).
 *
 * @package KeyCrmSync\Tests
 */

namespace KeyCrmSync\Tests\Capture;

use KeyCrmSync\Outbox\NeedsResync;
use KeyCrmSync\Outbox\OutboxTable;
use KeyCrmSync\Plugin;
use KeyCrmSync\Tests\Http;
use KeyCrmSync\Tests\TestCase;

final class LockConflictTest extends TestCase {

	/** Second connection holding the lock. */
	private ?\wpdb $other = null;

	protected function setUp(): void {
		global $wpdb;
		parent::setUp();
		delete_option( NeedsResync::OPTION );
		$wpdb->query( 'SET SESSION innodb_lock_wait_timeout = 1' );
	}

	protected function tearDown(): void {
		global $wpdb;
		$this->unlock();
		$wpdb->query( 'SET SESSION innodb_lock_wait_timeout = DEFAULT' );
		delete_option( NeedsResync::OPTION );
		remove_all_filters( 'query' );
		parent::tearDown();
	}

	public function test_a_lock_wait_timeout_is_retried_and_the_mark_written(): void {
		$sku     = self::sku( 'LW' );
		$product = $this->simple( $sku, 5 );
		$this->flush();
		$version = (int) $this->row( $sku )->version;
		$this->lock( $sku );

		// The lock is released once the first attempt has timed out (errno 1205), before the retry.
		$attempts = 0;
		add_filter(
			'query',
			function ( string $sql ) use ( &$attempts ): string {
				// The write: an upsert, or for a stock change of a known row, an UPDATE.
				if ( str_starts_with( ltrim( $sql ), 'INSERT INTO ' . OutboxTable::name() ) || str_starts_with( ltrim( $sql ), 'UPDATE ' . OutboxTable::name() . ' SET' ) ) {
					++$attempts;
					if ( 2 === $attempts ) {
						$this->unlock();
					}
				}
				return $sql;
			}
		);
		$product->set_stock_quantity( 4 );
		$product->save();
		Plugin::instance()->buffer->flush_at_shutdown();

		$this->assertSame( 2, $attempts );
		$this->assertSame( array(), Plugin::instance()->buffer->pending() );
		$this->assertGreaterThan( $version, (int) $this->row( $sku )->version, 'the change is in the outbox' );
		$this->assertNull( NeedsResync::get() );
	}

	public function test_a_lock_held_past_the_retries_keeps_the_marks_and_flags_a_resync_that_the_claim_runs(): void {
		$sku     = self::sku( 'LH' );
		$other   = self::sku( 'LH' );
		$product = $this->simple( $sku, 5 );
		$this->simple( $other, 5 );
		$this->sync_all();
		$version = (int) $this->row( $sku )->version;
		$this->lock( $sku );

		$product->set_stock_quantity( 4 );
		$product->save();
		Plugin::instance()->buffer->flush_at_shutdown();

		$this->assertSame( array( $sku ), array_keys( Plugin::instance()->buffer->pending() ), 'the marks are kept, not dropped' );
		$flag = NeedsResync::get();
		$this->assertNotNull( $flag );
		$this->assertStringContainsString( 'Lock wait timeout', $flag['reason'] );
		$this->assertSame( $version, (int) $this->row( $sku )->version );

		// The Overview shows it.
		$this->unlock();
		$status = rest_do_request( new \WP_REST_Request( 'GET', '/keycrm-sync/v1/status' ) )->get_data();
		$this->assertMatchesRegularExpression( '/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/', $status['needs_resync']['since'] ?? '' );

		// The shop's request ended without writing (its buffer dies with it); the next claim
		// marks every SKU, the changed one included, and clears the flag.
		$app   = \WP_Application_Passwords::create_new_application_password( 1, array( 'name' => 'lock tests ' . wp_rand() ) );
		$claim = Http::request( 'POST', '/keycrm-sync/v1/worker/claim', array( 'limit' => 100 ), Http::app_password( get_userdata( 1 )->user_login, $app[0] ) );
		$this->assertSame( 200, $claim['status'], $claim['raw'] );
		wp_cache_flush();
		$this->assertNull( NeedsResync::get(), 'cleared' );
		$claimed = array_column( $claim['body']['items'], 'sku' );
		$this->assertContains( $sku, $claimed );
		$this->assertContains( $other, $claimed, 'every SKU was marked' );
		$item = array_values( array_filter( $claim['body']['items'], static fn( $i ) => $i['sku'] === $sku ) )[0];
		$this->assertSame( 4, $item['stock_quantity'], 'the current value is sent' );
		$status = rest_do_request( new \WP_REST_Request( 'GET', '/keycrm-sync/v1/status' ) )->get_data();
		$this->assertNull( $status['needs_resync'] );
	}

	/**
	 * Holds a row lock on the outbox row of $sku from a second connection.
	 *
	 * @param string $sku SKU.
	 */
	private function lock( string $sku ): void {
		$this->other = new \wpdb( DB_USER, DB_PASSWORD, DB_NAME, DB_HOST );
		$this->other->query( 'START TRANSACTION' );
		$table = OutboxTable::name();
		$this->assertSame( $sku, (string) $this->other->get_var( $this->other->prepare( "SELECT sku FROM {$table} WHERE sku = %s FOR UPDATE", $sku ) ) ); // phpcs:ignore
	}

	/**
	 * Ends the second connection's transaction (releases its locks).
	 */
	private function unlock(): void {
		if ( null !== $this->other ) {
			$this->other->query( 'ROLLBACK' );
			$this->other->close();
			$this->other = null;
		}
	}
}
