<?php
/**
 * Where keyCRM's API is, and one authenticated read from it.
 *
 * @package KeyCrmSync
 */

declare( strict_types=1 );

namespace KeyCrmSync\Infrastructure;

/**
 * keyCRM's API root is https://openapi.keycrm.app/v1 unless the PHP constant KEYCRM_SYNC_API_URL
 * (wp-config.php or an mu-plugin) names another one, such as the emulator of the tests and demo.
 */
final class KeyCrmApi {

	/** keyCRM's public API root. */
	public const DEFAULT_ROOT = 'https://openapi.keycrm.app/v1';

	/**
	 * The API root without a trailing slash.
	 */
	public static function root(): string {
		$root = defined( 'KEYCRM_SYNC_API_URL' ) ? (string) constant( 'KEYCRM_SYNC_API_URL' ) : '';
		return rtrim( '' !== $root ? $root : self::DEFAULT_ROOT, '/' );
	}

	/**
	 * GET a path with the API key.
	 *
	 * @param string $path    Path below the root, e.g. /offers?limit=1.
	 * @param string $api_key keyCRM API key.
	 * @return array{status:int, body:mixed, error:string|null} HTTP status (0 when none), decoded JSON body, transport error.
	 */
	public static function get( string $path, string $api_key ): array {
		$response = wp_remote_get(
			self::root() . $path,
			array(
				'timeout' => 15,
				'headers' => array(
					'Authorization' => 'Bearer ' . $api_key,
					'Accept'        => 'application/json',
				),
			)
		);
		if ( is_wp_error( $response ) ) {
			return array(
				'status' => 0,
				'body'   => null,
				'error'  => $response->get_error_message(),
			);
		}
		return array(
			'status' => (int) wp_remote_retrieve_response_code( $response ),
			'body'   => json_decode( (string) wp_remote_retrieve_body( $response ), true ),
			'error'  => null,
		);
	}
}
