/**
 * The keyCRM client: one per API key. Every method validates its input
 * against keyCRM's documented limits before sending, goes through the
 * client's rate limiter and retry policy (see transport.ts), and parses the
 * response with zod (see schemas.ts). Methods: catalog-api.ts (products,
 * categories) and offer-api.ts (offers, stock).
 */
import { systemClock, type Clock } from '../util/clock.js';
import { Caller } from './caller.js';
import { catalogMethods } from './catalog-api.js';
import { offerMethods, stockMethods } from './offer-api.js';
import { paginate } from './paginate.js';
import { TokenBucket } from './rate-limiter.js';
import { KeyCrmTransport, type RequestInfo } from './transport.js';

export type { RequestInfo } from './transport.js';
export type { CategoryListQuery, ProductListQuery } from './catalog-api.js';
export type { OfferListQuery, StockListQuery } from './offer-api.js';
export { paginate } from './paginate.js';

/** Options of `createKeyCrmClient`. */
export interface KeyCrmClientOptions {
	/** API root, e.g. `https://openapi.keycrm.app/v1`. */
	baseUrl: string;
	/** keyCRM API key (sent as a bearer token; never logged). */
	apiKey: string;
	/** Request budget per minute (default 60, keyCRM's per-key limit). */
	ratePerMinute?: number;
	/** Token-bucket size (default 1: evenly spaced requests). */
	burst?: number;
	/** Time source for the limiter and back-off (default: wall clock). */
	clock?: Clock;
	/** Per-attempt timeout in ms (default 60000). */
	timeoutMs?: number;
	/** Retries after the first attempt (default 4). */
	maxRetries?: number;
	/** Back-off: first ceiling and cap in ms (defaults 1000 and 60000). */
	backoffBaseMs?: number;
	backoffCapMs?: number;
	/** Random source for jitter (default Math.random). */
	random?: () => number;
	/** fetch implementation (default: the global fetch, looked up per request). */
	fetch?: typeof globalThis.fetch;
	/** Aborts waiting and in-flight requests. */
	signal?: AbortSignal;
	/** Called after every HTTP attempt. */
	onRequest?: ( info: RequestInfo ) => void;
}

/**
 * Create a keyCRM client.
 *
 * @param options Client options.
 */
export function createKeyCrmClient( options: KeyCrmClientOptions ) {
	const clock = options.clock ?? systemClock;
	const limiter = new TokenBucket( {
		ratePerMinute: options.ratePerMinute ?? 60,
		burst: options.burst,
		clock,
	} );
	const transport = new KeyCrmTransport( {
		baseUrl: options.baseUrl,
		apiKey: options.apiKey,
		clock,
		limiter,
		timeoutMs: options.timeoutMs ?? 60_000,
		maxRetries: options.maxRetries ?? 4,
		backoff: {
			baseMs: options.backoffBaseMs ?? 1000,
			capMs: options.backoffCapMs ?? 60_000,
			random: options.random ?? Math.random,
		},
		fetch: options.fetch,
		signal: options.signal,
		onRequest: options.onRequest,
	} );
	const call = new Caller( transport );
	return {
		...catalogMethods( call ),
		...offerMethods( call ),
		...stockMethods( call ),
		/** Follow pages of any list call; yields items. See `paginate`. */
		paginate,
		/** Requests sent so far (every attempt), total and per route. */
		stats: () => transport.stats(),
		/** Milliseconds until the rate limiter would let the next request go. */
		rateLimitWaitMs: () => limiter.waitTimeMs(),
	};
}

/** A keyCRM client. */
export type KeyCrmClient = ReturnType< typeof createKeyCrmClient >;
