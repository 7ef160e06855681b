<?php
/**
 * Real HTTP requests to the test site's php -S server (started by run.sh).
 *
 * @package KeyCrmSync\Tests
 */

namespace KeyCrmSync\Tests;

/**
 * Sends REST requests over loopback with application passwords or login cookies.
 */
final class Http {

	/**
	 * One request to /wp-json/<route> (as ?rest_route=, no rewrite rules needed).
	 *
	 * @param string               $method  Method.
	 * @param string               $route   Route, e.g. /keycrm-sync/v1/status.
	 * @param array<string, mixed> $body    JSON body (null for none).
	 * @param array<string, string> $headers Extra headers.
	 * @return array{status:int, body:mixed, raw:string}
	 */
	public static function request( string $method, string $route, ?array $body = null, array $headers = array() ): array {
		$parts = explode( '?', $route, 2 );
		$url   = getenv( 'KCS_TEST_URL' ) . '/?rest_route=' . rawurlencode( $parts[0] ) . ( isset( $parts[1] ) ? '&' . $parts[1] : '' );
		$args  = array(
			'method'  => $method,
			'timeout' => 30,
			'headers' => $headers + array( 'Content-Type' => 'application/json' ),
		);
		if ( null !== $body && 'GET' !== $method ) {
			$args['body'] = wp_json_encode( $body );
		}
		$response = wp_remote_request( $url, $args );
		if ( is_wp_error( $response ) ) {
			throw new \RuntimeException( 'HTTP request failed: ' . $response->get_error_message() );
		}
		$raw = (string) wp_remote_retrieve_body( $response );
		return array(
			'status' => (int) wp_remote_retrieve_response_code( $response ),
			'body'   => json_decode( $raw, true ),
			'raw'    => $raw,
		);
	}

	/**
	 * Basic auth header for an application password.
	 *
	 * @param string $login    User login.
	 * @param string $password Application password.
	 * @return array<string, string>
	 */
	public static function app_password( string $login, string $password ): array {
		return array( 'Authorization' => 'Basic ' . base64_encode( $login . ':' . $password ) );
	}

	/**
	 * Headers of a logged-in browser session (logged_in cookie), with or without the REST nonce.
	 *
	 * @param int  $user_id    User.
	 * @param bool $with_nonce Send X-WP-Nonce.
	 * @return array<string, string>
	 */
	public static function browser( int $user_id, bool $with_nonce ): array {
		$expiration = time() + HOUR_IN_SECONDS;
		$token      = \WP_Session_Tokens::get_instance( $user_id )->create( $expiration );
		$cookie     = wp_generate_auth_cookie( $user_id, $expiration, 'logged_in', $token );
		$headers    = array( 'Cookie' => LOGGED_IN_COOKIE . '=' . rawurlencode( $cookie ) );
		if ( $with_nonce ) {
			$previous                    = get_current_user_id();
			$_COOKIE[ LOGGED_IN_COOKIE ] = $cookie; // wp_create_nonce() binds the nonce to this session.
			wp_set_current_user( $user_id );
			$headers['X-WP-Nonce'] = wp_create_nonce( 'wp_rest' );
			unset( $_COOKIE[ LOGGED_IN_COOKIE ] );
			wp_set_current_user( $previous );
		}
		return $headers;
	}

	/**
	 * Writes a response body as a contract fixture (parsed by test/contract/plugin-rest-fixtures.test.ts).
	 *
	 * @param string $name Fixture name (file name without .json).
	 * @param string $raw  Raw JSON body.
	 */
	public static function fixture( string $name, string $raw ): void {
		$dir = dirname( __DIR__, 2 ) . '/contract/fixtures';
		if ( ! is_dir( $dir ) ) {
			mkdir( $dir, 0775, true );
		}
		$pretty = wp_json_encode( json_decode( $raw ), JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE );
		// Volatile values are normalised so re-running the tests does not rewrite the fixtures
		// (the shapes, which are what the contract test checks, are unchanged).
		$pretty = preg_replace(
			array( '/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/', '/"[0-9a-f]{64}"/', '/"[0-9a-f]{32}"/', '/-\d+-\d+-[0-9a-f]{6}\b/', '/secret=[0-9a-f]{64}/', '#http://127\.0\.0\.1:\d+#' ),
			array( '2026-01-01T00:00:00Z', '"' . str_repeat( 'ab', 32 ) . '"', '"0123456789abcdef0123456789abcdef"', '-1', 'secret=' . str_repeat( 'ab', 32 ), 'http://127.0.0.1:8101' ),
			(string) $pretty
		);
		file_put_contents( "$dir/$name.json", $pretty . "\n" );
	}
}
