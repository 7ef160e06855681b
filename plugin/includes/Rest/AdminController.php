<?php
/**
 * Admin routes: GET /status, GET /items, POST /items/retry, POST /resync, GET /problems.
 *
 * @package KeyCrmSync
 */

declare( strict_types=1 );

namespace KeyCrmSync\Rest;

use KeyCrmSync\Exception\StorageFailed;
use KeyCrmSync\Infrastructure\Clock;
use KeyCrmSync\Outbox\OutboxReader;
use KeyCrmSync\Outbox\Resync;
use KeyCrmSync\Problems\ProblemFinder;
use KeyCrmSync\Settings\Heartbeat;
use KeyCrmSync\Settings\Settings;

/**
 * What the admin screens read and the two actions they trigger.
 */
final class AdminController {

	/**
	 * Constructor.
	 *
	 * @param OutboxReader  $reader    Outbox reads.
	 * @param Resync        $resync    Resync all.
	 * @param ProblemFinder $problems  SKU problems.
	 * @param Settings      $settings  Settings.
	 * @param Heartbeat     $heartbeat Sender heartbeat.
	 */
	public function __construct( private OutboxReader $reader, private Resync $resync, private ProblemFinder $problems, private Settings $settings, private Heartbeat $heartbeat ) {
	}

	/**
	 * Registers the routes.
	 */
	public function register_routes(): void {
		$page = array(
			'page'     => array(
				'type'    => 'integer',
				'minimum' => 1,
				'default' => 1,
			),
			'per_page' => array(
				'type'    => 'integer',
				'minimum' => 1,
				'maximum' => 100,
				'default' => 20,
			),
		);
		$this->route( '/status', 'GET', 'status', array() );
		$this->route(
			'/items',
			'GET',
			'items',
			$page + array(
				'search' => array(
					'type'      => 'string',
					'maxLength' => 255,
					'default'   => '',
				),
				'state'  => array(
					'type' => 'string',
					'enum' => OutboxReader::STATES,
				),
			)
		);
		$this->route(
			'/items/retry',
			'POST',
			'retry',
			array(
				'skus' => array(
					'type'     => 'array',
					'maxItems' => 1000,
					'items'    => array( 'type' => 'string' ),
				),
			)
		);
		$this->route( '/resync', 'POST', 'resync', array() );
		$this->route( '/problems', 'GET', 'problems', $page );
	}

	/**
	 * GET /status.
	 */
	public function status(): \WP_REST_Response {
		$counts = $this->reader->counts();
		$oldest = $counts['oldest_pending_at'];
		return new \WP_REST_Response(
			$counts + array(
				'oldest_pending_age_seconds' => null === $oldest ? null : max( 0, Clock::now() - (int) strtotime( $oldest ) ),
				'resync'                     => $this->resync->progress(),
				'sender'                     => $this->heartbeat->status(),
				'problems'                   => $this->problems->count(),
				'settings_complete'          => $this->settings->complete(),
			)
		);
	}

	/**
	 * GET /items.
	 *
	 * @param \WP_REST_Request $request Request.
	 */
	public function items( \WP_REST_Request $request ): \WP_REST_Response {
		$per_page = (int) $request['per_page'];
		$page     = (int) $request['page'];
		$state    = $request['state'];
		$result   = $this->reader->page( (string) $request['search'], is_string( $state ) ? $state : null, $page, $per_page );
		return new \WP_REST_Response(
			array(
				'items'       => array_map( array( ItemFormatter::class, 'format' ), $result['rows'] ),
				'total'       => $result['total'],
				'page'        => $page,
				'per_page'    => $per_page,
				'total_pages' => (int) ceil( $result['total'] / $per_page ),
			)
		);
	}

	/**
	 * POST /items/retry.
	 *
	 * @param \WP_REST_Request $request Request.
	 */
	public function retry( \WP_REST_Request $request ): \WP_REST_Response {
		$skus = $request['skus'];
		return new \WP_REST_Response( array( 'retried' => $this->reader->retry( is_array( $skus ) ? array_map( 'strval', $skus ) : null ) ) );
	}

	/**
	 * POST /resync.
	 *
	 * @return \WP_REST_Response|\WP_Error
	 */
	public function resync() {
		try {
			return new \WP_REST_Response( $this->resync->run() );
		} catch ( StorageFailed $e ) {
			return RestRoutes::storage_error( $e );
		}
	}

	/**
	 * GET /problems.
	 *
	 * @param \WP_REST_Request $request Request.
	 */
	public function problems( \WP_REST_Request $request ): \WP_REST_Response {
		$page     = (int) $request['page'];
		$per_page = (int) $request['per_page'];
		return new \WP_REST_Response(
			$this->problems->page( $page, $per_page ) + array(
				'page'     => $page,
				'per_page' => $per_page,
			)
		);
	}

	/**
	 * Registers one admin route.
	 *
	 * @param string                              $path    Route.
	 * @param string                              $method  HTTP method.
	 * @param string                              $handler Method of this class.
	 * @param array<string, array<string, mixed>> $args    Args schema.
	 */
	private function route( string $path, string $method, string $handler, array $args ): void {
		register_rest_route(
			RestRoutes::NAMESPACE,
			$path,
			array(
				'methods'             => $method,
				'callback'            => array( $this, $handler ),
				'permission_callback' => array( Permissions::class, 'admin' ),
				'args'                => $args,
			)
		);
	}
}
