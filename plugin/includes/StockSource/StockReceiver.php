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
 * the inbox row marked applied. If applying throws, the row stays pending and the Action Scheduler
 * action ACTION_HOOK (group `keycrm-sync`, one pending at a time) retries it, so a batch that was
 * accepted is never lost.
 *
 * - Bounded: the action applies a large batch CHUNK items at a time and stops within a time
 *   budget well below `max_execution_time`, recording how far it got; the next action (queued at
 *   once) resumes there. A PHP timeout is not a Throwable, so attempts are counted before the work.
 * - Newest wins: batches are numbered in the order they arrived from keyCRM (the webhook carries
 *   no time of its own); a SKU whose value already came from a newer batch is skipped
 *   (`superseded`), so an older batch applied later never overwrites a newer value. A webhook
 *   body equal to an earlier one keeps the earlier one's number (a replay, or keyCRM repeating
 *   itself); when that holds a SKU back, a full pull is requested to read keyCRM's actual stock.
 */
final class StockReceiver {

	/** Action Scheduler hook that applies pending inbox rows. */
	public const ACTION_HOOK = 'keycrm_sync_apply_stock';

	/** Action Scheduler group of the plugin's actions (the runner's too). */
	public const GROUP = 'keycrm-sync';

	/** The WP-Cron event that applied them in earlier versions: unscheduled on upgrade. */
	public const CRON_HOOK = 'keycrm_sync_apply_stock_inbox';

	/** Inbox rows handled per action. */
	private const CRON_BATCH = 20;

	/** Items applied between two progress records and time checks. */
	public const CHUNK = 25;

	/** Longest time (seconds) one action spends applying, whatever max_execution_time allows. */
	public const MAX_BUDGET = 20.0;

	/**
	 * @param StockInbox    $inbox    The inbox.
	 * @param StockApplier  $applier  Applies or compares.
	 * @param Settings      $settings Settings (stock_source, stock_apply).
	 * @param float|null    $budget   Seconds one action may spend applying (null: from
	 *                                max_execution_time, see budget()).
	 */
	public function __construct(
		private StockInbox $inbox,
		private StockApplier $applier,
		private Settings $settings,
		private ?float $budget = null
	) {
	}

	/**
	 * Stores a batch and applies it now.
	 *
	 * @param string            $source  'webhook' or 'pull'.
	 * @param list<StockUpdate> $updates Validated updates.
	 * @return array{inbox_id: int, queued: bool, stock_source: string, results: list<array{sku: string, outcome: string, shop_stock: int|null, keycrm_quantity: int}>, counts: array<string, int>}
	 *         `queued` is true when applying failed: the batch stays stored and an action retries it.
	 * @throws \RuntimeException When the batch cannot be stored (nothing is applied then).
	 */
	public function receive_and_apply( string $source, array $updates ): array {
		$id = $this->inbox->store( $source, $updates );
		try {
			if ( ! $this->inbox->begin_attempt( $id ) ) {
				throw new StockApplyFailed( 'The stock batch could not be started.' );
			}
			$done = $this->apply_row( $id, $this->inbox->position( $id ), $updates, 0, array(), null );
			return array(
				'inbox_id'     => $id,
				'queued'       => false,
				'stock_source' => $done['stock_source'],
				'results'      => $done['results'],
				'counts'       => $done['counts'],
			);
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
	 * Stores a batch to be applied by an action (large webhook payloads: answer fast).
	 *
	 * @param string            $source  Source.
	 * @param list<StockUpdate> $updates Validated updates.
	 * @return int Inbox row id.
	 * @throws \RuntimeException When the batch cannot be stored.
	 */
	public function receive_later( string $source, array $updates ): int {
		$id = $this->inbox->store( $source, $updates );
		$this->schedule();
		$this->spawn();
		return $id;
	}

	/**
	 * Applies pending inbox rows, oldest first, within the time budget (the action's callback);
	 * queues the next action while rows remain, at once when it stopped for time.
	 */
	public function apply_pending(): void {
		$deadline = microtime( true ) + $this->budget();
		$rows     = $this->inbox->pending( self::CRON_BATCH );
		foreach ( $rows as $i => $row ) {
			if ( $i > 0 && microtime( true ) >= $deadline ) {
				$this->continue_now();
				return;
			}
			if ( ! $this->inbox->begin_attempt( $row['id'] ) ) {
				continue;
			}
			try {
				$done = $this->apply_row( $row['id'], $row['position'], $row['updates'], $row['applied_items'], $row['summary'], $deadline );
			} catch ( StockApplyFailed $e ) {
				// apply_row() already recorded the failed attempt; the row is retried later.
				continue;
			}
			if ( ! $done['complete'] ) {
				$this->continue_now();
				return;
			}
		}
		$this->inbox->prune();
		if ( count( $rows ) === self::CRON_BATCH || $this->inbox->counts()['pending'] > 0 ) {
			$this->schedule( 60 );
		}
	}

	/**
	 * Applies one stored row from item $offset, CHUNK items at a time, recording progress after
	 * each chunk, until done or past $deadline; records the outcome on the row when done.
	 *
	 * @param int               $id       Inbox row id.
	 * @param int               $position Its place in keyCRM's order (StockInbox::position()).
	 * @param list<StockUpdate> $updates  Its updates.
	 * @param int               $offset   Items already applied.
	 * @param array<string,int> $before   Outcome counts of the items already applied.
	 * @param float|null        $deadline microtime() to stop at (null: apply all).
	 * @return array{complete: bool, stock_source: string, results: list<array{sku: string, outcome: string, shop_stock: int|null, keycrm_quantity: int}>, counts: array<string, int>}
	 * @throws StockApplyFailed When applying fails (the row stays pending for a retry).
	 */
	private function apply_row( int $id, int $position, array $updates, int $offset, array $before, ?float $deadline ): array {
		$source  = (string) $this->settings->get( 'stock_source' );
		$mode    = (string) $this->settings->get( 'stock_apply' );
		$results = array();
		$total   = count( $updates );
		try {
			while ( $offset < $total ) {
				$chunk  = array_slice( $updates, $offset, self::CHUNK );
				$skus   = array_map( static fn( StockUpdate $u ) => $u->sku, $chunk );
				$newer  = $this->inbox->superseded( $skus, $position );
				$apply  = array_values( array_filter( $chunk, static fn( StockUpdate $u ) => ! isset( $newer[ 's:' . $u->sku ] ) ) );
				$done   = array() === $apply ? array() : $this->applier->apply( $apply, $source, $mode );
				$by_sku = array();
				foreach ( $done as $r ) {
					$by_sku[ 's:' . $r['sku'] ] = $r;
				}
				foreach ( $chunk as $u ) {
					$results[] = $by_sku[ 's:' . $u->sku ] ?? array(
						'sku'             => $u->sku,
						'outcome'         => 'superseded',
						'shop_stock'      => null,
						'keycrm_quantity' => $u->shop_quantity( 'keycrm' === $source ? $mode : 'total' ),
					);
				}
				if ( 'keycrm' === $source ) {
					$this->inbox->record_applied( array_map( static fn( StockUpdate $u ) => $u->sku, $apply ), $position );
					if ( $position !== $id && array() !== $newer ) {
						$this->confirm_repeat();
					}
				}
				$offset += count( $chunk );
				if ( $offset < $total ) {
					$this->inbox->progress( $id, $offset, self::add_counts( $before, self::count_outcomes( $results ) ) );
					if ( null !== $deadline && microtime( true ) >= $deadline ) {
						return array(
							'complete'     => false,
							'stock_source' => $source,
							'results'      => $results,
							'counts'       => self::count_outcomes( $results ),
						);
					}
				}
			}
		} catch ( \Throwable $e ) {
			$this->inbox->mark_attempt_failed( $id, $e->getMessage() );
			$this->schedule( 60 );
			throw new StockApplyFailed( 'Applying stock failed: ' . $e->getMessage(), 0, $e );
		}
		$counts = self::count_outcomes( $results );
		$this->inbox->mark_applied( $id, self::add_counts( $before, $counts ) );
		return array(
			'complete'     => true,
			'stock_source' => $source,
			'results'      => $results,
			'counts'       => $counts,
		);
	}

	/**
	 * A repeated webhook body was kept from overwriting newer values. keyCRM's webhook carries no
	 * time or id, so a replay and a genuine return to an earlier state (reserved, then released)
	 * look the same: a full pull is requested, which reads keyCRM's actual stock.
	 */
	private function confirm_repeat(): void {
		( new PullSchedule( $this->settings ) )->request( \KeyCrmSync\Infrastructure\Clock::now() );
	}

	/**
	 * Seconds one action may spend applying: half of what max_execution_time leaves after the
	 * time this request already used (WordPress loading, other actions), at most MAX_BUDGET.
	 */
	private function budget(): float {
		if ( null !== $this->budget ) {
			return $this->budget;
		}
		$limit   = (int) ini_get( 'max_execution_time' );
		$started = (float) ( $_SERVER['REQUEST_TIME_FLOAT'] ?? microtime( true ) );
		$used    = max( 0.0, microtime( true ) - $started );
		if ( $limit <= 0 ) {
			return self::MAX_BUDGET;
		}
		return max( 1.0, min( self::MAX_BUDGET, ( $limit - $used ) / 2 ) );
	}

	/**
	 * Outcome → number of SKUs.
	 *
	 * @param list<array{outcome: string}> $results Results.
	 * @return array<string, int>
	 */
	public static function count_outcomes( array $results ): array {
		$counts = array_fill_keys( array( 'applied', 'unchanged', 'unknown', 'duplicate', 'unmanaged', 'drift', 'in_sync', 'pending', 'superseded' ), 0 );
		foreach ( $results as $r ) {
			$counts[ $r['outcome'] ] = ( $counts[ $r['outcome'] ] ?? 0 ) + 1;
		}
		return $counts;
	}

	/**
	 * Sum of two outcome counts.
	 *
	 * @param array<string, int> $a Counts.
	 * @param array<string, int> $b Counts.
	 * @return array<string, int>
	 */
	private static function add_counts( array $a, array $b ): array {
		foreach ( $b as $k => $n ) {
			$a[ $k ] = ( $a[ $k ] ?? 0 ) + $n;
		}
		return $a;
	}

	/**
	 * A run that stopped for time: the next action is due at once. Inside Action Scheduler's
	 * queue runner it is taken in the same request while the runner's time allows, else by the
	 * next queue run (WP-Cron's or a system cron's).
	 */
	private function continue_now(): void {
		as_unschedule_all_actions( self::ACTION_HOOK, array(), self::GROUP );
		$this->schedule();
		if ( ! doing_action( 'action_scheduler_run_queue' ) ) {
			$this->spawn();
		}
	}

	/**
	 * Upgrade from versions that applied the inbox with a WP-Cron event: that event is removed,
	 * and an action is queued when batches wait.
	 */
	public function retire_cron_event(): void {
		if ( false === wp_next_scheduled( self::CRON_HOOK ) ) {
			return;
		}
		wp_clear_scheduled_hook( self::CRON_HOOK );
		if ( $this->inbox->counts()['pending'] > 0 ) {
			$this->schedule();
		}
	}

	/**
	 * Starts WP-Cron now (a non-blocking loopback request) rather than on the next visit: it runs
	 * Action Scheduler's queue when that is due.
	 */
	private function spawn(): void {
		if ( ! ( defined( 'DISABLE_WP_CRON' ) && DISABLE_WP_CRON ) ) {
			spawn_cron();
		}
	}

	/**
	 * Queues the action unless one is pending (deduplicated: one pending action at a time).
	 *
	 * @param int $delay Seconds from now (0: an async action, due at once).
	 */
	private function schedule( int $delay = 0 ): void {
		$pending = as_get_scheduled_actions(
			array(
				'hook'     => self::ACTION_HOOK,
				'group'    => self::GROUP,
				'status'   => \ActionScheduler_Store::STATUS_PENDING,
				'per_page' => 1,
			),
			'ids'
		);
		if ( array() !== $pending ) {
			return;
		}
		if ( 0 === $delay ) {
			as_enqueue_async_action( self::ACTION_HOOK, array(), self::GROUP );
		} else {
			as_schedule_single_action( time() + $delay, self::ACTION_HOOK, array(), self::GROUP );
		}
	}
}
