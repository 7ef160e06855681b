/**
 * keyCRM's per-key request limit (60/min), as Laravel's throttle middleware
 * implements it: a fixed window that starts at a key's first request and
 * lasts 60 s; past the limit, 429 with `Retry-After` (seconds to the window's
 * end) and `X-RateLimit-Limit`/`X-RateLimit-Remaining` on every answer.
 * (keyCRM documents the limit, not the window kind: API-NOTES (f)4.)
 */
import type { Clock } from '../util/clock.js';

const WINDOW_MS = 60_000;

export interface RateDecision {
	allowed: boolean;
	headers: Record< string, string >;
}

/** Per-key fixed windows. */
export class RateWindow {
	private readonly windows = new Map<
		string,
		{ start: number; count: number }
	>();
	/** Requests refused with 429 by the limit (not by fault injection). */
	rejected = 0;

	constructor(
		private readonly clock: Clock,
		private readonly perMinute: number
	) {}

	/**
	 * Count one request of `key`; say whether it may proceed.
	 *
	 * @param key API key.
	 */
	hit( key: string ): RateDecision {
		const now = this.clock.now();
		let w = this.windows.get( key );
		if ( ! w || now >= w.start + WINDOW_MS ) {
			w = { start: now, count: 0 };
			this.windows.set( key, w );
		}
		const base = { 'X-RateLimit-Limit': String( this.perMinute ) };
		if ( w.count >= this.perMinute ) {
			this.rejected++;
			const retryAfter = Math.max(
				1,
				Math.ceil( ( w.start + WINDOW_MS - now ) / 1000 )
			);
			return {
				allowed: false,
				headers: {
					...base,
					'X-RateLimit-Remaining': '0',
					'Retry-After': String( retryAfter ),
				},
			};
		}
		w.count++;
		return {
			allowed: true,
			headers: {
				...base,
				'X-RateLimit-Remaining': String( this.perMinute - w.count ),
			},
		};
	}

	/** Forget every window. */
	reset(): void {
		this.windows.clear();
		this.rejected = 0;
	}
}
