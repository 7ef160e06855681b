/**
 * Fault injection for the emulator: latency, a share of 429 / 500 /
 * connection resets / timeouts, of the answers a broken proxy or server gives
 * (an HTML error page, a 200 with a truncated body, a 200 of the wrong shape,
 * a body that trickles and stalls), a chosen `Retry-After`, and 422 for chosen
 * SKUs, drawn from a seeded random source so runs are reproducible.
 */
import * as z from 'zod';

/**
 * One scripted fault: the `nth` request (1-based, counted from when the faults were set) to
 * `route` (`"METHOD /template"`, as in `stats.byRoute`) meets `fault`, once. A scripted 429
 * answers before any work with `Retry-After: retryAfter` (default 1 s), as keyCRM does when
 * another integration used up the key's minute; `500` and `reset` follow `faultsAfterWork`.
 */
export const ScriptedFault = z.object( {
	route: z.string().regex( /^[A-Z]+ \/\S*$/ ),
	nth: z.number().int().positive().optional(),
	fault: z.enum( [ '429', '500', 'reset' ] ),
	retryAfter: z.number().int().min( 1 ).max( 600 ).optional(),
} );
export type ScriptedFault = z.infer< typeof ScriptedFault >;

/** Fault settings (all optional; rates are probabilities 0..1 per API request). */
export const FaultSettings = z.object( {
	/** Added to every API request (clock ms). */
	latencyMs: z.number().min( 0 ).optional(),
	/** Share of requests answered 429 before doing anything. */
	rate429: z.number().min( 0 ).max( 1 ).optional(),
	/** Share of requests answered 500 (after doing the work, see `faultsAfterWork`). */
	rate500: z.number().min( 0 ).max( 1 ).optional(),
	/** Share of requests whose connection is reset instead of answered. */
	rateReset: z.number().min( 0 ).max( 1 ).optional(),
	/** Share of requests never answered (the client times out). */
	rateTimeout: z.number().min( 0 ).max( 1 ).optional(),
	/** Share of requests answered by a proxy's 502 HTML page instead of JSON. */
	rateHtml: z.number().min( 0 ).max( 1 ).optional(),
	/** Share of requests answered 200 with the body cut in the middle (truncated JSON). */
	rateTruncated: z.number().min( 0 ).max( 1 ).optional(),
	/** Share of requests answered 200 with JSON of the wrong shape. */
	rateWrongShape: z.number().min( 0 ).max( 1 ).optional(),
	/** Share of requests whose headers arrive, then a few body bytes, then nothing more. */
	rateDrip: z.number().min( 0 ).max( 1 ).optional(),
	/** `Retry-After` of the injected 429s, verbatim (default "1"): huge, negative, garbage, a date. */
	retryAfter: z.string().max( 200 ).optional(),
	/** Any bulk call (import, PUT offers/stocks, POST offers) naming one of these SKUs gets a 422. */
	rejectSkus: z.array( z.string() ).optional(),
	/**
	 * When true (default), 500/reset/timeout (and HTML, truncated, wrong-shape, drip) faults happen after the request
	 * was processed (the worst case for creates: done, but the client cannot
	 * know); when false, before (nothing done).
	 */
	faultsAfterWork: z.boolean().optional(),
	/** Seed of the random source (default 1). */
	seed: z.number().int().optional(),
	/** Faults on chosen requests (before the random draw; each fires once). */
	script: z.array( ScriptedFault ).optional(),
} );
export type FaultSettings = z.infer< typeof FaultSettings >;

/** What to do to one request. */
export type FaultDecision =
	| 'none'
	| '429'
	| '500'
	| 'reset'
	| 'timeout'
	| 'html'
	| 'truncated'
	| 'wrongShape'
	| 'drip';

/** A decision, with the `Retry-After` of a 429. */
export interface FaultChoice {
	fault: FaultDecision;
	/** Verbatim header value (a number of seconds, or a date or garbage to test clients). */
	retryAfter: string;
}

/* eslint-disable no-bitwise -- mulberry32 is defined in terms of 32-bit integer operations. */
/**
 * mulberry32: a small seeded PRNG, uniform in [0, 1).
 *
 * @param seed Seed.
 */
export function seededRandom( seed: number ): () => number {
	let a = seed >>> 0;
	return () => {
		a = ( a + 0x6d2b79f5 ) >>> 0;
		let t = a;
		t = Math.imul( t ^ ( t >>> 15 ), t | 1 );
		t ^= t + Math.imul( t ^ ( t >>> 7 ), t | 61 );
		return ( ( t ^ ( t >>> 14 ) ) >>> 0 ) / 4294967296;
	};
}
/* eslint-enable no-bitwise */

/** The current fault settings plus their random source. */
export class FaultInjector {
	private settings: FaultSettings = {};
	private random: () => number = seededRandom( 1 );
	private skus: ReadonlySet< string > = new Set();
	private readonly seen = new Map< string, number >();
	/** How many faults of each kind were injected. */
	readonly injected: Record<
		Exclude< FaultDecision, 'none' > | 'rejectSkus',
		number
	> = {
		'429': 0,
		'500': 0,
		reset: 0,
		timeout: 0,
		html: 0,
		truncated: 0,
		wrongShape: 0,
		drip: 0,
		rejectSkus: 0,
	};

	/**
	 * Replace the settings (validated) and reseed.
	 *
	 * @param settings New settings; `{}` turns every fault off.
	 */
	set( settings: FaultSettings ): void {
		this.settings = FaultSettings.parse( settings );
		this.random = seededRandom( this.settings.seed ?? 1 );
		this.skus = new Set( this.settings.rejectSkus ?? [] );
		this.seen.clear();
	}

	/** Zero the counts of injected faults (the emulator's reset). */
	resetCounts(): void {
		for ( const kind of Object.keys( this.injected ) as Array<
			keyof typeof this.injected
		> ) {
			this.injected[ kind ] = 0;
		}
	}

	/** Current settings. */
	get(): FaultSettings {
		return { ...this.settings };
	}

	/** SKUs that make bulk calls fail with 422. */
	rejectSkus(): ReadonlySet< string > {
		return this.skus;
	}

	/** Latency to add to each request. */
	latencyMs(): number {
		return this.settings.latencyMs ?? 0;
	}

	/** `Retry-After` of injected 429s. */
	retryAfter(): string {
		return this.settings.retryAfter ?? '1';
	}

	/** Whether 500/reset/timeout happen after the work was done. */
	afterWork(): boolean {
		return this.settings.faultsAfterWork ?? true;
	}

	/**
	 * The fault for one request to `route`: a scripted one when its turn has come, else the
	 * random draw (drawn either way, so a script does not shift the seeded sequence).
	 *
	 * @param route `"METHOD /template"`.
	 */
	choose( route: string ): FaultChoice {
		const n = ( this.seen.get( route ) ?? 0 ) + 1;
		this.seen.set( route, n );
		const drawn = this.decide();
		const scripted = this.settings.script?.find(
			( s ) => s.route === route && ( s.nth ?? 1 ) === n
		);
		if ( ! scripted ) {
			return { fault: drawn, retryAfter: this.retryAfter() };
		}
		if ( drawn !== 'none' ) {
			this.injected[ drawn ]--;
		}
		this.injected[ scripted.fault ]++;
		return {
			fault: scripted.fault,
			retryAfter: String( scripted.retryAfter ?? 1 ),
		};
	}

	/** Draw the fault for one request (one random draw per request). */
	decide(): FaultDecision {
		const s = this.settings;
		const r = this.random();
		let edge = 0;
		const kinds: [
			Exclude< FaultDecision, 'none' >,
			number | undefined,
		][] = [
			[ '429', s.rate429 ],
			[ '500', s.rate500 ],
			[ 'reset', s.rateReset ],
			[ 'timeout', s.rateTimeout ],
			[ 'html', s.rateHtml ],
			[ 'truncated', s.rateTruncated ],
			[ 'wrongShape', s.rateWrongShape ],
			[ 'drip', s.rateDrip ],
		];
		for ( const [ kind, rate ] of kinds ) {
			edge += rate ?? 0;
			if ( r < edge ) {
				this.injected[ kind ]++;
				return kind;
			}
		}
		return 'none';
	}
}
