<?php
/**
 * Who may call which route, over real HTTP (php -S started by run.sh): anonymous, subscriber,
 * shop manager, admin; application passwords; browser cookies with and without the REST nonce.
 *
 * @package KeyCrmSync\Tests
 * @group http
 */

namespace KeyCrmSync\Tests\Rest;

use KeyCrmSync\Tests\Http;
use KeyCrmSync\Tests\TestCase;

final class PermissionsHttpTest extends TestCase {

	/** @var array<string, array{id:int, login:string, app:string}> */
	private static array $users = array();

	public static function setUpBeforeClass(): void {
		foreach ( array( 'subscriber', 'shop_manager', 'administrator' ) as $role ) {
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
			'claim' => array( 'POST', '/keycrm-sync/v1/worker/claim' ),
			'ack'   => array( 'POST', '/keycrm-sync/v1/worker/ack' ),
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
	public function test_sender_routes_accept_only_app_passwords_of_shop_managers( string $method, string $route ): void {
		$body = array(
			'lease_token' => 'none',
			'results'     => array(),
		);
		$this->assertSame( 401, Http::request( $method, $route, $body )['status'], 'anonymous' );
		$this->assertSame( 403, $this->as_app( 'subscriber', $method, $route, $body )['status'], 'subscriber' );
		$this->assertSame( 200, $this->as_app( 'shop_manager', $method, $route, $body )['status'], 'shop manager' );
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

	public function test_claim_gives_the_api_key_to_the_sender_and_never_to_the_browser(): void {
		update_option( 'keycrm_sync_settings', array_merge( get_option( 'keycrm_sync_settings' ), array( 'api_key' => 'secret-key-123' ) ) );
		$claim = $this->as_app( 'shop_manager', 'POST', '/keycrm-sync/v1/worker/claim', array( 'limit' => 1 ) );
		$this->assertSame( 'secret-key-123', $claim['body']['settings']['api_key'] );
		$browser = Http::browser( self::$users['administrator']['id'], true );
		foreach ( array( '/keycrm-sync/v1/settings', '/keycrm-sync/v1/status' ) as $route ) {
			$res = Http::request( 'GET', $route, null, $browser );
			$this->assertSame( 200, $res['status'] );
			$this->assertStringNotContainsString( 'secret-key-123', $res['raw'], $route );
		}
		$this->assertStringNotContainsString( 'secret-key-123', (string) @file_get_contents( getenv( 'KCS_TEST_TMP' ) . '/logs/debug.log' ) );
	}

	/**
	 * Request as a role's application password.
	 *
	 * @param string               $role   Role.
	 * @param string               $method Method.
	 * @param string               $route  Route.
	 * @param array<string, mixed> $body   Body.
	 * @return array{status:int, body:mixed, raw:string}
	 */
	private function as_app( string $role, string $method, string $route, array $body ): array {
		$u = self::$users[ $role ];
		return Http::request( $method, $route, $body, Http::app_password( $u['login'], $u['app'] ) );
	}
}
