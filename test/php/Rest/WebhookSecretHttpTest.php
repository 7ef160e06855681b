<?php
/**
 * The webhook secret over real HTTP: made and shown once by an administrator, never returned by
 * the settings, rotation ends the old URL.
 *
 * @package KeyCrmSync\Tests
 * @group http
 */

namespace KeyCrmSync\Tests\Rest;

use KeyCrmSync\Settings\Settings;
use KeyCrmSync\StockSource\StockSourceSchema;
use KeyCrmSync\Tests\Http;
use KeyCrmSync\Tests\TestCase;

final class WebhookSecretHttpTest extends TestCase {

	private const ROUTE = '/keycrm-sync/v1/settings/webhook-secret';

	/** @var array<string, array{id:int, login:string, app:string}> */
	private static array $users = array();

	public static function setUpBeforeClass(): void {
		foreach ( array( 'shop_manager', 'administrator' ) as $role ) {
			$login                = 'kcs_ws_' . $role . '_' . wp_rand();
			$id                   = wp_insert_user(
				array(
					'user_login' => $login,
					'user_pass'  => wp_generate_password(),
					'user_email' => $login . '@example.test',
					'role'       => $role,
				)
			);
			$app                  = \WP_Application_Passwords::create_new_application_password( $id, array( 'name' => 'tests' ) );
			self::$users[ $role ] = array(
				'id'    => $id,
				'login' => $login,
				'app'   => $app[0],
			);
		}
	}

	protected function setUp(): void {
		parent::setUp();
		( new StockSourceSchema() )->maybe_install();
		$this->use_settings( array( 'stock_source' => 'keycrm' ) );
	}

	public function test_only_an_administrator_makes_a_secret_and_it_is_returned_only_then(): void {
		$manager = self::$users['shop_manager'];
		$admin   = self::$users['administrator'];
		$before  = ( new Settings() )->webhook_secret();

		$this->assertSame( 401, Http::request( 'POST', self::ROUTE )['status'], 'anonymous' );
		$this->assertSame( 403, Http::request( 'POST', self::ROUTE, null, Http::browser( $manager['id'], true ) )['status'], 'shop manager in the browser' );
		$this->assertSame( 403, Http::request( 'POST', self::ROUTE, null, Http::app_password( $manager['login'], $manager['app'] ) )['status'], 'shop manager, application password' );
		$this->assertSame( 401, Http::request( 'POST', self::ROUTE, null, Http::browser( $admin['id'], false ) )['status'], 'administrator without the REST nonce' );
		wp_cache_flush();
		$this->assertSame( $before, ( new Settings() )->webhook_secret(), 'nothing changed' );

		$made = Http::request( 'POST', self::ROUTE, null, Http::browser( $admin['id'], true ) );
		$this->assertSame( 201, $made['status'], $made['raw'] );
		Http::fixture( 'webhook-secret', $made['raw'] );
		wp_cache_flush();
		$secret = ( new Settings() )->webhook_secret();
		$this->assertNotSame( $before, $secret );
		$this->assertMatchesRegularExpression( '/^[0-9a-f]{64}$/', $secret );
		$this->assertSame( $secret, $made['body']['webhook_secret'] );
		$this->assertStringContainsString( 'secret=' . $secret, $made['body']['webhook_url'] );
		$this->assertStringContainsString( 'keycrm-sync', $made['body']['webhook_url'] );

		// Nothing an admin screen reads carries it again, for a shop manager or an administrator.
		foreach ( array( $manager, $admin ) as $user ) {
			foreach ( array( '/keycrm-sync/v1/settings', '/keycrm-sync/v1/status', '/keycrm-sync/v1/stock-source/status' ) as $route ) {
				$res = Http::request( 'GET', $route, null, Http::browser( $user['id'], true ) );
				$this->assertSame( 200, $res['status'], $route . ' ' . $res['raw'] );
				$this->assertStringNotContainsString( $secret, $res['raw'], $route );
			}
			$res = Http::request( 'GET', '/keycrm-sync/v1/settings', null, Http::browser( $user['id'], true ) );
			$this->assertTrue( $res['body']['webhook_secret_set'] );
			$this->assertArrayNotHasKey( 'webhook_url', $res['body'] );
		}
	}

	public function test_rotation_ends_the_old_url_and_the_answer_names_no_sku(): void {
		$sku = self::sku( 'WS' );
		$this->simple( $sku, 1 );
		$admin = Http::app_password( self::$users['administrator']['login'], self::$users['administrator']['app'] );
		$first = Http::request( 'POST', self::ROUTE, null, $admin );
		$this->assertSame( 201, $first['status'], $first['raw'] );
		$old = $first['body']['webhook_url'];
		$this->assertSame( 200, $this->post( $old, 4, $sku )['status'] );
		$this->assertSame( 4, $this->stock( $sku ) );

		$second = Http::request( 'POST', self::ROUTE, null, $admin );
		$this->assertSame( 201, $second['status'], $second['raw'] );
		$this->assertNotSame( $old, $second['body']['webhook_url'] );
		$refused = $this->post( $old, 9, $sku );
		$this->assertSame( 403, $refused['status'], 'the old URL stops working at once' );
		$this->assertSame( 4, $this->stock( $sku ) );

		$ok = $this->post( $second['body']['webhook_url'], 7, $sku, 'UNKNOWN-' . $sku );
		$this->assertSame( 200, $ok['status'], $ok['raw'] );
		$this->assertSame( 7, $this->stock( $sku ) );
		$this->assertSame(
			array(
				'accepted' => true,
				'items'    => 2,
				'skipped'  => 0,
				'queued'   => false,
			),
			$ok['body'],
			'generic counts: neither the known nor the unknown SKU shows'
		);
		$this->assertStringNotContainsString( $sku, $ok['raw'] );
	}

	/**
	 * POSTs a stock body to a full webhook URL.
	 *
	 * @param string      $url     Webhook URL (with its secret).
	 * @param int         $stock   in_stock of $sku.
	 * @param string      $sku     SKU.
	 * @param string|null $unknown A second SKU the shop does not have.
	 * @return array{status:int, body:mixed, raw:string}
	 */
	private function post( string $url, int $stock, string $sku, ?string $unknown = null ): array {
		$items = array(
			array(
				'offer_id'   => 1,
				'sku'        => $sku,
				'in_stock'   => $stock,
				'in_reserve' => 0,
			),
		);
		if ( null !== $unknown ) {
			$items[] = array(
				'offer_id'   => 2,
				'sku'        => $unknown,
				'in_stock'   => 1,
				'in_reserve' => 0,
			);
		}
		$response = wp_remote_post(
			$url,
			array(
				'headers' => array( 'Content-Type' => 'application/json' ),
				'body'    => wp_json_encode( $items ),
				'timeout' => 30,
			)
		);
		$this->assertFalse( is_wp_error( $response ) );
		$raw = (string) wp_remote_retrieve_body( $response );
		wp_cache_flush();
		return array(
			'status' => (int) wp_remote_retrieve_response_code( $response ),
			'body'   => json_decode( $raw, true ),
			'raw'    => $raw,
		);
	}

	/**
	 * Current stock of the product holding a SKU.
	 *
	 * @param string $sku SKU.
	 */
	private function stock( string $sku ): ?int {
		wp_cache_flush();
		$product = wc_get_product( wc_get_product_id_by_sku( $sku ) );
		return $product ? $product->get_stock_quantity() : null;
	}
}
