<?php
/**
 * Runs the runner on Action Scheduler (the copy WooCommerce ships).
 *
 * @package KeyCrmSync
 */

declare( strict_types=1 );

namespace KeyCrmSync\Runner;

use KeyCrmSync\Infrastructure\Registerable;

/**
 * Actions in the group `keycrm-sync` (WooCommerce → Status → Scheduled Actions):
 * - `keycrm_sync_run`: one run; it schedules its own continuation (at once when work is left, at
 *   the time the rate budget or a back-off allows otherwise);
 * - `keycrm_sync_safety`: every five minutes, queues a run when rows wait (a change made while
 *   Action Scheduler was not running, a Node sender that went offline).
 * A change in the shop queues a run at once, unless one is already pending and due.
 */
final class RunnerSchedule implements Registerable {

	/** Hook of a run. */
	public const HOOK = 'keycrm_sync_run';

	/** Hook of the recurring safety action. */
	public const SAFETY_HOOK = 'keycrm_sync_safety';

	/** Action Scheduler group. */
	public const GROUP = 'keycrm-sync';

	/** Seconds between safety actions. */
	public const SAFETY_INTERVAL = 300;

	/** Whether a run is under way in this request. */
	private bool $running = false;

	/**
	 * Constructor.
	 *
	 * @param Runner         $runner The runner.
	 * @param RunnerMode     $mode   Which runner sends.
	 * @param StockPull|null $pull   The periodic stock pull (none: not run here).
	 */
	public function __construct( private Runner $runner, private RunnerMode $mode, private ?StockPull $pull = null ) {
	}

	/**
	 * Adds the hooks.
	 */
	public function register(): void {
		add_action( self::HOOK, array( $this, 'run' ) );
		add_action( self::SAFETY_HOOK, array( $this, 'safety' ) );
		add_action( 'keycrm_sync_marked', array( $this, 'kick' ) );
		// Resync all records its progress in this option after marking every SKU; "Pull stock now"
		// records its request in the pull's.
		foreach ( array( 'keycrm_sync_resync', 'keycrm_sync_stock_pull' ) as $option ) {
			add_action( 'add_option_' . $option, array( $this, 'kick' ) );
			add_action( 'update_option_' . $option, array( $this, 'kick' ) );
		}
		add_action( 'admin_init', array( $this, 'ensure_safety' ) );
	}

	/**
	 * Action: one run, then its continuation.
	 */
	public function run(): void {
		$this->running = true;
		try {
			$next = $this->run_once();
		} finally {
			$this->running = false;
		}
		if ( null !== $next ) {
			$this->schedule( $next );
		}
	}

	/**
	 * One run and, with the time left, the stock pull; returns when the next run is due.
	 */
	private function run_once(): ?float {
		$started = microtime( true );
		$result  = $this->runner->run();
		$next    = $result['next_at'];
		if ( 'wordpress' !== $this->mode->mode()['runner'] ) { // phpcs:ignore WordPress.WP.CapitalPDangit -- the runner's name in the REST contract.
			return null;
		}
		// The stock pull gets what is left of the run's time once the outbox waits for nothing.
		if ( null !== $this->pull && 'empty' === $result['stopped'] ) {
			$pulled = $this->pull->step( $this->runner->client(), $started + Runner::time_budget() );
			if ( 'more' === $pulled || 'rate' === $pulled ) {
				$at   = 'rate' === $pulled ? $this->runner->rate_budget()->next_at() : microtime( true );
				$next = null === $next ? $at : min( (float) $next, $at );
			}
		}
		return null === $next ? null : (float) $next;
	}

	/**
	 * Action: queues a run when rows wait and none is pending.
	 */
	public function safety(): void {
		$this->kick();
	}

	/**
	 * Queues a run now (deduplicated) when the runner inside WordPress is the one that sends.
	 */
	public function kick(): void {
		// A run schedules its own continuation; its own option writes need no other run.
		if ( $this->running || ! self::ready() || 'wordpress' !== $this->mode->mode()['runner'] ) { // phpcs:ignore WordPress.WP.CapitalPDangit -- the runner's name in the REST contract.
			return;
		}
		// The safety action is made sure of only when a run was queued: a change while a run is
		// pending (every order of a busy hour) costs the one lookup and no more.
		if ( $this->schedule( microtime( true ) ) ) {
			$this->ensure_safety();
		}
	}

	/**
	 * Plugin deactivation: no action of the group is left without its handler.
	 */
	public static function deactivate(): void {
		if ( function_exists( 'as_unschedule_all_actions' ) ) {
			as_unschedule_all_actions( '', array(), self::GROUP );
		}
	}

	/**
	 * Schedules the recurring safety action once.
	 */
	public function ensure_safety(): void {
		if ( self::ready() && ! as_has_scheduled_action( self::SAFETY_HOOK, array(), self::GROUP ) ) {
			as_schedule_recurring_action( time() + self::SAFETY_INTERVAL, self::SAFETY_INTERVAL, self::SAFETY_HOOK, array(), self::GROUP );
		}
	}

	/**
	 * A run at $at unless a pending one is due by then.
	 *
	 * @param float $at Unix time.
	 * @return bool Whether a run was queued (false: one is pending and due by then).
	 */
	private function schedule( float $at ): bool {
		$pending = as_get_scheduled_actions(
			array(
				'hook'     => self::HOOK,
				'group'    => self::GROUP,
				'status'   => \ActionScheduler_Store::STATUS_PENDING,
				'date'     => (int) ceil( $at ) + 2,
				'per_page' => 1,
			),
			'ids'
		);
		if ( array() !== $pending ) {
			return false;
		}
		if ( $at <= microtime( true ) + 1 ) {
			as_enqueue_async_action( self::HOOK, array(), self::GROUP );
		} else {
			as_schedule_single_action( (int) ceil( $at ), self::HOOK, array(), self::GROUP );
		}
		return true;
	}

	/**
	 * Whether Action Scheduler can take actions now.
	 */
	private static function ready(): bool {
		return function_exists( 'as_enqueue_async_action' ) && class_exists( \ActionScheduler::class ) && \ActionScheduler::is_initialized();
	}
}
