<?php
/**
 * Admin routes of the stock-source mode: status, "Pull stock now", unknown and drift lists.
 *
 * @package KeyCrmSync
 */

declare( strict_types=1 );

namespace KeyCrmSync\StockSource;

use KeyCrmSync\Http\Routes;
use KeyCrmSync\Infrastructure\Clock;
use KeyCrmSync\Infrastructure\Dates;
use KeyCrmSync\Outbox\ChangeMask;
use KeyCrmSync\Outbox\OutboxWriter;

/**
 * Routes for the admin UI (capability manage_woocommerce; cookie requests carry the REST nonce):
 *
 * - GET  /stock-source/status
 * - POST /stock-source/pull-now
 * - GET  /stock-source/unknown?kind=unknown|unmanaged&page&per_page&search
 * - GET  /stock-source/drift?page&per_page&search
 * - POST /stock-source/drift/requeue {skus?}: marks the shop's stock of those SKUs (all drifted
 *   SKUs when absent) to be pushed again.
 */
final class AdminStockController {

	/**
	 * @param PullSchedule        $schedule Pull state.
	 * @param RemoteStockRegistry $registry Unknown / drift list.
	 * @param StockInbox          $inbox    Inbox (counts).
	 * @param OutboxWriter        $outbox   Marks SKUs dirty for a re-push.
	 */
	public function __construct(
		private PullSchedule $schedule,
		private RemoteStockRegistry $registry,
		private StockInbox $inbox,
		private OutboxWriter $outbox
	) {
	}

	/**
	 * Registers the routes.
	 */
	public function register_routes(): void {
		$list = Routes::paging() + array(
			'search' => array(
				'type'      => 'string',
				'default'   => '',
				'maxLength' => 255,
			),
		);
		Routes::admin( '/stock-source/status', 'GET', array( $this, 'status' ) );
		Routes::admin( '/stock-source/pull-now', 'POST', array( $this, 'pull_now' ) );
		Routes::admin(
			'/stock-source/unknown',
			'GET',
			array( $this, 'unknown' ),
			$list + array(
				'kind' => array(
					'type'    => 'string',
					'enum'    => array( 'unknown', 'unmanaged' ),
					'default' => 'unknown',
				),
			)
		);
		Routes::admin( '/stock-source/drift', 'GET', array( $this, 'drift' ), $list );
		Routes::admin(
			'/stock-source/drift/requeue',
			'POST',
			array( $this, 'requeue' ),
			array(
				'skus' => array(
					'type'     => 'array',
					'items'    => array( 'type' => 'string' ),
					'maxItems' => 1000,
				),
			)
		);
	}

	/**
	 * GET /stock-source/status.
	 */
	public function status(): \WP_REST_Response {
		return new \WP_REST_Response(
			array(
				'pull'   => $this->schedule->to_response( Clock::now() ),
				'inbox'  => $this->inbox->counts() + array( 'oldest_pending' => $this->inbox->oldest_pending( Clock::now() ) ),
				'counts' => $this->registry->counts(),
			),
			200
		);
	}

	/**
	 * POST /stock-source/pull-now.
	 */
	public function pull_now(): \WP_REST_Response {
		$this->schedule->request( Clock::now() );
		return new \WP_REST_Response( $this->schedule->to_response( Clock::now() ), 200 );
	}

	/**
	 * GET /stock-source/unknown.
	 *
	 * @param \WP_REST_Request $request Request.
	 */
	public function unknown( \WP_REST_Request $request ): \WP_REST_Response {
		return $this->page( (string) $request['kind'], $request );
	}

	/**
	 * GET /stock-source/drift.
	 *
	 * @param \WP_REST_Request $request Request.
	 */
	public function drift( \WP_REST_Request $request ): \WP_REST_Response {
		return $this->page( 'drift', $request );
	}

	/**
	 * POST /stock-source/drift/requeue.
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public function requeue( \WP_REST_Request $request ) {
		$wanted = is_array( $request['skus'] ) ? array_fill_keys( array_map( 'strval', $request['skus'] ), true ) : null;
		$marks  = array();
		$page   = 1;
		do {
			$chunk = $this->registry->page( 'drift', $page++, 100 );
			$rows  = count( $chunk['rows'] );
			foreach ( $chunk['rows'] as $row ) {
				$sku = (string) $row['sku'];
				if ( null === $wanted || isset( $wanted[ $sku ] ) ) {
					$marks[ $sku ] = array(
						'sku'        => $sku,
						'mask'       => ChangeMask::STOCK,
						'product_id' => (int) $row['product_id'],
					);
				}
			}
		} while ( 100 === $rows );
		try {
			$this->outbox->write( array_values( $marks ) );
		} catch ( \RuntimeException $e ) {
			return new \WP_Error( 'keycrm_sync_requeue_failed', $e->getMessage(), array( 'status' => 500 ) );
		}
		foreach ( array_keys( $marks ) as $sku ) {
			$this->registry->forget( array( 'drift' ), (string) $sku );
		}
		return new \WP_REST_Response( array( 'requeued' => count( $marks ) ), 200 );
	}

	/**
	 * One page of a kind.
	 *
	 * @param string           $kind    Kind.
	 * @param \WP_REST_Request $request Request.
	 */
	private function page( string $kind, \WP_REST_Request $request ): \WP_REST_Response {
		$page     = (int) $request['page'];
		$per_page = (int) $request['per_page'];
		$result   = $this->registry->page( $kind, $page, $per_page, (string) $request['search'] );
		return new \WP_REST_Response(
			array(
				'items'    => array_map( array( self::class, 'item' ), $result['rows'] ),
				'total'    => $result['total'],
				'page'     => $page,
				'per_page' => $per_page,
			),
			200
		);
	}

	/**
	 * One row as the REST API returns it.
	 *
	 * @param array<string, mixed> $row Table row.
	 * @return array<string, mixed>
	 */
	private static function item( array $row ): array {
		$product_id = null === $row['product_id'] ? null : (int) $row['product_id'];
		$num        = static fn( $v ) => null === $v ? null : (float) $v;
		return array(
			'kind'              => (string) $row['kind'],
			'sku'               => (string) $row['sku'],
			'offer_id'          => null === $row['offer_id'] ? null : (int) $row['offer_id'],
			'product_id'        => $product_id,
			'edit_url'          => null === $product_id ? null : get_edit_post_link( self::editable_id( $product_id ), 'raw' ),
			'keycrm_in_stock'   => $num( $row['keycrm_in_stock'] ),
			'keycrm_in_reserve' => $num( $row['keycrm_in_reserve'] ),
			'shop_stock'        => $num( $row['shop_stock'] ),
			'first_seen_at'     => Dates::iso( (string) $row['first_seen_at'] ),
			'last_seen_at'      => Dates::iso( (string) $row['last_seen_at'] ),
			'seen_count'        => (int) $row['seen_count'],
		);
	}

	/**
	 * The product whose edit screen shows an item: a variation's variable product, else itself.
	 *
	 * @param int $product_id Product or variation id.
	 */
	private static function editable_id( int $product_id ): int {
		$parent = (int) wp_get_post_parent_id( $product_id );
		return $parent > 0 ? $parent : $product_id;
	}
}
