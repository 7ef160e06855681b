<?php
/**
 * The keyCRM emulator as a real HTTP server for a test class (the site's KEYCRM_SYNC_API_URL
 * points at it; test/php/run.sh sets both).
 *
 * @package KeyCrmSync\Tests
 */

namespace KeyCrmSync\Tests\Runner;

/**
 * Starts `keycrm-sync emulator` before the class's first test and stops it after the last;
 * control() calls its control API.
 */
trait EmulatorServer {

	/** The emulator process. @var resource|null */
	private static $emulator = null;

	/** Its root URL. */
	private static string $base = '';

	/**
	 * Starts the emulator, accepting API_KEY, with warehouse 1.
	 */
	public static function setUpBeforeClass(): void {
		$port = (int) ( getenv( 'KCS_TEST_EMULATOR_PORT' ) ?: 0 );
		if ( $port <= 0 || ! defined( 'KEYCRM_SYNC_API_URL' ) ) {
			self::fail( 'KCS_TEST_EMULATOR_PORT / KEYCRM_SYNC_API_URL are set by test/php/run.sh' );
		}
		self::$base     = 'http://127.0.0.1:' . $port;
		$root           = dirname( __DIR__, 3 );
		$cmd            = array( 'node', '--import', 'tsx', $root . '/src/cli.ts', 'emulator', '--port', (string) $port, '--api-key', self::API_KEY, '--warehouse', '1' );
		$log            = getenv( 'KCS_TEST_TMP' ) . '/emulator.log';
		self::$emulator = proc_open( $cmd, array( 0 => array( 'pipe', 'r' ), 1 => array( 'file', $log, 'a' ), 2 => array( 'file', $log, 'a' ) ), $pipes, $root );
		$until          = microtime( true ) + 60;
		while ( microtime( true ) < $until ) {
			$r = wp_remote_get( self::$base . '/__emulator/stats', array( 'timeout' => 2 ) );
			if ( ! is_wp_error( $r ) && 200 === wp_remote_retrieve_response_code( $r ) ) {
				return;
			}
			usleep( 200000 );
		}
		self::fail( 'the keyCRM emulator did not start: ' . (string) file_get_contents( $log ) );
	}

	/**
	 * Stops the emulator.
	 */
	public static function tearDownAfterClass(): void {
		if ( is_resource( self::$emulator ) ) {
			proc_terminate( self::$emulator );
			proc_close( self::$emulator );
		}
		self::$emulator = null;
	}

	/**
	 * POST/GET an emulator control endpoint.
	 *
	 * @param string     $name Endpoint after /__emulator/.
	 * @param array|null $body POST body (null: GET, except reset).
	 * @return array<string, mixed>
	 */
	private static function control( string $name, ?array $body = null ): array {
		$args = array( 'timeout' => 10 );
		if ( null !== $body || 'reset' === $name ) {
			$args['method']  = 'POST';
			$args['headers'] = array( 'Content-Type' => 'application/json' );
			$args['body']    = wp_json_encode( empty( $body ) ? new \stdClass() : $body );
		}
		$r = wp_remote_request( self::$base . '/__emulator/' . $name, $args );
		self::assertFalse( is_wp_error( $r ), is_wp_error( $r ) ? $r->get_error_message() : '' );
		return json_decode( wp_remote_retrieve_body( $r ), true );
	}
}
