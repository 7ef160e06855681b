<?php
/**
 * Shared setup of the stock-source tests.
 *
 * @package KeyCrmSync\Tests
 */

namespace KeyCrmSync\Tests\StockSource;

use KeyCrmSync\Settings\Settings;
use KeyCrmSync\StockSource\PullSchedule;
use KeyCrmSync\StockSource\StockSourceSchema;
use KeyCrmSync\Tests\TestCase;

/**
 * Empty inbox and unknown/drift tables, keyCRM as the source of stock, and helpers that call the
 * plugin over real HTTP (the test site's php -S server), so request shutdown (capture flush,
 * echo guard) runs exactly as in production.
 */
abstract class StockSourceTestCase extends TestCase {

	/** Application password of user 1 (created once). */
	private static ?string $app_password = null;

	protected function setUp(): void {
		global $wpdb;
		parent::setUp();
		( new StockSourceSchema() )->maybe_install();
		$wpdb->query( 'TRUNCATE TABLE ' . StockSourceSchema::inbox_table() ); // phpcs:ignore
		$wpdb->query( 'TRUNCATE TABLE ' . StockSourceSchema::remote_table() ); // phpcs:ignore
		delete_option( PullSchedule::OPTION );
		// Restored after the test (TestCase::tearDown), so a test that runs later starts from
		// the settings it expects (the fault tests run before the runner's).
		$this->use_settings(
			array(
				'stock_source'          => 'keycrm',
				'stock_apply'           => 'available',
				'pull_interval_minutes' => 15,
				'webhook_secret'        => 'test-secret-' . str_repeat( 'x', 20 ),
			)
		);
	}

	protected function settings(): Settings {
		return new Settings();
	}

	/**
	 * Calls a route of the plugin over HTTP.
	 *
	 * @param string      $method HTTP method.
	 * @param string      $route  Route under keycrm-sync/v1 (may carry a query string).
	 * @param string|null $body   Raw body.
	 * @param string      $auth   'app' (application password) or 'none'.
	 * @return array{status: int, json: mixed, body: string}
	 */
	protected function http( string $method, string $route, ?string $body = null, string $auth = 'app' ): array {
		$headers = array( 'Content-Type' => 'application/json' );
		if ( 'app' === $auth ) {
			$headers['Authorization'] = 'Basic ' . base64_encode( 'admin:' . self::app_password() ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_encode
		}
		$response = wp_remote_request(
			self::url( $route ),
			array(
				'method'  => $method,
				'headers' => $headers,
				'body'    => $body,
				'timeout' => 60,
			)
		);
		$this->assertNotWPError( $response );
		$raw = (string) wp_remote_retrieve_body( $response );
		wp_cache_flush(); // The server changed the database behind this process's cache.
		return array(
			'status' => (int) wp_remote_retrieve_response_code( $response ),
			'json'   => json_decode( $raw, true ),
			'body'   => $raw,
		);
	}

	/**
	 * Writes a response body as a contract fixture (parsed by test/pull/stock-source-fixtures.test.ts).
	 *
	 * @param string $name Fixture name (file name without .json).
	 * @param string $raw  Raw JSON body.
	 */
	protected static function fixture( string $name, string $raw ): void {
		$dir = dirname( __DIR__, 2 ) . '/pull/fixtures';
		if ( ! is_dir( $dir ) ) {
			mkdir( $dir, 0775, true );
		}
		$pretty = wp_json_encode( json_decode( $raw ), JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE );
		file_put_contents( "$dir/$name.json", $pretty . "\n" );
	}

	/**
	 * POSTs to the stock webhook.
	 *
	 * @param mixed       $payload Payload (JSON-encoded here) or a raw string.
	 * @param string|null $secret  Secret (null: none).
	 * @return array{status: int, json: mixed, body: string}
	 */
	protected function webhook( $payload, ?string $secret ): array {
		$query = null === $secret ? '' : '?secret=' . rawurlencode( $secret );
		return $this->http( 'POST', '/webhook/stock' . $query, is_string( $payload ) ? $payload : (string) wp_json_encode( $payload ), 'none' );
	}

	/**
	 * Current stock of the product holding a SKU, read fresh.
	 *
	 * @param string $sku SKU.
	 */
	protected function stock( string $sku ): ?int {
		wp_cache_flush();
		$product = wc_get_product( wc_get_product_id_by_sku( $sku ) );
		return $product ? $product->get_stock_quantity() : null;
	}

	/**
	 * Inbox rows.
	 *
	 * @return list<array<string, string>>
	 */
	protected function inbox(): array {
		global $wpdb;
		return $wpdb->get_results( 'SELECT * FROM ' . StockSourceSchema::inbox_table() . ' ORDER BY id', ARRAY_A ); // phpcs:ignore
	}

	/**
	 * Remote-table SKUs of a kind.
	 *
	 * @param string $kind Kind.
	 * @return list<string>
	 */
	protected function remote( string $kind ): array {
		global $wpdb;
		$skus = $wpdb->get_col( $wpdb->prepare( 'SELECT sku FROM ' . StockSourceSchema::remote_table() . ' WHERE kind = %s ORDER BY sku', $kind ) ); // phpcs:ignore
		return array_map( 'strval', $skus );
	}

	/**
	 * URL of a route (plain permalinks: ?rest_route=…; the route's own query string follows).
	 *
	 * @param string $route Route with optional query string.
	 */
	private static function url( string $route ): string {
		$parts = explode( '?', $route, 2 );
		$url   = rtrim( (string) getenv( 'KCS_TEST_URL' ), '/' ) . '/?rest_route=/keycrm-sync/v1' . $parts[0];
		return isset( $parts[1] ) ? $url . '&' . $parts[1] : $url;
	}

	private static function app_password(): string {
		if ( null === self::$app_password ) {
			$created = \WP_Application_Passwords::create_new_application_password( 1, array( 'name' => 'stock-source tests ' . getmypid() ) );
			if ( is_wp_error( $created ) ) {
				throw new \RuntimeException( $created->get_error_message() );
			}
			self::$app_password = $created[0];
		}
		return self::$app_password;
	}

	/**
	 * @param mixed $actual Value.
	 */
	protected function assertNotWPError( $actual ): void {
		$this->assertFalse( is_wp_error( $actual ), is_wp_error( $actual ) ? $actual->get_error_message() : '' );
	}
}
