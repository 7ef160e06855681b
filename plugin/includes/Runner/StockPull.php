<?php
/**
 * The periodic keyCRM stock pull inside WordPress (the PHP twin of src/pull/run-stock-pull.ts).
 *
 * @package KeyCrmSync
 */

declare( strict_types=1 );

namespace KeyCrmSync\Runner;

use KeyCrmSync\KeyCrm\Client;
use KeyCrmSync\KeyCrm\KeyCrmError;
use KeyCrmSync\Settings\Settings;
use KeyCrmSync\StockSource\PullSchedule;
use KeyCrmSync\StockSource\RemoteStockRegistry;
use KeyCrmSync\StockSource\StockPayload;
use KeyCrmSync\StockSource\StockReceiver;

/**
 * Pages through GET /offers/stocks (the configured warehouse's numbers) and applies every page
 * through the same StockReceiver as the sender's POST /worker/stock-apply: in keyCRM mode the
 * shop's stock follows keyCRM, in WooCommerce mode the scan lists drift. The pull is due by the
 * same PullSchedule as the sender's (interval, or "Pull stock now"); it spans as many runs as it
 * needs, its place kept in an option, and takes its requests from the same rate budget.
 */
final class StockPull {

	/** Where an unfinished pull stands (not autoloaded). */
	public const CURSOR_OPTION = 'keycrm_sync_pull_cursor';

	/**
	 * Constructor.
	 *
	 * @param Settings            $settings Settings.
	 * @param PullSchedule        $schedule When a pull is due.
	 * @param StockReceiver       $receiver Store-then-apply.
	 * @param RemoteStockRegistry $registry Unknown / drift lists.
	 */
	public function __construct( private Settings $settings, private PullSchedule $schedule, private StockReceiver $receiver, private RemoteStockRegistry $registry ) {
	}

	/**
	 * Whether a pull is under way (its next page waits).
	 */
	public function active(): bool {
		return is_array( get_option( self::CURSOR_OPTION ) );
	}

	/**
	 * Starts a due pull or continues one, until $deadline.
	 *
	 * @param Client $client   keyCRM client.
	 * @param float  $deadline Unix time to stop.
	 * @return string idle (nothing due), done (finished), more (continues in the next run), rate (keyCRM or the budget asks to wait).
	 */
	public function step( Client $client, float $deadline ): string {
		$cursor = get_option( self::CURSOR_OPTION );
		if ( ! is_array( $cursor ) ) {
			if ( ! $this->schedule->due( time() )['due'] ) {
				return 'idle';
			}
			$this->schedule->start( time() );
			$cursor = array(
				'page'    => 1,
				'pages'   => 0,
				'scanned' => 0,
				'counts'  => array(),
			);
			update_option( self::CURSOR_OPTION, $cursor, false );
		}
		$warehouse = $this->settings->get( 'warehouse_id' );
		$warehouse = null === $warehouse ? null : (int) $warehouse;
		while ( microtime( true ) < $deadline - 1 ) {
			$client->set_max_wait( min( 5000, ( $deadline - 1 - microtime( true ) ) * 1000 ) );
			try {
				$page = $client->list_stocks( (int) $cursor['page'], null !== $warehouse );
				$rows = array();
				foreach ( $page['data'] as $row ) {
					$numbers = self::numbers( $row, $warehouse );
					if ( null !== $numbers ) {
						$rows[] = $numbers;
					}
				}
				if ( array() !== $rows ) {
					$done = $this->receiver->receive_and_apply( 'pull', StockPayload::from_array( $rows ) );
					foreach ( $done['counts'] as $outcome => $n ) {
						$cursor['counts'][ $outcome ] = (int) ( $cursor['counts'][ $outcome ] ?? 0 ) + (int) $n;
					}
				}
			} catch ( KeyCrmError $e ) {
				if ( in_array( $e->kind, array( 'rate', 'budget' ), true ) ) {
					update_option( self::CURSOR_OPTION, $cursor, false );
					return 'rate';
				}
				$this->finish( $cursor, false, $e->getMessage() );
				return 'done';
			}
			++$cursor['pages'];
			$cursor['scanned'] += count( $rows );
			if ( array() === $page['data'] || (int) $cursor['page'] >= $page['last_page'] ) {
				$this->finish( $cursor, true, null );
				return 'done';
			}
			++$cursor['page'];
			update_option( self::CURSOR_OPTION, $cursor, false );
		}
		return 'more';
	}

	/**
	 * Records the end of a pull, as the sender's POST /worker/stock-pull `finish` does.
	 *
	 * @param array<string, mixed> $cursor   Cursor.
	 * @param bool                 $complete Every page was read.
	 * @param string|null          $error    Error.
	 */
	private function finish( array $cursor, bool $complete, ?string $error ): void {
		$started = $this->schedule->state()['last_started_at'];
		if ( $complete && null !== $started ) {
			// A full scan that did not see a SKU again: it is gone from keyCRM or fixed.
			$since = gmdate( 'Y-m-d H:i:s', $started );
			foreach ( RemoteStockRegistry::KINDS as $kind ) {
				$this->registry->forget_not_seen_since( $kind, $since );
			}
		}
		$this->schedule->finish(
			time(),
			array(
				'complete' => $complete,
				'pages'    => (int) $cursor['pages'],
				'scanned'  => (int) $cursor['scanned'],
				'counts'   => array_map( 'intval', (array) $cursor['counts'] ),
				'error'    => null === $error ? null : substr( $error, 0, 1000 ),
			)
		);
		delete_option( self::CURSOR_OPTION );
	}

	/**
	 * One offer's numbers from a stock row, in the webhook's shape (src/pull/warehouse-stock.ts):
	 * the warehouse's, 0 when the offer is absent from it, or the totals when none is configured.
	 *
	 * @param array<string, mixed> $row       Stock row.
	 * @param int|null             $warehouse Warehouse id.
	 * @return array<string, mixed>|null
	 */
	public static function numbers( array $row, ?int $warehouse ): ?array {
		$sku = isset( $row['sku'] ) ? (string) $row['sku'] : '';
		if ( '' === $sku ) {
			return null;
		}
		if ( null === $warehouse ) {
			return array(
				'sku'        => $sku,
				'offer_id'   => (int) $row['id'],
				'in_stock'   => $row['quantity'] ?? 0,
				'in_reserve' => $row['reserve'] ?? 0,
			);
		}
		$found = null;
		foreach ( (array) ( $row['warehouse'] ?? array() ) as $w ) {
			if ( is_array( $w ) && (int) ( $w['id'] ?? 0 ) === $warehouse ) {
				$found = $w;
				break;
			}
		}
		return array(
			'sku'        => $sku,
			'offer_id'   => (int) $row['id'],
			'in_stock'   => $found['quantity'] ?? 0,
			'in_reserve' => $found['reserve'] ?? 0,
		);
	}
}
