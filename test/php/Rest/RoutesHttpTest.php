<?php
/**
 * Behaviour and response shapes of every route over real HTTP. The responses are written to
 * test/contract/fixtures/, where jest parses them with the zod schemas of the contract.
 *
 * @package KeyCrmSync
 * @group http
 */

namespace KeyCrmSync\Tests\Rest;

use KeyCrmSync\Settings\Settings;
use KeyCrmSync\Tests\Http;
use KeyCrmSync\Tests\TestCase;

final class RoutesHttpTest extends TestCase {

	private static int $manager = 0;
	private static array $app   = array();

	public static function setUpBeforeClass(): void {
		\KeyCrmSync\Http\Permissions::ensure_sender_role();
		$login         = 'kcs_sender_' . wp_rand();
		self::$manager = wp_insert_user(
			array(
				'user_login' => $login,
				'user_pass'  => wp_generate_password(),
				'user_email' => $login . '@example.test',
				'role'       => \KeyCrmSync\Http\Permissions::SENDER_ROLE,
			)
		);
		$app       = \WP_Application_Passwords::create_new_application_password( self::$manager, array( 'name' => 'sender' ) );
		self::$app = Http::app_password( $login, $app[0] );
	}

	public function test_claim_and_ack_through_the_sender_routes(): void {
		$simple                        = $this->simple( self::sku( 'C' ), 4, '12.5' );
		list( $parent, $variations ) = $this->variable( self::sku( 'CP' ), array( self::sku( 'CV' ) => 2 ) );
		$retired                       = $this->simple( self::sku( 'CR' ), 1 );
		$this->flush();
		wp_trash_post( $retired->get_id() );
		$this->flush();

		$claim = Http::request(
			'POST',
			'/keycrm-sync/v1/worker/claim',
			array(
				'limit'         => 10,
				'lease_seconds' => 60,
				'worker_id'     => 'tests-1',
				'heartbeat'     => array(
					'worker_id'            => 'tests-1',
					'version'              => '0.1.0',
					'last_success_at'      => '2026-11-27T10:00:00Z',
					'requests_last_minute' => 3,
					'eta_seconds'          => 12.5,
				),
			),
			self::$app
		);
		$this->assertSame( 200, $claim['status'], $claim['raw'] );
		Http::fixture( 'claim', $claim['raw'] );
		$items = array_column( $claim['body']['items'], null, 'sku' );
		$v     = reset( $variations );
		$this->assertEqualsCanonicalizing( array( $simple->get_sku(), $parent->get_sku(), $v->get_sku(), $retired->get_sku() ), array_keys( $items ) );
		$this->assertSame( 4, $items[ $simple->get_sku() ]['stock_quantity'] );
		$this->assertSame( 12.5, $items[ $simple->get_sku() ]['price'] );
		$this->assertTrue( $items[ $retired->get_sku() ]['retired'] );
		$this->assertSame( $parent->get_sku(), $items[ $v->get_sku() ]['parent_sku'] );
		$this->assertSame( 0, $claim['body']['backlog'] );
		$this->assertMatchesRegularExpression( '/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/', $claim['body']['lease_expires_at'] );

		global $wpdb;
		$this->assertContains( $wpdb->get_var( "SELECT autoload FROM {$wpdb->options} WHERE option_name = 'keycrm_sync_heartbeat'" ), array( 'no', 'off' ), 'the heartbeat is not autoloaded' );
		$beat = maybe_unserialize( $wpdb->get_var( "SELECT option_value FROM {$wpdb->options} WHERE option_name = 'keycrm_sync_heartbeat'" ) );
		$this->assertSame( 'tests-1', $beat['worker_id'] ?? null );
		$this->assertSame( 3, $beat['requests_last_minute'] ?? null );

		$empty = Http::request( 'POST', '/keycrm-sync/v1/worker/claim', array(), self::$app );
		$this->assertNull( $empty['body']['lease_token'] );
		Http::fixture( 'claim-empty', $empty['raw'] );

		$results = array();
		foreach ( $claim['body']['items'] as $item ) {
			$results[] = array(
				'sku'               => $item['sku'],
				'version'           => $item['version'],
				'outcome'           => $item['sku'] === $v->get_sku() ? 'failed' : 'synced',
				'error'             => $item['sku'] === $v->get_sku() ? 'The price must be greater than 0.' : null,
				'code'              => $item['sku'] === $v->get_sku() ? 'validation' : null,
				'keycrm_product_id' => 100,
				'keycrm_offer_id'   => 200,
				'pushed_stock'      => $item['stock_quantity'],
			);
		}
		$results = array_map( static fn( $r ) => array_filter( $r, static fn( $x ) => null !== $x ), $results );
		$results[] = array( 'sku' => 'NOT-CLAIMED', 'version' => 1, 'outcome' => 'synced' );
		$ack = Http::request( 'POST', '/keycrm-sync/v1/worker/ack', array( 'lease_token' => $claim['body']['lease_token'], 'results' => $results ), self::$app );
		$this->assertSame( 200, $ack['status'], $ack['raw'] );
		$this->assertSame( array( 'acknowledged' => 4, 'stale' => 1 ), $ack['body'] );
		Http::fixture( 'ack', $ack['raw'] );
		$this->assertSame( 'synced', $this->row( $simple->get_sku() )->state );
		$this->assertSame( 'failed', $this->row( $v->get_sku() )->state );
		$this->assertSame( '200', (string) $this->row( $simple->get_sku() )->keycrm_offer_id );

		$bad = Http::request( 'POST', '/keycrm-sync/v1/worker/ack', array( 'lease_token' => 'x', 'results' => array( array( 'sku' => 'A', 'version' => 1, 'outcome' => 'done' ) ) ), self::$app );
		$this->assertSame( 400, $bad['status'] );
		Http::fixture( 'error-invalid-param', $bad['raw'] );
		$this->assertSame( 400, Http::request( 'POST', '/keycrm-sync/v1/worker/claim', array( 'limit' => 0 ), self::$app )['status'] );
		$this->assertSame( 400, Http::request( 'POST', '/keycrm-sync/v1/worker/ack', array( 'results' => array() ), self::$app )['status'] );
		Http::fixture( 'error-forbidden', Http::request( 'POST', '/keycrm-sync/v1/worker/claim', array(), Http::browser( 1, true ) )['raw'] );
	}

	public function test_a_product_whose_values_cannot_be_encoded_fails_alone_and_the_rest_is_sent(): void {
		$good = $this->simple( self::sku( 'E' ), 3, '5' );
		$bad  = $this->simple( self::sku( 'EI' ), 2, '5' );
		update_post_meta( $bad->get_id(), '_keycrm_purchased_price', '1e999' ); // Read as INF: json_encode() fails.
		wp_cache_flush();
		$this->flush();

		$claim = Http::request( 'POST', '/keycrm-sync/v1/worker/claim', array( 'limit' => 10 ), self::$app );
		$this->assertSame( 200, $claim['status'], $claim['raw'] );
		$this->assertNotContains( null, $claim['body']['items'], 'no item is sent as null' );
		$this->assertSame( array( $good->get_sku() ), array_column( $claim['body']['items'], 'sku' ) );
		$row = $this->row( $bad->get_sku() );
		$this->assertSame( 'failed', $row->state );
		$this->assertSame( 1, (int) $row->attempts );
		$this->assertSame( 'unencodable', $row->last_error_code );
		$this->assertStringContainsString( 'purchased_price', (string) $row->last_error );
		$this->assertNull( $row->lease_token, 'not left leased' );
		$this->assertNotNull( $this->row( $good->get_sku() )->lease_token );
	}

	public function test_admin_routes_status_items_retry_resync_problems(): void {
		$browser = Http::browser( 1, true );
		$ok      = $this->simple( self::sku( 'AD' ), 3 );
		$dead    = $this->simple( self::sku( 'ADD' ), 3 );
		$comma   = $this->simple( 'X,Y-' . self::sku(), 3 );
		$nosku   = $this->simple( '', 3 );
		$this->flush();
		global $wpdb;
		$wpdb->query( $wpdb->prepare( 'UPDATE ' . \KeyCrmSync\Outbox\OutboxTable::name() . " SET state = 'dead', attempts = 8, last_error = 'rejected', last_error_code = '422' WHERE sku = %s", $dead->get_sku() ) );
		Http::request( 'POST', '/keycrm-sync/v1/worker/claim', array( 'limit' => 1, 'worker_id' => 'w-status', 'heartbeat' => array( 'worker_id' => 'w-status', 'version' => '0.1.0' ) ), self::$app );

		$status = Http::request( 'GET', '/keycrm-sync/v1/status', null, $browser );
		$this->assertSame( 200, $status['status'] );
		Http::fixture( 'status', $status['raw'] );
		$this->assertSame( 1, $status['body']['counts']['dead'] );
		$this->assertSame( 1, $status['body']['counts']['skipped'] );
		$this->assertTrue( $status['body']['sender']['online'] );
		$this->assertSame( 'w-status', $status['body']['sender']['worker_id'] );
		$this->assertGreaterThanOrEqual( 2, $status['body']['problems'] );

		$items = Http::request( 'GET', '/keycrm-sync/v1/items?state=dead&per_page=5', null, $browser );
		$this->assertSame( 200, $items['status'], $items['raw'] );
		Http::fixture( 'items', $items['raw'] );
		$this->assertSame( array( $dead->get_sku() ), array_column( $items['body']['items'], 'sku' ) );
		$this->assertSame( 'rejected', $items['body']['items'][0]['last_error'] );
		$search = Http::request( 'GET', '/keycrm-sync/v1/items?search=' . rawurlencode( $ok->get_sku() ), null, $browser );
		$this->assertSame( array( $ok->get_sku() ), array_column( $search['body']['items'], 'sku' ) );
		$this->assertSame( 400, Http::request( 'GET', '/keycrm-sync/v1/items?state=bogus', null, $browser )['status'] );

		$retry = Http::request( 'POST', '/keycrm-sync/v1/items/retry', array( 'skus' => array( $dead->get_sku() ) ), $browser );
		$this->assertSame( array( 'retried' => 1 ), $retry['body'] );
		Http::fixture( 'retry', $retry['raw'] );
		$this->assertSame( 'pending', $this->row( $dead->get_sku() )->state );

		$resync = Http::request( 'POST', '/keycrm-sync/v1/resync', array(), $browser );
		$this->assertSame( 200, $resync['status'], $resync['raw'] );
		Http::fixture( 'resync', $resync['raw'] );
		$this->assertGreaterThanOrEqual( 3, $resync['body']['marked'] );
		$status = Http::request( 'GET', '/keycrm-sync/v1/status', null, $browser );
		$this->assertTrue( $status['body']['resync']['running'] );
		Http::fixture( 'status-resync', $status['raw'] );

		$problems = Http::request( 'GET', '/keycrm-sync/v1/problems?per_page=100', null, $browser );
		$this->assertSame( 200, $problems['status'] );
		Http::fixture( 'problems', $problems['raw'] );
		$by_id = array_column( $problems['body']['problems'], null, 'product_id' );
		$this->assertSame( 'unusable_sku', $by_id[ $comma->get_id() ]['kind'] );
		$this->assertSame( 'contains a comma', $by_id[ $comma->get_id() ]['detail'] );
		$this->assertSame( 'missing_sku', $by_id[ $nosku->get_id() ]['kind'] );
	}

	public function test_settings_are_validated_and_the_api_key_is_write_only(): void {
		$browser = Http::browser( 1, true );
		$put     = function ( array $body ) use ( $browser ) {
			return Http::request( 'PUT', '/keycrm-sync/v1/settings', $body, $browser );
		};
		foreach ( array(
			array( 'rate_per_minute' => 61 ),
			array( 'rate_per_minute' => 0 ),
			array( 'stock_source' => 'erp' ),
			array( 'warehouse_id' => 0 ),
			array( 'max_attempts' => 101 ),
			array( 'api_key' => 'has space inside' ),
			array( 'api_key' => str_repeat( 'k', 513 ) ),
			array( 'sync_stock' => 'maybe' ),
		) as $bad ) {
			$res = $put( $bad );
			$this->assertSame( 400, $res['status'], wp_json_encode( $bad ) . ' ' . $res['raw'] );
		}
		$before = ( new Settings() )->all();
		$res    = $put(
			array(
				'api_key'         => 'key-abc',
				'warehouse_id'    => 3,
				'rate_per_minute' => 40,
				'stock_source'    => 'keycrm',
				'sync_prices'     => false,
			)
		);
		$this->assertSame( 200, $res['status'], $res['raw'] );
		Http::fixture( 'settings', $res['raw'] );
		$this->assertTrue( $res['body']['api_key_set'] );
		$this->assertArrayNotHasKey( 'api_key', $res['body'] );
		$this->assertStringNotContainsString( 'key-abc', $res['raw'] );
		$this->assertSame( 3, $res['body']['warehouse_id'] );
		$this->assertFalse( $res['body']['sync_prices'] );
		$this->assertSame( 'keycrm', $res['body']['stock_source'] );
		$this->assertTrue( $res['body']['webhook_secret_set'] );
		$this->assertStringNotContainsString( $before['webhook_secret'], $res['raw'], 'the webhook secret is never returned' );
		$this->assertArrayNotHasKey( 'webhook_url', $res['body'] );

		$res = $put( array( 'webhook_secret' => 'chosen-by-caller', 'regenerate_webhook_secret' => true, 'api_key' => '' ) );
		$this->assertFalse( $res['body']['api_key_set'], 'an empty api_key clears the key' );
		$this->assertSame( $before['webhook_secret'], ( new Settings() )->webhook_secret(), 'saving settings never sets or rotates the secret' );
		$this->assertSame( 3, $res['body']['warehouse_id'], 'fields not sent are kept' );

		global $wpdb;
		$row = $wpdb->get_row( $wpdb->prepare( "SELECT autoload, option_value, LENGTH(option_value) AS len FROM {$wpdb->options} WHERE option_name = %s", Settings::OPTION ) );
		$this->assertContains( $row->autoload, array( 'yes', 'on', 'auto-on' ) );
		$this->assertLessThan( 1024, (int) $row->len );
		$this->assertArrayNotHasKey( 'webhook_secret', maybe_unserialize( $row->option_value ), 'no secret in the autoloaded option' );
		$this->assertArrayNotHasKey( 'api_key', maybe_unserialize( $row->option_value ) );
		$secrets = $wpdb->get_row( $wpdb->prepare( "SELECT autoload, option_value FROM {$wpdb->options} WHERE option_name = %s", Settings::SECRETS_OPTION ) );
		$this->assertContains( $secrets->autoload, array( 'no', 'off', 'auto-off' ), 'the secrets are not autoloaded' );
		$this->assertMatchesRegularExpression( '/^[0-9a-f]{64}$/', maybe_unserialize( $secrets->option_value )['webhook_secret'] );
		$put( array( 'warehouse_id' => null, 'stock_source' => 'woocommerce', 'sync_prices' => true, 'rate_per_minute' => 50 ) );
	}
}
