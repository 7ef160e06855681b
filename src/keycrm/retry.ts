/**
 * Retry policy helpers: exponential back-off with full jitter, and
 * `Retry-After` parsing (seconds or HTTP date).
 */

export interface BackoffOptions {
	/** First back-off ceiling in ms (default 1000). */
	baseMs: number;
	/** Largest back-off in ms (default 60000). */
	capMs: number;
	/** Uniform random in [0, 1). */
	random: () => number;
}

/**
 * Full-jitter exponential back-off: uniform in [0, min(cap, base·2^(n-1))].
 *
 * @param attempt 1 for the first retry.
 * @param opts    Base, cap and random source.
 */
export function backoffDelay( attempt: number, opts: BackoffOptions ): number {
	const ceiling = Math.min(
		opts.capMs,
		opts.baseMs * 2 ** Math.max( 0, attempt - 1 )
	);
	return Math.floor( opts.random() * ceiling );
}

/**
 * Longest `Retry-After` honoured (10 minutes). keyCRM's limit is per minute, so a longer value
 * is a misbehaving proxy or server; waiting it out (86,400 would stall the sender a day) is
 * worse than asking again and being told to wait again.
 */
export const MAX_RETRY_AFTER_MS = 10 * 60_000;

/**
 * Parse `Retry-After` (delta seconds or an HTTP date) into milliseconds from `nowMs`.
 * Returns undefined when absent or unparseable (a negative number included: the
 * caller then backs off as without the header); never negative, never above
 * MAX_RETRY_AFTER_MS.
 *
 * @param value Header value.
 * @param nowMs Current time (ms since epoch) for the HTTP-date form.
 */
export function parseRetryAfter(
	value: string | null | undefined,
	nowMs: number
): number | undefined {
	if ( value === null || value === undefined ) {
		return undefined;
	}
	const trimmed = value.trim();
	if ( /^\d+(\.\d+)?$/.test( trimmed ) ) {
		return Math.min(
			MAX_RETRY_AFTER_MS,
			Math.round( Number( trimmed ) * 1000 )
		);
	}
	if ( ! /[a-z]/i.test( trimmed ) ) {
		// Not delta seconds and no month or day name: `-5`, `1.5e3`, `12-01` are no HTTP date
		// (Date.parse would read `-5` as a year, i.e. "wait 0").
		return undefined;
	}
	const date = Date.parse( trimmed );
	if ( Number.isNaN( date ) ) {
		return undefined;
	}
	return Math.min( MAX_RETRY_AFTER_MS, Math.max( 0, date - nowMs ) );
}
