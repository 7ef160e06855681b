<?php
/**
 * Store-then-apply of stock batches from keyCRM (webhook) and from the sender (pull).
 *
 * @package KeyCrmSync
 */

declare( strict_types=1 );

namespace KeyCrmSync\StockSource;

use KeyCrmSync\Settings\Settings;

/**
 * Every batch is written to the inbox first; then applied (or compared, in WooCommerce mode) and
 * the inbox row marked applied. If applying throws, the row stays pending and the WP-Cron event
 * CRON_HOOK retries it, so a batch that was accepted is never lost.
 */
final class StockReceiver {

	/** WP-Cron hook that applies pending inbox rows. */
	public const CRON_HOOK = 'keycrm_sync_apply_stock_inbox';

	/** Inbox rows handled per cron run. */
	private const CRON_BATCH = 20;

	/**
	 * @param StockInbox    $inbox    The inbox.
	 * @param StockApplier  $applier  Applies or compares.
	 * @param Settings      $settings Settings (stock_source, stock_apply).
	 */
	public function __construct(
		private StockInbox $inbox,
		private StockApplier $applier,
		private Settings $settings
	) {
	}

	/**
	 * Stores a batch and applies it now.
	 *
	 * @param string            $source  'webhook' or 'pull'.
	 * @param list<StockUpdate> $updates Validated updates.
	 * @return array{inbox_id: int, queued: bool, stock_source: string, results: list<array{sku: string, outcome: string, shop_stock: int|null, keycrm_quantity: int}>, counts: array<string, int>}
	 *         `queued` is true when applying failed: the batch stays stored and WP-Cron retries it.
	 * @throws \RuntimeException When the batch cannot be stored (nothing is applied then).
	 */
	public function receive_and_apply( string $source, array $updates ): array {
		$id = $this->inbox->store( $source, $updates );
		try {
			return array(
				'inbox_id' => $id,
				'queued'   => false,
			) + $this->apply_row( $id, $updates );
		} catch ( StockApplyFailed $e ) {
			return array(
				'inbox_id'     => $id,
				'queued'       => true,
				'stock_source' => (string) $this->settings->get( 'stock_source' ),
				'results'      => array(),
				'counts'       => array(),
			);
		}
	}

	/**
	 * Stores a batch to be applied by WP-Cron (large webhook payloads: answer fast).
	 *
	 * @param string            $source  Source.
	 * @param list<StockUpdate> $updates Validated updates.
	 * @return int Inbox row id.
	 * @throws \RuntimeException When the batch cannot be stored.
	 */
	public function receive_later( string $source, array $updates ): int {
		$id = $this->inbox->store( $source, $updates );
		$this->schedule();
		if ( ! ( defined( 'DISABLE_WP_CRON' ) && DISABLE_WP_CRON ) ) {
			spawn_cron(); // Non-blocking loopback request: apply now rather than on the next visit.
		}
		return $id;
	}

	/**
	 * Applies pending inbox rows (WP-Cron callback); reschedules itself while rows remain.
	 */
	public function apply_pending(): void {
		$rows = $this->inbox->pending( self::CRON_BATCH );
		foreach ( $rows as $row ) {
			try {
				$this->apply_row( $row['id'], $row['updates'] );
			} catch ( StockApplyFailed $e ) {
				// apply_row() already recorded the failed attempt; the row is retried later.
				continue;
			}
		}
		$this->inbox->prune();
		if ( count( $rows ) === self::CRON_BATCH || $this->inbox->counts()['pending'] > 0 ) {
			$this->schedule( 60 );
		}
	}

	/**
	 * Applies one stored row and records the outcome on it.
	 *
	 * @param int               $id      Inbox row id.
	 * @param list<StockUpdate> $updates Its updates.
	 * @return array{stock_source: string, results: list<array{sku: string, outcome: string, shop_stock: int|null, keycrm_quantity: int}>, counts: array<string, int>}
	 * @throws StockApplyFailed When applying fails (the row stays pending for a retry).
	 */
	private function apply_row( int $id, array $updates ): array {
		$source = (string) $this->settings->get( 'stock_source' );
		$mode   = (string) $this->settings->get( 'stock_apply' );
		try {
			$results = $this->applier->apply( $updates, $source, $mode );
		} catch ( \Throwable $e ) {
			$this->inbox->mark_attempt_failed( $id, $e->getMessage() );
			$this->schedule( 60 );
			throw new StockApplyFailed( 'Applying stock failed: ' . $e->getMessage(), 0, $e );
		}
		$counts = self::count_outcomes( $results );
		$this->inbox->mark_applied( $id, $counts );
		return array(
			'stock_source' => $source,
			'results'      => $results,
			'counts'       => $counts,
		);
	}

	/**
	 * Outcome → number of SKUs.
	 *
	 * @param list<array{outcome: string}> $results Results.
	 * @return array<string, int>
	 */
	public static function count_outcomes( array $results ): array {
		$counts = array_fill_keys( array( 'applied', 'unchanged', 'unknown', 'duplicate', 'unmanaged', 'drift', 'in_sync', 'pending' ), 0 );
		foreach ( $results as $r ) {
			$counts[ $r['outcome'] ] = ( $counts[ $r['outcome'] ] ?? 0 ) + 1;
		}
		return $counts;
	}

	/**
	 * Schedules the cron callback unless one is already scheduled.
	 *
	 * @param int $delay Seconds from now.
	 */
	private function schedule( int $delay = 0 ): void {
		if ( false === wp_next_scheduled( self::CRON_HOOK ) ) {
			wp_schedule_single_event( time() + $delay, self::CRON_HOOK );
		}
	}
}
