<?php
/**
 * Who may call which route, over real HTTP (php -S started by run.sh): anonymous, subscriber,
 * shop manager, admin; application passwords; browser cookies with and without the REST nonce.
 *
 * @package KeyCrmSync\Tests
 * @group http
 */

namespace KeyCrmSync\Tests\Rest;

use KeyCrmSync\Http\Permissions;
use KeyCrmSync\Tests\Http;
use KeyCrmSync\Tests\TestCase;

final class PermissionsHttpTest extends TestCase {

	/** @var array<string, array{id:int, login:string, app:string}> */
	private static array $users = array();

	public static function setUpBeforeClass(): void {
		Permissions::ensure_sender_role();
		foreach ( array( 'subscriber', 'shop_manager', 'administrator', Permissions::SENDER_ROLE ) as $role ) {
			$login = 'kcs_' . $role . '_' . wp_rand();
			$id    = wp_insert_user(
				array(
					'user_login' => $login,
					'user_pass'  => wp_generate_password(),
					'user_email' => $login . '@example.test',
					'role'       => $role,
				)
			);
			$app   = \WP_Application_Passwords::create_new_application_password( $id, array( 'name' => 'tests' ) );
			self::$users[ $role ] = array(
				'id'    => $id,
				'login' => $login,
				'app'   => $app[0],
			);
		}
	}

	/**
	 * @return array<string, array{0:string, 1:string}>
	 */
	public function sender_routes(): array {
		return array(
			'claim'    => array( 'POST', '/keycrm-sync/v1/worker/claim' ),
			'ack'      => array( 'POST', '/keycrm-sync/v1/worker/ack' ),
			'settings' => array( 'GET', '/keycrm-sync/v1/worker/settings' ),
		);
	}

	/**
	 * @return array<string, array{0:string, 1:string}>
	 */
	public function admin_routes(): array {
		return array(
			'status'   => array( 'GET', '/keycrm-sync/v1/status' ),
			'items'    => array( 'GET', '/keycrm-sync/v1/items' ),
			'problems' => array( 'GET', '/keycrm-sync/v1/problems' ),
			'settings' => array( 'GET', '/keycrm-sync/v1/settings' ),
			'put'      => array( 'PUT', '/keycrm-sync/v1/settings' ),
			'retry'    => array( 'POST', '/keycrm-sync/v1/items/retry' ),
			'resync'   => array( 'POST', '/keycrm-sync/v1/resync' ),
		);
	}

	/**
	 * @dataProvider sender_routes
	 */
	public function test_sender_routes_accept_only_app_passwords_of_the_sender_or_an_administrator( string $method, string $route ): void {
		$body = 'GET' === $method ? null : array(
			'lease_token' => 'none',
			'results'     => array(),
		);
		$this->assertSame( 401, Http::request( $method, $route, $body )['status'], 'anonymous' );
		$this->assertSame( 403, $this->as_app( 'subscriber', $method, $route, $body )['status'], 'subscriber' );
		$this->assertSame( 403, $this->as_app( 'shop_manager', $method, $route, $body )['status'], 'shop manager' );
		$this->assertSame( 200, $this->as_app( Permissions::SENDER_ROLE, $method, $route, $body )['status'], 'sender' );
		$this->assertSame( 200, $this->as_app( 'administrator', $method, $route, $body )['status'], 'admin' );
		$admin = self::$users['administrator']['id'];
		$this->assertSame( 401, Http::request( $method, $route, $body, Http::browser( $admin, false ) )['status'], 'cookie without nonce' );
		$with_nonce = Http::request( $method, $route, $body, Http::browser( $admin, true ) );
		$this->assertSame( 403, $with_nonce['status'], 'cookie + nonce is refused on sender routes' );
		$this->assertSame( 'keycrm_sync_app_password_required', $with_nonce['body']['code'] );
		$bad = Http::request( $method, $route, $body, Http::app_password( self::$users['administrator']['login'], 'wrong wrong wrong' ) );
		$this->assertSame( 401, $bad['status'], 'wrong application password' );
	}

	/**
	 * @dataProvider admin_routes
	 */
	public function test_admin_routes_need_a_shop_manager_session_with_nonce( string $method, string $route ): void {
		$this->assertSame( 401, Http::request( $method, $route, array() )['status'], 'anonymous' );
		$admin = self::$users['administrator']['id'];
		$this->assertSame( 401, Http::request( $method, $route, array(), Http::browser( $admin, false ) )['status'], 'cookie without nonce' );
		$this->assertSame( 403, Http::request( $method, $route, array(), Http::browser( self::$users['subscriber']['id'], true ) )['status'], 'subscriber' );
		$this->assertSame( 200, Http::request( $method, $route, array(), Http::browser( self::$users['shop_manager']['id'], true ) )['status'], 'shop manager' );
		$this->assertSame( 200, Http::request( $method, $route, array(), Http::browser( $admin, true ) )['status'], 'admin' );
	}

	public function test_claim_gives_the_api_key_to_the_sender_and_never_to_a_shop_manager_or_the_browser(): void {
		( new \KeyCrmSync\Settings\Settings() )->update( array( 'api_key' => 'secret-key-123' ) );
		$claim = $this->as_app( Permissions::SENDER_ROLE, 'POST', '/keycrm-sync/v1/worker/claim', array( 'limit' => 1 ) );
		$this->assertSame( 'secret-key-123', $claim['body']['settings']['api_key'] );
		$manager = self::$users['shop_manager'];
		foreach ( array_merge( $this->sender_routes(), $this->admin_routes() ) as $name => list( $method, $route ) ) {
			foreach ( array( Http::app_password( $manager['login'], $manager['app'] ), Http::browser( $manager['id'], true ) ) as $auth ) {
				$res = Http::request( $method, $route, 'GET' === $method ? null : array( 'limit' => 1 ), $auth );
				$this->assertStringNotContainsString( 'secret-key-123', $res['raw'], "shop manager, $name" );
			}
		}
		$browser = Http::browser( self::$users['administrator']['id'], true );
		foreach ( array( '/keycrm-sync/v1/settings', '/keycrm-sync/v1/status' ) as $route ) {
			$res = Http::request( 'GET', $route, null, $browser );
			$this->assertSame( 200, $res['status'] );
			$this->assertStringNotContainsString( 'secret-key-123', $res['raw'], $route );
		}
		$this->assertStringNotContainsString( 'secret-key-123', (string) @file_get_contents( getenv( 'KCS_TEST_TMP' ) . '/logs/debug.log' ) );
	}

	/**
	 * Every route the plugin registers (read from the REST server, so a route added later is
	 * covered too), every method: a shop manager's application password, and a shop manager's
	 * browser session with its nonce, never see the API key; the sender's routes (the claim and
	 * the settings read carry it) refuse the application password.
	 */
	public function test_no_route_gives_a_shop_manager_s_application_password_the_api_key(): void {
		$this->use_settings( array( 'api_key' => 'secret-key-456' ) );
		$this->assertSame( 'secret-key-456', $this->as_app( Permissions::SENDER_ROLE, 'GET', '/keycrm-sync/v1/worker/settings', null )['body']['settings']['api_key'] ?? null, 'the key is there to be read by the sender' );
		$manager = self::$users['shop_manager'];
		$app     = Http::app_password( $manager['login'], $manager['app'] );
		$browser = Http::browser( $manager['id'], true );
		$tried   = array();
		foreach ( rest_get_server()->get_routes( 'keycrm-sync/v1' ) as $route => $endpoints ) {
			$this->assertStringNotContainsString( '(?P<', $route, 'a route with a path parameter: give it a value here' );
			$methods = array();
			foreach ( $endpoints as $endpoint ) {
				$methods += array_filter( (array) ( $endpoint['methods'] ?? array() ) );
			}
			foreach ( array_keys( $methods ) as $method ) {
				$body = 'GET' === $method ? null : array( 'limit' => 1 );
				$res  = Http::request( $method, $route, $body, $app );
				$this->assertStringNotContainsString( 'secret-key-456', $res['raw'], "application password: $method $route" );
				if ( str_starts_with( $route, '/keycrm-sync/v1/worker/' ) ) {
					// Refused: 403, or 400 when WordPress finds the body invalid before it asks.
					$this->assertContains( $res['status'], array( 400, 403 ), "application password: $method $route" );
				}
				$res = Http::request( $method, $route, $body, $browser );
				$this->assertStringNotContainsString( 'secret-key-456', $res['raw'], "browser session: $method $route" );
				$tried[] = "$method $route";
			}
		}
		$this->assertContains( 'POST /keycrm-sync/v1/worker/claim', $tried );
		$this->assertContains( 'GET /keycrm-sync/v1/worker/settings', $tried );
		$this->assertGreaterThanOrEqual( 15, count( $tried ), implode( ', ', $tried ) );
		wp_cache_flush();
		$this->assertSame( 'secret-key-456', ( new \KeyCrmSync\Settings\Settings() )->get( 'api_key' ), 'and none of the calls changed it' );
	}

	public function test_only_an_administrator_creates_the_sender_user_and_each_new_password_revokes_the_last(): void {
		$manager = Http::request( 'POST', '/keycrm-sync/v1/sender-user', array(), Http::browser( self::$users['shop_manager']['id'], true ) );
		$this->assertSame( 403, $manager['status'], 'a shop manager cannot mint a password that reads the API key' );
		$this->assertSame( 403, $this->as_app( Permissions::SENDER_ROLE, 'POST', '/keycrm-sync/v1/sender-user', array() )['status'] );

		$admin = Http::browser( self::$users['administrator']['id'], true );
		$first = Http::request( 'POST', '/keycrm-sync/v1/sender-user', array(), $admin );
		$this->assertSame( 201, $first['status'], $first['raw'] );
		$this->assertSame( Permissions::SENDER_LOGIN, $first['body']['user_login'] );
		$user = get_user_by( 'login', Permissions::SENDER_LOGIN );
		$this->assertSame( array( Permissions::SENDER_ROLE ), array_values( $user->roles ) );
		$this->assertFalse( user_can( $user, 'manage_woocommerce' ) );
		$auth = Http::app_password( Permissions::SENDER_LOGIN, $first['body']['password'] );
		$this->assertSame( 200, Http::request( 'GET', '/keycrm-sync/v1/worker/settings', null, $auth )['status'] );
		$this->assertSame( 403, Http::request( 'GET', '/keycrm-sync/v1/settings', null, $auth )['status'], 'no admin routes' );

		$second = Http::request( 'POST', '/keycrm-sync/v1/sender-user', array(), $admin );
		$this->assertSame( 201, $second['status'] );
		$this->assertSame( 401, Http::request( 'GET', '/keycrm-sync/v1/worker/settings', null, $auth )['status'], 'the old password is revoked' );
		$this->assertSame( 200, Http::request( 'GET', '/keycrm-sync/v1/worker/settings', null, Http::app_password( Permissions::SENDER_LOGIN, $second['body']['password'] ) )['status'] );
	}

	public function test_the_settings_read_of_doctor_claims_nothing_and_leaves_the_heartbeat(): void {
		$sku = self::sku( 'D' );
		$this->simple( $sku );
		$this->flush();
		update_option( 'keycrm_sync_heartbeat', array( 'worker_id' => 'the-real-sender', 'at' => 1 ), false );
		$res = $this->as_app( Permissions::SENDER_ROLE, 'GET', '/keycrm-sync/v1/worker/settings', array() );
		$this->assertSame( 200, $res['status'], $res['raw'] );
		Http::fixture( 'sender-settings', $res['raw'] );
		$this->assertArrayHasKey( 'api_key', $res['body']['settings'] );
		$this->assertArrayHasKey( 'total', $res['body']['problems'] );
		wp_cache_flush();
		$this->assertNull( $this->row( $sku )->lease_token, 'nothing leased' );
		$this->assertSame( 'the-real-sender', get_option( 'keycrm_sync_heartbeat' )['worker_id'] );
	}

	/**
	 * Request as a role's application password.
	 *
	 * @param string               $role   Role.
	 * @param string               $method Method.
	 * @param string               $route  Route.
	 * @param array<string, mixed>|null $body Body.
	 * @return array{status:int, body:mixed, raw:string}
	 */
	private function as_app( string $role, string $method, string $route, ?array $body ): array {
		$u = self::$users[ $role ];
		return Http::request( $method, $route, $body, Http::app_password( $u['login'], $u['app'] ) );
	}
}
