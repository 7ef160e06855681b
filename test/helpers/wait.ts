/**
 * Waiting in tests without real time: `until` checks a condition every `step`
 * of a clock's time (a `simulatedClock`, so the worker under test and the test
 * share one time line) and fails with a message when `within` clock ms pass
 * first. Nothing depends on how fast or busy the machine is.
 */
import type { Clock } from '../../src/util/clock';

/** How long and how often to look. */
export interface UntilOptions {
	/** Give up after this many ms of clock time. */
	within: number;
	/** Look every this many ms of clock time (default 100). */
	step?: number;
	/** What is awaited, for the failure message. */
	what?: string;
}

/**
 * Wait on `clock` until `condition()` holds; resolve with the clock time it
 * took (a multiple of `step`), or reject once `within` passed.
 *
 * @param condition The condition.
 * @param clock     The clock the code under test sleeps on.
 * @param opts      Bounds.
 */
export async function until(
	condition: () => boolean,
	clock: Clock,
	opts: UntilOptions
): Promise< number > {
	const start = clock.now();
	const step = opts.step ?? 100;
	while ( ! condition() ) {
		if ( clock.now() - start >= opts.within ) {
			throw new Error(
				`${ opts.what ?? 'condition' } did not hold within ${ opts.within } ms of clock time`
			);
		}
		await clock.sleep( step );
	}
	return clock.now() - start;
}
