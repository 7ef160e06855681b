<?php
/**
 * Admin routes: GET /status, GET /items, POST /items/retry, POST /resync, GET /problems.
 *
 * @package KeyCrmSync
 */

declare( strict_types=1 );

namespace KeyCrmSync\Rest;

use KeyCrmSync\Exception\StorageFailed;
use KeyCrmSync\Http\Routes;
use KeyCrmSync\Outbox\OutboxReader;
use KeyCrmSync\Outbox\Resync;
use KeyCrmSync\Problems\ProblemFinder;
use KeyCrmSync\Settings\Heartbeat;
use KeyCrmSync\Settings\Settings;
use KeyCrmSync\Status\StatusReport;

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
		$page = Routes::paging();
		Routes::admin( '/status', 'GET', array( $this, 'status' ) );
		Routes::admin(
			'/items',
			'GET',
			array( $this, 'items' ),
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
		Routes::admin(
			'/items/retry',
			'POST',
			array( $this, 'retry' ),
			array(
				'skus' => array(
					'type'     => 'array',
					'maxItems' => 1000,
					'items'    => array( 'type' => 'string' ),
				),
			)
		);
		Routes::admin( '/resync', 'POST', array( $this, 'resync' ) );
		Routes::admin( '/problems', 'GET', array( $this, 'problems' ), $page );
	}

	/**
	 * GET /status.
	 */
	public function status(): \WP_REST_Response {
		$report = new StatusReport( $this->reader, $this->resync, $this->problems, $this->settings, $this->heartbeat );
		return new \WP_REST_Response( $report->build() );
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
}
