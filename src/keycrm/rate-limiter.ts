/**
 * Token-bucket rate limiter on a `Clock`. One per keyCRM client: every HTTP
 * attempt (retries included) takes a token first.
 *
 * The default burst is 1, i.e. requests are spaced evenly (60/min → one per
 * second). keyCRM's window semantics are undocumented (fixed or sliding,
 * API-NOTES (f)4); evenly spaced requests never exceed N in any 60 s window
 * under either, while a larger burst can.
 */
import type { Clock } from '../util/clock.js';

export interface RateLimiterOptions {
	/** Requests allowed per minute (> 0). */
	ratePerMinute: number;
	/** Bucket size: requests that may go back to back after an idle period (default 1). */
	burst?: number;
	clock: Clock;
}

/** Token bucket with FIFO waiters and a "blocked until" override for 429s. */
export class TokenBucket {
	private readonly intervalMs: number;
	private readonly capacity: number;
	private readonly clock: Clock;
	private tokens: number;
	private last: number;
	private blockedUntil = 0;
	private queue: Promise< void > = Promise.resolve();

	constructor( opts: RateLimiterOptions ) {
		if ( ! ( opts.ratePerMinute > 0 ) ) {
			throw new RangeError(
				`ratePerMinute must be > 0, got ${ opts.ratePerMinute }`
			);
		}
		this.intervalMs = 60_000 / opts.ratePerMinute;
		this.capacity = Math.max( 1, opts.burst ?? 1 );
		this.clock = opts.clock;
		this.tokens = this.capacity;
		this.last = opts.clock.now();
	}

	/**
	 * Wait for a token (FIFO among callers). Rejects if `signal` aborts while waiting;
	 * an aborted waiter does not consume a token.
	 *
	 * @param signal Optional abort signal.
	 */
	acquire( signal?: AbortSignal ): Promise< void > {
		const turn = this.queue.then( () => this.take( signal ) );
		// The next waiter starts after this one, whether it got a token or aborted.
		this.queue = turn.catch( () => undefined );
		return turn;
	}

	/**
	 * Hold every request until `untilMs` (clock time), e.g. after a 429 with
	 * `Retry-After`, and empty the bucket.
	 *
	 * @param untilMs Clock time before which no token is handed out.
	 */
	blockUntil( untilMs: number ): void {
		this.blockedUntil = Math.max( this.blockedUntil, untilMs );
		// Exactly one token becomes available at `untilMs`.
		this.tokens = 0;
		this.last = Math.max( this.last, untilMs - this.intervalMs );
	}

	/** Milliseconds until the next token would be available (0 = now). */
	waitTimeMs(): number {
		return this.waitAt( this.clock.now() );
	}

	private waitAt( now: number ): number {
		this.refill( now );
		if ( now < this.blockedUntil ) {
			return this.blockedUntil - now;
		}
		return this.tokens >= 1 ? 0 : ( 1 - this.tokens ) * this.intervalMs;
	}

	private refill( now: number ): void {
		if ( now > this.last ) {
			this.tokens = Math.min(
				this.capacity,
				this.tokens + ( now - this.last ) / this.intervalMs
			);
			this.last = now;
		}
	}

	private async take( signal?: AbortSignal ): Promise< void > {
		// After sleeping `wait`, at least that much time has passed even if the
		// clock reads a little less (timer and scaled-clock granularity): trust
		// the sleep rather than sleeping again for a sliver.
		let floor = Number.NEGATIVE_INFINITY;
		for (;;) {
			signal?.throwIfAborted();
			const now = Math.max( this.clock.now(), floor );
			const wait = this.waitAt( now );
			if ( wait <= 0 ) {
				this.tokens -= 1;
				return;
			}
			await this.clock.sleep( wait, signal );
			floor = now + wait;
		}
	}
}
