/**
 * A rate-limited hook for the sender's loop: call `tick()` on every pass (the
 * worker does so through src/sender/stock-pull-hook.ts, in the background); it asks the plugin whether a stock pull is due at most every `checkEveryMs`,
 * never runs two pulls at once, and reports (does not throw) failures, so a
 * failing pull never stops the shop → keyCRM push.
 */
import { systemClock, type Clock } from '../util/clock.js';
import {
	maybeRunStockPull,
	type StockPullDeps,
	type StockPullSummary,
} from './run-stock-pull.js';

export interface StockPullTickerOptions {
	/**
	 * Dependencies of the next pull, or null to skip (no API key yet; WooCommerce mode without a
	 * warehouse, where drift cannot be judged). Called at each check, so settings changes apply.
	 */
	deps: () => StockPullDeps | null;
	/** Minimum time between two "is a pull due?" questions (default 30 s). */
	checkEveryMs?: number;
	clock?: Clock;
	/** Called with a pull's failure (the next check retries). */
	onError?: ( error: unknown ) => void;
}

/** See the module docblock. */
export class StockPullTicker {
	private lastCheck = Number.NEGATIVE_INFINITY;
	private running = false;

	constructor( private readonly opts: StockPullTickerOptions ) {}

	/**
	 * Checks (when it is time) and runs a due pull.
	 *
	 * @return The pull's summary, or null when nothing ran.
	 */
	async tick(): Promise< StockPullSummary | null > {
		const clock = this.opts.clock ?? systemClock;
		if (
			this.running ||
			clock.now() - this.lastCheck < ( this.opts.checkEveryMs ?? 30_000 )
		) {
			return null;
		}
		this.lastCheck = clock.now();
		const deps = this.opts.deps();
		if ( ! deps ) {
			return null;
		}
		this.running = true;
		try {
			return await maybeRunStockPull( deps );
		} catch ( error ) {
			this.opts.onError?.( error );
			return null;
		} finally {
			this.running = false;
		}
	}
}
