/**
 * Time source shared by the keyCRM client's rate limiter, its retry back-off
 * and the emulator's rate window, so benchmarks can run them all faster
 * (`scaledClock`) and tests can drive them by hand (`manualClock`).
 */

/** A source of "now" and of waiting, in milliseconds of the clock's own time. */
export interface Clock {
	/** Current time in ms (epoch-like; only differences matter). */
	now: () => number;
	/**
	 * Resolve after `ms` of this clock's time; reject with the signal's reason
	 * when `signal` aborts first.
	 */
	sleep: ( ms: number, signal?: AbortSignal ) => Promise< void >;
}

/**
 * Reason used when a sleep is aborted and the signal carries none.
 * @param signal The aborted signal.
 */
function abortReason( signal: AbortSignal ): unknown {
	return signal.reason ?? new Error( 'Aborted' );
}

/**
 * Wait `realMs` real milliseconds, abortable.
 *
 * @param realMs Real milliseconds to wait.
 * @param signal Optional abort signal.
 */
function realSleep( realMs: number, signal?: AbortSignal ): Promise< void > {
	return new Promise( ( resolve, reject ) => {
		if ( signal?.aborted ) {
			reject( abortReason( signal ) );
			return;
		}
		const onAbort = () => {
			clearTimeout( timer );
			reject( abortReason( signal as AbortSignal ) );
		};
		const timer = setTimeout(
			() => {
				signal?.removeEventListener( 'abort', onAbort );
				resolve();
			},
			Math.max( 0, realMs )
		);
		signal?.addEventListener( 'abort', onAbort, { once: true } );
	} );
}

/** The wall clock. */
export const systemClock: Clock = {
	now: () => Date.now(),
	sleep: ( ms, signal ) => realSleep( ms, signal ),
};

/**
 * A clock whose time runs `factor` times faster than the wall clock: one
 * minute of clock time passes in `60 / factor` real seconds. `now()` starts at
 * the real time of creation so timestamps stay plausible.
 *
 * @param factor Speed-up (> 0); 1 behaves like `systemClock`.
 */
export function scaledClock( factor: number ): Clock {
	if ( ! ( factor > 0 ) || ! Number.isFinite( factor ) ) {
		throw new RangeError(
			`scaledClock: factor must be a positive number, got ${ factor }`
		);
	}
	const realStart = Date.now();
	return {
		now: () => realStart + ( Date.now() - realStart ) * factor,
		sleep: ( ms, signal ) => realSleep( ms / factor, signal ),
	};
}

/** A clock for tests: time only moves when `advance()` is called. */
export interface ManualClock extends Clock {
	/** Move time forward by `ms`, waking every sleeper whose deadline passed. */
	advance: ( ms: number ) => Promise< void >;
	/** Number of sleeps currently waiting. */
	pendingSleeps: () => number;
}

interface Sleeper {
	until: number;
	resolve: () => void;
}

/**
 * A manually driven clock (tests). Sleeps resolve only when `advance()`
 * moves time past their deadline; `sleep(0)` resolves at once.
 *
 * @param start Initial time in ms.
 */
export function manualClock( start = 1_700_000_000_000 ): ManualClock {
	let current = start;
	let sleepers: Sleeper[] = [];
	return {
		now: () => current,
		sleep( ms, signal ) {
			if ( ms <= 0 ) {
				return Promise.resolve();
			}
			return new Promise( ( resolve, reject ) => {
				if ( signal?.aborted ) {
					reject( abortReason( signal ) );
					return;
				}
				const entry: Sleeper = { until: current + ms, resolve };
				sleepers.push( entry );
				signal?.addEventListener(
					'abort',
					() => {
						sleepers = sleepers.filter( ( s ) => s !== entry );
						reject( abortReason( signal ) );
					},
					{ once: true }
				);
			} );
		},
		async advance( ms ) {
			current += ms;
			const due = sleepers.filter( ( s ) => s.until <= current );
			sleepers = sleepers.filter( ( s ) => s.until > current );
			due.forEach( ( s ) => s.resolve() );
			// Let the woken code run before the caller continues.
			await new Promise( ( r ) => setImmediate( r ) );
		},
		pendingSleeps: () => sleepers.length,
	};
}

/**
 * A virtual clock for tests: time stands still except that every `sleep(ms)`
 * moves it forward by `ms` at once. Sequential code then sees exact,
 * load-independent timings (60 requests at 1/s take exactly 59 s).
 *
 * @param start Initial time in ms.
 */
export function virtualClock( start = 1_700_000_000_000 ): Clock {
	let current = start;
	return {
		now: () => current,
		sleep( ms, signal ) {
			if ( signal?.aborted ) {
				return Promise.reject( abortReason( signal ) );
			}
			current += Math.max( 0, ms );
			return new Promise( ( resolve ) => setImmediate( resolve ) );
		},
	};
}

/** A clock for tests of concurrent code: see `simulatedClock`. */
export interface SimulatedClock extends Clock {
	/** Number of sleeps currently waiting. */
	pendingSleeps: () => number;
}

interface SimSleeper {
	until: number;
	seq: number;
	resolve: () => void;
}

/**
 * Event-loop turns the simulated clock lets pass before it moves time: enough
 * for an in-process request (msw, the emulator, the model shop) to run to its
 * next sleep, which takes microtasks and a turn or two, never a timer.
 */
const SETTLE_TURNS = 10;

/**
 * A discrete-event clock for tests of concurrent code (a worker, its rate
 * limiter, the emulator and the test itself, all sleeping on one clock).
 * Time stands still while anything can still run; once every task waits on
 * this clock (or on nothing that moves), time jumps to the earliest deadline
 * and wakes the sleepers due then, in the order they went to sleep. Work
 * between sleeps takes no clock time, and the machine's speed or load
 * changes nothing: the same code sees the same times and the same order.
 *
 * Idleness is taken as "SETTLE_TURNS event-loop turns passed": code that waits
 * on real timers or real I/O must not share this clock.
 *
 * @param start Initial time in ms.
 */
export function simulatedClock( start = 1_700_000_000_000 ): SimulatedClock {
	let current = start;
	let seq = 0;
	let sleepers: SimSleeper[] = [];
	let ticking = false;
	const turn = () =>
		new Promise< void >( ( resolve ) => setImmediate( resolve ) );
	const tick = async () => {
		while ( sleepers.length > 0 ) {
			for ( let i = 0; i < SETTLE_TURNS; i++ ) {
				await turn();
			}
			if ( sleepers.length === 0 ) {
				break;
			}
			current = Math.max(
				current,
				Math.min( ...sleepers.map( ( s ) => s.until ) )
			);
			const due = sleepers
				.filter( ( s ) => s.until <= current )
				.sort( ( a, b ) => a.until - b.until || a.seq - b.seq );
			sleepers = sleepers.filter( ( s ) => s.until > current );
			due.forEach( ( s ) => s.resolve() );
		}
		ticking = false;
	};
	return {
		now: () => current,
		sleep( ms, signal ) {
			return new Promise( ( resolve, reject ) => {
				if ( signal?.aborted ) {
					reject( abortReason( signal ) );
					return;
				}
				const onAbort = () => {
					sleepers = sleepers.filter( ( s ) => s !== entry );
					reject( abortReason( signal as AbortSignal ) );
				};
				const entry: SimSleeper = {
					until: current + Math.max( 0, ms ),
					seq: seq++,
					resolve: () => {
						signal?.removeEventListener( 'abort', onAbort );
						resolve();
					},
				};
				sleepers.push( entry );
				signal?.addEventListener( 'abort', onAbort, { once: true } );
				if ( ! ticking ) {
					ticking = true;
					void tick();
				}
			} );
		},
		pendingSleeps: () => sleepers.length,
	};
}
