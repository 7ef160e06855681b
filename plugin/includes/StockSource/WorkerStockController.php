<?php
/**
 * Sender routes of the stock pull: /worker/stock-pull and /worker/stock-apply.
 *
 * @package KeyCrmSync
 */

declare( strict_types=1 );

namespace KeyCrmSync\StockSource;

use KeyCrmSync\Infrastructure\Clock;
use KeyCrmSync\Http\Permissions;

/**
 * Application-password requests only (like every /worker route):
 *
 * - GET  /worker/stock-pull: is a pull due (interval or "Pull stock now"), mode and last result;
 * - POST /worker/stock-pull: `{event: "start"}` or `{event: "finish", complete, …counts}`; a
 *   complete scan forgets unknown/unmanaged/drift SKUs it no longer saw;
 * - POST /worker/stock-apply: `{items: [{sku, offer_id?, in_stock, in_reserve}]}` (≤ MAX_ITEMS),
 *   stored then applied (keyCRM mode) or compared (WooCommerce mode), per-SKU outcomes returned.
 */
final class WorkerStockController {

	/** Items per stock-apply request. */
	public const MAX_ITEMS = 1000;

	/**
	 * @param StockReceiver       $receiver Store-then-apply.
	 * @param PullSchedule        $schedule Pull state.
	 * @param RemoteStockRegistry $registry Unknown / drift list.
	 */
	public function __construct(
		private StockReceiver $receiver,
		private PullSchedule $schedule,
		private RemoteStockRegistry $registry
	) {
	}

	/**
	 * Registers the routes.
	 */
	public function register_routes(): void {
		$permission = array( Permissions::class, 'sender' );
		register_rest_route(
			'keycrm-sync/v1',
			'/worker/stock-pull',
			array(
				array(
					'methods'             => 'GET',
					'callback'            => array( $this, 'get_pull' ),
					'permission_callback' => $permission,
				),
				array(
					'methods'             => 'POST',
					'callback'            => array( $this, 'post_pull' ),
					'permission_callback' => $permission,
					'args'                => array(
						'event'    => array(
							'type'     => 'string',
							'enum'     => array( 'start', 'finish' ),
							'required' => true,
						),
						'complete' => array( 'type' => 'boolean' ),
						'pages'    => array(
							'type'    => 'integer',
							'minimum' => 0,
						),
						'scanned'  => array(
							'type'    => 'integer',
							'minimum' => 0,
						),
						'counts'   => array( 'type' => 'object' ),
						'error'    => array(
							'type'      => array( 'string', 'null' ),
							'maxLength' => 1000,
						),
					),
				),
			)
		);
		register_rest_route(
			'keycrm-sync/v1',
			'/worker/stock-apply',
			array(
				'methods'             => 'POST',
				'callback'            => array( $this, 'apply' ),
				'permission_callback' => $permission,
			)
		);
	}

	/**
	 * GET /worker/stock-pull.
	 */
	public function get_pull(): \WP_REST_Response {
		return new \WP_REST_Response( $this->schedule->to_response( Clock::now() ), 200 );
	}

	/**
	 * POST /worker/stock-pull.
	 *
	 * @param \WP_REST_Request $request Request.
	 */
	public function post_pull( \WP_REST_Request $request ): \WP_REST_Response {
		$now = Clock::now();
		if ( 'start' === $request['event'] ) {
			$this->schedule->start( $now );
			return new \WP_REST_Response( $this->schedule->to_response( $now ), 200 );
		}
		$started  = $this->schedule->state()['last_started_at'];
		$complete = true === $request['complete'] && null === $request['error'];
		$result   = array(
			'complete' => $complete,
			'pages'    => (int) $request['pages'],
			'scanned'  => (int) $request['scanned'],
			'counts'   => is_array( $request['counts'] ) ? array_map( 'intval', $request['counts'] ) : array(),
			'error'    => is_string( $request['error'] ) ? $request['error'] : null,
		);
		if ( $complete && null !== $started ) {
			// A full scan that did not see a SKU again: it is gone from keyCRM or fixed.
			$since = gmdate( 'Y-m-d H:i:s', $started );
			foreach ( RemoteStockRegistry::KINDS as $kind ) {
				$this->registry->forget_not_seen_since( $kind, $since );
			}
		}
		$this->schedule->finish( $now, $result );
		return new \WP_REST_Response( $this->schedule->to_response( $now ), 200 );
	}

	/**
	 * POST /worker/stock-apply.
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public function apply( \WP_REST_Request $request ) {
		$json  = $request->get_json_params();
		$items = is_array( $json ) ? ( $json['items'] ?? null ) : null;
		if ( is_array( $items ) && count( $items ) > self::MAX_ITEMS ) {
			return new \WP_Error( 'keycrm_sync_too_many_items', sprintf( 'At most %d items per request.', self::MAX_ITEMS ), array( 'status' => 413 ) );
		}
		try {
			$updates = StockPayload::from_array( $items, $skipped );
			$done    = $this->receiver->receive_and_apply( 'pull', $updates );
		} catch ( InvalidStockPayload $e ) {
			return new \WP_Error( $e->error_code, $e->getMessage(), array( 'status' => $e->status ) );
		} catch ( \RuntimeException $e ) {
			error_log( 'keyCRM Sync stock apply: ' . $e->getMessage() ); // phpcs:ignore WordPress.PHP.DevelopmentFunctions.error_log_error_log -- the database's words go to the log, not the response.
			return new \WP_Error( 'keycrm_sync_stock_not_stored', 'The stock batch could not be stored; see the PHP error log.', array( 'status' => 500 ) );
		}
		return new \WP_REST_Response(
			array(
				'stock_source' => $done['stock_source'],
				'queued'       => $done['queued'],
				'results'      => $done['results'],
				'counts'       => (object) ( array( 'skipped' => $skipped ) + $done['counts'] ),
			),
			200
		);
	}
}
