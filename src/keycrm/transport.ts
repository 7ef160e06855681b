/**
 * The keyCRM HTTP engine: a `ky` instance (auth in a beforeRequest hook, no
 * ky retries, no throwing on HTTP errors) driven by one attempt loop in which
 * every attempt first takes a rate-limiter token. Responses are parsed with
 * zod; failures become typed errors.
 *
 * Retry policy:
 * - 429 → retried for every call (nothing was done), waiting `Retry-After`
 *   when given (all calls on this client wait: the limiter is blocked);
 * - 5xx, timeouts and network errors → retried with full-jitter exponential
 *   back-off for reads and idempotent writes (GET, PUT) only; for creates
 *   (POST) they throw `KeyCrmUnknownOutcomeError` at once.
 *
 * Every attempt is bounded: `timeoutMs` for the response headers (ky), then again `timeoutMs` for
 * the body, which may be at most MAX_BODY_BYTES (a body that trickles or never ends is a timeout,
 * not a wait of undici's 300 s: response-body.ts); `Retry-After` is honoured up to
 * MAX_RETRY_AFTER_MS. What a response means is in response-errors.ts.
 */
import ky, { type KyInstance } from 'ky';
import type * as z from 'zod';

import type { Clock } from '../util/clock.js';
import {
	KeyCrmRateLimitedError,
	KeyCrmTransientError,
	KeyCrmUnknownOutcomeError,
	type KeyCrmCallInfo,
} from './errors.js';
import type { TokenBucket } from './rate-limiter.js';
import { readBody } from './response-body.js';
import {
	clientError,
	describeTransportError,
	parseBody,
} from './response-errors.js';
import { backoffDelay, parseRetryAfter, type BackoffOptions } from './retry.js';

/** Reported after every HTTP attempt. */
export interface RequestInfo {
	method: string;
	/** Actual path, e.g. `/products/12`. */
	path: string;
	/** Route template, e.g. `PUT /products/{id}`. */
	route: string;
	/** HTTP status; 0 when no response arrived (network error or timeout). */
	status: number;
	/** Duration in ms (clock time). */
	ms: number;
	/** 1 for the first try. */
	attempt: number;
}

/** How a call may be retried. */
export type CallKind = 'read' | 'write' | 'create';

/** One logical keyCRM call. */
export interface CallSpec< T > {
	method: 'GET' | 'POST' | 'PUT';
	/** Path below the base URL, starting with `/`. */
	path: string;
	/** Route template for stats/errors (`GET /offers`). */
	route: string;
	kind: CallKind;
	searchParams?: URLSearchParams;
	json?: unknown;
	schema: z.ZodType< T >;
}

export interface TransportOptions {
	baseUrl: string;
	apiKey: string;
	clock: Clock;
	limiter: TokenBucket;
	timeoutMs: number;
	maxRetries: number;
	backoff: BackoffOptions;
	fetch?: typeof globalThis.fetch;
	signal?: AbortSignal;
	onRequest?: ( info: RequestInfo ) => void;
}

type Attempt =
	| { kind: 'response'; status: number; headers: Headers; text: string }
	| { kind: 'transport'; error: unknown };

/** The attempt loop; one per client. */
export class KeyCrmTransport {
	private readonly api: KyInstance;
	private readonly counts = new Map< string, number >();
	private total = 0;

	constructor( private readonly opts: TransportOptions ) {
		const lateFetch: typeof globalThis.fetch = ( input, init ) =>
			( opts.fetch ?? globalThis.fetch )( input, init );
		this.api = ky.create( {
			prefixUrl: opts.baseUrl.replace( /\/+$/, '' ),
			timeout: opts.timeoutMs,
			retry: 0,
			throwHttpErrors: false,
			fetch: lateFetch,
			hooks: {
				beforeRequest: [
					( request ) => {
						request.headers.set(
							'Authorization',
							`Bearer ${ opts.apiKey }`
						);
						request.headers.set( 'Accept', 'application/json' );
					},
				],
			},
		} );
	}

	/** Requests sent (every attempt counts), total and per route template. */
	stats(): { total: number; byRoute: Record< string, number > } {
		return {
			total: this.total,
			byRoute: Object.fromEntries( this.counts ),
		};
	}

	/**
	 * Run one call to completion: parsed body, or a typed error.
	 *
	 * @param spec The call.
	 */
	async call< T >( spec: CallSpec< T > ): Promise< T > {
		const info: KeyCrmCallInfo = { method: spec.method, route: spec.route };
		for ( let attempt = 1; ; attempt++ ) {
			const outcome = await this.attempt( spec, attempt );
			const retryIn = this.decide( spec, info, outcome, attempt );
			if ( typeof retryIn !== 'number' ) {
				return retryIn.value;
			}
			await this.opts.clock.sleep( retryIn, this.opts.signal );
		}
	}

	private async attempt(
		spec: CallSpec< unknown >,
		attempt: number
	): Promise< Attempt > {
		await this.opts.limiter.acquire( this.opts.signal );
		this.total++;
		this.counts.set(
			spec.route,
			( this.counts.get( spec.route ) ?? 0 ) + 1
		);
		const start = this.opts.clock.now();
		const body = new AbortController();
		const signal = this.opts.signal
			? AbortSignal.any( [ this.opts.signal, body.signal ] )
			: body.signal;
		let result: Attempt;
		try {
			const res = await this.api( spec.path.replace( /^\//, '' ), {
				method: spec.method,
				searchParams: spec.searchParams,
				json: spec.json,
				signal,
			} );
			result = {
				kind: 'response',
				status: res.status,
				headers: res.headers,
				text: await readBody( res, this.opts.timeoutMs, body ),
			};
		} catch ( error ) {
			if ( this.opts.signal?.aborted ) {
				throw error;
			}
			result = { kind: 'transport', error };
		}
		this.opts.onRequest?.( {
			method: spec.method,
			path: spec.path,
			route: spec.route,
			status: result.kind === 'response' ? result.status : 0,
			ms: this.opts.clock.now() - start,
			attempt,
		} );
		return result;
	}

	/**
	 * Turn an attempt into a result, a typed error (thrown) or a delay before the next attempt.
	 *
	 * @param spec    The call.
	 * @param info    Call info for errors.
	 * @param outcome What the attempt produced.
	 * @param attempt Attempt number.
	 */
	private decide< T >(
		spec: CallSpec< T >,
		info: KeyCrmCallInfo,
		outcome: Attempt,
		attempt: number
	): number | { value: T } {
		const canRetry = attempt <= this.opts.maxRetries;
		if ( outcome.kind === 'transport' ) {
			const msg = describeTransportError( outcome.error );
			if ( spec.kind === 'create' ) {
				throw new KeyCrmUnknownOutcomeError(
					`${ spec.route }: ${ msg }; the create may or may not have happened`,
					{ call: info, cause: outcome.error }
				);
			}
			if ( ! canRetry ) {
				throw new KeyCrmTransientError(
					`${ spec.route }: ${ msg } (after ${ attempt } attempts)`,
					{ call: info, cause: outcome.error }
				);
			}
			return backoffDelay( attempt, this.opts.backoff );
		}
		const { status } = outcome;
		if ( status >= 200 && status < 300 ) {
			return { value: parseBody( spec, info, outcome ) };
		}
		if ( status === 429 ) {
			return this.onRateLimited( spec, info, outcome, attempt, canRetry );
		}
		if ( status >= 500 ) {
			if ( spec.kind === 'create' ) {
				throw new KeyCrmUnknownOutcomeError(
					`${ spec.route }: keyCRM answered ${ status }; the create may or may not have happened`,
					{ status, call: info }
				);
			}
			if ( ! canRetry ) {
				throw new KeyCrmTransientError(
					`${ spec.route }: keyCRM answered ${ status } (after ${ attempt } attempts)`,
					{ status, call: info }
				);
			}
			return backoffDelay( attempt, this.opts.backoff );
		}
		throw clientError( spec, info, outcome );
	}

	private onRateLimited(
		spec: CallSpec< unknown >,
		info: KeyCrmCallInfo,
		outcome: Extract< Attempt, { kind: 'response' } >,
		attempt: number,
		canRetry: boolean
	): number {
		const now = this.opts.clock.now();
		const retryAfter = parseRetryAfter(
			outcome.headers.get( 'retry-after' ),
			now
		);
		const wait =
			retryAfter ??
			Math.max( 1000, backoffDelay( attempt, this.opts.backoff ) );
		this.opts.limiter.blockUntil( now + wait );
		if ( ! canRetry ) {
			throw new KeyCrmRateLimitedError(
				`${ spec.route }: rate limited by keyCRM (429) after ${ attempt } attempts`,
				wait,
				info
			);
		}
		// The limiter holds the next attempt until the wait is over.
		return 0;
	}
}
