<?php
/**
 * POST /keycrm-sync/v1/webhook/stock?secret=…: keyCRM's stock webhook.
 *
 * @package KeyCrmSync
 */

declare( strict_types=1 );

namespace KeyCrmSync\StockSource;

use KeyCrmSync\Settings\Settings;

/**
 * A public route (keyCRM cannot log in); the permission is the secret in the query string,
 * compared in constant time (a wrong one is answered 403). The body is validated whole before anything is stored, stored
 * before it is applied, and applied at once when small (keyCRM's usual few items) or by WP-Cron
 * when large, so keyCRM gets its answer quickly either way.
 */
final class WebhookController {

	/**
	 * Payloads up to this many items are applied within the request (measured on a 2-core host
	 * under load: 1 item 0.4 s, 25 items 1.3 s, 200 items 6.9 s); larger ones by WP-Cron.
	 */
	public const INLINE_ITEMS = 50;

	/**
	 * @param StockReceiver $receiver Store-then-apply.
	 * @param Settings      $settings Settings (secret, stock source).
	 */
	public function __construct( private StockReceiver $receiver, private Settings $settings ) {
	}

	/**
	 * Registers the route.
	 */
	public function register_routes(): void {
		register_rest_route(
			'keycrm-sync/v1',
			'/webhook/stock',
			array(
				'methods'             => 'POST',
				'callback'            => array( $this, 'receive' ),
				'permission_callback' => array( $this, 'check_secret' ),
				// No 'args': the secret is read from the query string by check_secret(), and with
				// args declared WordPress walks the JSON body as parameters (a PHP warning for a
				// body that is a bare number or string).
			)
		);
	}

	/**
	 * Permission: the `secret` query parameter equals the stored secret (constant-time compare).
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return true|\WP_Error
	 */
	public function check_secret( \WP_REST_Request $request ) {
		$expected = $this->settings->webhook_secret();
		$given    = $request->get_query_params()['secret'] ?? '';
		if ( '' === $expected || ! is_string( $given ) || ! hash_equals( $expected, $given ) ) {
			return new \WP_Error( 'keycrm_sync_bad_secret', 'Missing or wrong webhook secret.', array( 'status' => 403 ) );
		}
		return true;
	}

	/**
	 * Validates, stores and applies a payload.
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public function receive( \WP_REST_Request $request ) {
		if ( 'keycrm' !== $this->settings->get( 'stock_source' ) ) {
			return new \WP_Error(
				'keycrm_sync_not_stock_source',
				'This shop is the source of stock (setting "stock source of truth" is WooCommerce); the keyCRM stock webhook is not applied.',
				array( 'status' => 409 )
			);
		}
		try {
			$updates = StockPayload::from_json( $request->get_body(), $skipped );
		} catch ( InvalidStockPayload $e ) {
			return new \WP_Error( $e->error_code, $e->getMessage(), array( 'status' => $e->status ) );
		}
		try {
			if ( count( $updates ) > self::INLINE_ITEMS ) {
				$this->receiver->receive_later( 'webhook', $updates );
				return new \WP_REST_Response( self::body( count( $updates ), (int) $skipped, true ), 202 );
			}
			$done = $this->receiver->receive_and_apply( 'webhook', $updates );
		} catch ( \RuntimeException $e ) {
			// The database's own words stay in the log: the caller is not a user of this site.
			error_log( 'keyCRM Sync stock webhook: ' . $e->getMessage() ); // phpcs:ignore WordPress.PHP.DevelopmentFunctions.error_log_error_log -- the reason must be findable by the shop's admin.
			return new \WP_Error( 'keycrm_sync_stock_not_applied', 'The stock update could not be stored; try again later.', array( 'status' => 500 ) );
		}
		return new \WP_REST_Response( self::body( count( $updates ), (int) $skipped, $done['queued'] ), $done['queued'] ? 202 : 200 );
	}

	/**
	 * Response body: counts of what was received only, never what the shop made of it (which
	 * SKUs it has, manages or ignored), so the answer tells a caller nothing about the catalogue;
	 * those outcomes are on the Stock from keyCRM screen.
	 *
	 * @param int  $items   Items accepted (one per SKU).
	 * @param int  $skipped Items skipped for having no usable SKU.
	 * @param bool $queued  Stored to be applied later by WP-Cron.
	 * @return array{accepted: true, items: int, skipped: int, queued: bool}
	 */
	private static function body( int $items, int $skipped, bool $queued ): array {
		return array(
			'accepted' => true,
			'items'    => $items,
			'skipped'  => $skipped,
			'queued'   => $queued,
		);
	}
}
