<?php
/**
 * POST /worker/claim and POST /worker/ack (the sender's routes).
 *
 * @package KeyCrmSync
 */

declare( strict_types=1 );

namespace KeyCrmSync\Rest;

use KeyCrmSync\Exception\StorageFailed;
use KeyCrmSync\Http\Permissions;
use KeyCrmSync\Infrastructure\Dates;
use KeyCrmSync\Outbox\OutboxQueue;
use KeyCrmSync\Runner\Runner;
use KeyCrmSync\Settings\Heartbeat;
use KeyCrmSync\Settings\Settings;
use KeyCrmSync\Snapshot\CategoryPath;
use KeyCrmSync\Snapshot\ItemSnapshot;

/**
 * Claim hands out leased SKUs with their current values and the sender's settings; ack records
 * per-SKU outcomes.
 */
final class WorkerController {

	/**
	 * Constructor.
	 *
	 * @param OutboxQueue  $queue     Claim/ack.
	 * @param ItemSnapshot $snapshots Values at claim time.
	 * @param Settings     $settings  Settings.
	 * @param Heartbeat    $heartbeat Sender heartbeat.
	 */
	public function __construct( private OutboxQueue $queue, private ItemSnapshot $snapshots, private Settings $settings, private Heartbeat $heartbeat ) {
	}

	/**
	 * Registers the routes.
	 */
	public function register_routes(): void {
		register_rest_route(
			RestRoutes::NAMESPACE,
			'/worker/claim',
			array(
				'methods'             => 'POST',
				'callback'            => array( $this, 'claim' ),
				'permission_callback' => array( Permissions::class, 'sender' ),
				'args'                => WorkerSchema::claim_args(),
			)
		);
		register_rest_route(
			RestRoutes::NAMESPACE,
			'/worker/ack',
			array(
				'methods'             => 'POST',
				'callback'            => array( $this, 'ack' ),
				'permission_callback' => array( Permissions::class, 'sender' ),
				'args'                => WorkerSchema::ack_args(),
			)
		);
	}

	/**
	 * POST /worker/claim.
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public function claim( \WP_REST_Request $request ) {
		$beat = $request->get_param( 'heartbeat' );
		$this->heartbeat->record( (string) ( $request->get_param( 'worker_id' ) ?? '' ), is_array( $beat ) ? $beat : array() );
		try {
			\KeyCrmSync\Outbox\NeedsResync::act( new \KeyCrmSync\Outbox\Resync() );
			if ( Runner::running() ) {
				// The runner inside WordPress is sending: it stops before its next batch (it sees
				// the heartbeat just recorded); until then this sender gets nothing, so the two
				// never send at once.
				return new \WP_REST_Response(
					array(
						'lease_token'      => null,
						'lease_expires_at' => null,
						'settings'         => $this->settings->sender(),
						'items'            => array(),
						'backlog'          => $this->queue->backlog(),
					)
				);
			}
			$claim = $this->queue->claim( (int) ( $request->get_param( 'limit' ) ?? 500 ), (int) ( $request->get_param( 'lease_seconds' ) ?? 300 ), (bool) $request->get_param( 'live_only' ) );
			$items = $this->snapshots->for_rows_encoded( $claim['rows'] );
			unset( $claim['rows'] );
			if ( array() !== $items['unencodable'] ) {
				// Recorded as these SKUs' failures (attempts, backoff, reason); the rest is sent.
				$this->queue->ack( (string) $claim['token'], $items['unencodable'], (int) $this->settings->get( 'max_attempts' ) );
			}
			$backlog = $this->queue->backlog();
		} catch ( StorageFailed $e ) {
			return RestRoutes::storage_error( $e );
		}
		return new \WP_REST_Response(
			array(
				'lease_token'      => $claim['token'],
				'lease_expires_at' => Dates::iso( $claim['expires_at'] ),
				'settings'         => $this->settings->sender(),
				'items'            => $items['items'],
				'backlog'          => $backlog,
			)
		);
	}

	/**
	 * POST /worker/ack.
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public function ack( \WP_REST_Request $request ) {
		$results = $request->get_param( 'results' );
		foreach ( (array) $request->get_param( 'categories' ) as $c ) {
			CategoryPath::remember( (int) $c['term_id'], (int) $c['keycrm_id'], (string) $c['name'], isset( $c['parent_keycrm_id'] ) ? (int) $c['parent_keycrm_id'] : null );
		}
		try {
			$counts = $this->queue->ack( (string) $request->get_param( 'lease_token' ), is_array( $results ) ? array_values( $results ) : array(), (int) $this->settings->get( 'max_attempts' ) );
		} catch ( StorageFailed $e ) {
			return RestRoutes::storage_error( $e );
		}
		return new \WP_REST_Response( $counts );
	}
}
