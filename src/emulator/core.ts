/**
 * `KeyCrmEmulator`: an in-memory keyCRM, transport-free. `handle()` takes a
 * plain request and returns a plain response, so the same core backs the msw
 * handlers (msw.ts), the HTTP server (server.ts) and the HTML page.
 *
 * Paths: `/v1/...` is keyCRM's API (bearer auth, 60/min per key, faults);
 * `/__emulator/...` is the control API; `/` is the read-only page.
 */
import { systemClock, type Clock } from '../util/clock.js';
import { catalogRoutes } from './catalog-routes.js';
import { handleControl } from './control.js';
import { FaultInjector, type FaultSettings } from './faults.js';
import { faultResponse } from './fault-response.js';
import { HttpError } from './http-error.js';
import { renderPage } from './html.js';
import { offerRoutes } from './offer-routes.js';
import { RateWindow } from './rate-window.js';
import { bearer, parseJson, respond } from './respond.js';
import type { Route } from './route-types.js';
import { EmulatorStore, type Warehouse } from './store.js';
import { StockWebhook } from './webhook.js';

export interface EmulatorOptions {
	/** Accepted API keys (default `['test']`). */
	apiKeys?: string[];
	/** Requests per minute per key (default 60). */
	ratePerMinute?: number;
	/** Time source of the rate window, latency and webhook retries (scaled for benchmarks). */
	clock?: Clock;
	/** Warehouses: ids or `{id, name}` (default `[1]`). */
	warehouses?: ( number | Warehouse )[];
	/** Stock webhook URL (default none). */
	webhookUrl?: string | null;
	/** fetch used for webhooks (default global fetch). */
	webhookFetch?: typeof globalThis.fetch;
	/** Absolute API root used in paginator URLs (default keyCRM's). */
	apiUrl?: string;
	/** Initial faults. */
	faults?: FaultSettings;
}

/** A request, independent of transport. */
export interface EmulatorRequest {
	method: string;
	/** Full path, e.g. `/v1/offers/stocks`. */
	path: string;
	query?: URLSearchParams | string;
	/** Header names in any case. */
	headers?: Record< string, string | undefined > | Headers;
	/** Raw body text. */
	body?: string;
}

/**
 * A response; `fault` asks the transport to reset the connection, never answer, or send the
 * headers and the start of `body` and then stall (`drip`).
 */
export interface EmulatorResponse {
	status: number;
	headers: Record< string, string >;
	body: string;
	fault?: 'reset' | 'timeout' | 'drip';
}

interface CompiledRoute extends Route {
	regex: RegExp;
}

const ROUTES: CompiledRoute[] = [ ...catalogRoutes, ...offerRoutes ].map(
	( r ) => ( {
		...r,
		regex: new RegExp(
			`^${ r.template.replace( /\{id\}/g, '(?<id>[1-9]\\d*)' ) }$`
		),
	} )
);

/** The emulator. */
export class KeyCrmEmulator {
	store: EmulatorStore;
	readonly faults = new FaultInjector();
	readonly webhook: StockWebhook;
	readonly clock: Clock;
	apiUrl: string;
	private readonly rate: RateWindow;
	private readonly keys: Set< string >;
	private requests = {
		total: 0,
		byRoute: new Map< string, number >(),
		byStatus: new Map< number, number >(),
	};

	constructor( private readonly options: EmulatorOptions = {} ) {
		this.clock = options.clock ?? systemClock;
		this.keys = new Set( options.apiKeys ?? [ 'test' ] );
		this.rate = new RateWindow( this.clock, options.ratePerMinute ?? 60 );
		this.apiUrl = options.apiUrl ?? 'https://openapi.keycrm.app/v1';
		this.store = this.newStore();
		this.webhook = new StockWebhook(
			() => this.store,
			this.clock,
			options.webhookFetch
		);
		this.reset();
	}

	private newStore(): EmulatorStore {
		const warehouses = ( this.options.warehouses ?? [ 1 ] ).map( ( w ) =>
			typeof w === 'number' ? { id: w, name: `Warehouse ${ w }` } : w
		);
		return new EmulatorStore( this.clock, warehouses );
	}

	/** Back to the constructed state: empty catalogue, counters, windows, faults and webhook URL. */
	reset(): void {
		this.store = this.newStore();
		this.webhook.url = this.options.webhookUrl ?? null;
		this.webhook.resetStats();
		this.rate.reset();
		this.faults.set( this.options.faults ?? {} );
		this.faults.resetCounts();
		this.requests = { total: 0, byRoute: new Map(), byStatus: new Map() };
	}

	/**
	 * Replace the fault settings (validated; `{}` turns every fault off).
	 *
	 * @param settings Latency, shares of 429/500/reset/timeout, SKUs to reject, seed.
	 */
	setFaults( settings: FaultSettings ): void {
		this.faults.set( settings );
	}

	/** Request counters: total API requests, per "METHOD /template" and per status. */
	stats() {
		return {
			total: this.requests.total,
			byRoute: Object.fromEntries( this.requests.byRoute ),
			byStatus: Object.fromEntries( this.requests.byStatus ),
			rateLimited: this.rate.rejected,
			faults: { ...this.faults.injected },
			webhook: { ...this.webhook.stats },
			counters: { ...this.store.counters },
		};
	}

	/**
	 * Answer one request.
	 *
	 * @param req The request.
	 */
	async handle( req: EmulatorRequest ): Promise< EmulatorResponse > {
		const query =
			typeof req.query === 'string' || req.query === undefined
				? new URLSearchParams( req.query ?? '' )
				: req.query;
		const method = req.method.toUpperCase();
		try {
			if ( req.path === '/v1' || req.path.startsWith( '/v1/' ) ) {
				return await this.handleApi(
					method,
					req.path.slice( 3 ) || '/',
					query,
					req
				);
			}
			if ( req.path.startsWith( '/__emulator/' ) ) {
				return respond(
					handleControl(
						this,
						method,
						req.path.slice( '/__emulator/'.length ),
						parseJson( req.body )
					)
				);
			}
			if ( req.path === '/' && method === 'GET' ) {
				return {
					status: 200,
					headers: { 'Content-Type': 'text/html; charset=utf-8' },
					body: renderPage( this.store ),
				};
			}
			throw HttpError.notFound();
		} catch ( error ) {
			if ( error instanceof HttpError ) {
				return respond(
					{ status: error.status, body: error.body },
					error.headers
				);
			}
			throw error;
		}
	}

	private count( route: string, status: number ): void {
		this.requests.total++;
		this.requests.byRoute.set(
			route,
			( this.requests.byRoute.get( route ) ?? 0 ) + 1
		);
		this.requests.byStatus.set(
			status,
			( this.requests.byStatus.get( status ) ?? 0 ) + 1
		);
	}

	private async handleApi(
		method: string,
		path: string,
		query: URLSearchParams,
		req: EmulatorRequest
	): Promise< EmulatorResponse > {
		const route = ROUTES.find(
			( r ) => r.method === method && r.regex.test( path )
		);
		const label = route
			? `${ method } ${ route.template }`
			: `${ method } (unknown)`;
		const res = await this.apiPipeline( route, label, path, query, req );
		this.count( label, res.status );
		return res;
	}

	private async apiPipeline(
		route: CompiledRoute | undefined,
		label: string,
		path: string,
		query: URLSearchParams,
		req: EmulatorRequest
	): Promise< EmulatorResponse > {
		const key = bearer( req.headers );
		if ( key === null || ! this.keys.has( key ) ) {
			return respond( {
				status: 401,
				body: { message: 'Unauthenticated.' },
			} );
		}
		const rate = this.rate.hit( key );
		if ( ! rate.allowed ) {
			return respond(
				{ status: 429, body: { message: 'Too Many Attempts.' } },
				rate.headers
			);
		}
		if ( this.faults.latencyMs() > 0 ) {
			await this.clock.sleep( this.faults.latencyMs() );
		}
		const { fault, retryAfter } = this.faults.choose( label );
		if ( fault === '429' ) {
			return respond(
				{ status: 429, body: { message: 'Too Many Attempts.' } },
				{ ...rate.headers, 'Retry-After': retryAfter }
			);
		}
		const early = fault !== 'none' && ! this.faults.afterWork();
		const res = early
			? undefined
			: this.runRoute( route, path, query, req.body, rate.headers );
		return fault === 'none' && res ? res : faultResponse( fault, res );
	}

	private runRoute(
		route: CompiledRoute | undefined,
		path: string,
		query: URLSearchParams,
		body: string | undefined,
		headers: Record< string, string >
	): EmulatorResponse {
		if ( ! route ) {
			const known = ROUTES.some( ( r ) => r.regex.test( path ) );
			return respond(
				known
					? { status: 405, body: { message: 'Method Not Allowed.' } }
					: { status: 404, body: { message: 'Not Found' } },
				headers
			);
		}
		const id = route.regex.exec( path )?.groups?.id;
		try {
			const result = route.handle( {
				store: this.store,
				query,
				body: parseJson( body ),
				params: id === undefined ? {} : { id: Number( id ) },
				apiUrl: this.apiUrl,
				rejectSkus: this.faults.rejectSkus(),
				stockChanged: ( ids ) => this.webhook.notify( ids ),
			} );
			return respond( result, headers );
		} catch ( error ) {
			if ( error instanceof HttpError ) {
				if ( error.status === 422 && this.faults.rejectSkus().size ) {
					this.faults.injected.rejectSkus++;
				}
				return respond(
					{ status: error.status, body: error.body },
					{ ...headers, ...error.headers }
				);
			}
			throw error;
		}
	}
}
