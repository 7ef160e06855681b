/**
 * A shop (FakeShop over msw), the keyCRM emulator (over msw) and workers
 * wired together on one clock, plus the convergence check: every SKU the
 * shop sells exists exactly once in keyCRM with the shop's stock and price,
 * variations of one product share one keyCRM product, retired SKUs hold 0.
 * Used by the worker tests, the convergence test and the benchmark.
 *
 * Time: everything (keyCRM's rate window and latency, the client's rate
 * limiter, back-off and per-attempt timeout, the shop's leases and back-offs,
 * the worker's polling) runs on the one clock given, and the client's jitter
 * draws from a seeded source. On a `simulatedClock` a run is the same on
 * every machine, however busy.
 */
import { setupServer } from 'msw/node';

import { createKeyCrmClient } from '../../src/keycrm/client';
import { KeyCrmEmulator } from '../../src/emulator/core';
import { seededRandom } from '../../src/emulator/faults';
import { keycrmHandlers } from '../../src/emulator/msw';
import { memoryLogger, type Logger } from '../../src/sender/logger';
import { Worker, type WorkerOptions } from '../../src/sender/worker';
import { PluginClient } from '../../src/wordpress/plugin-client';
import type { Clock } from '../../src/util/clock';
import { FakeShop, type FakeShopOptions } from './fake-shop';
import { fakeShopHandlers, type ShopHttpFaults } from './fake-shop-http';
import { FakeStockSource } from './fake-shop-stock';

export const SITE = 'http://shop.test';
export const KEYCRM = 'http://keycrm.test/v1';
export const USER = 'sender';
export const APP_PASSWORD = 'abcd efgh ijkl mnop qrst uvwx';
export const API_KEY = 'test';

/** Harness options. */
export interface HarnessOptions {
	clock: Clock;
	shop?: Omit< FakeShopOptions, 'clock' >;
	/** Per-attempt keyCRM timeout in ms of the clock (default 10,000). */
	timeoutMs?: number;
	/** Seed of the keyCRM client's back-off jitter (default 1). */
	seed?: number;
}

/**
 * Real ms after which ky gives up on a request (keyCRM's or the shop's): a
 * backstop only, far beyond any in-process request; the keyCRM timeout that
 * tests meet is the one on the clock.
 */
const REAL_TIMEOUT_BACKSTOP_MS = 120_000;

/**
 * `fetch` whose requests are aborted after `ms` of `clock` time without an
 * answer, or without the whole body (a keyCRM that never answers, as the
 * emulator's `timeout` fault does, or whose body stalls, its `drip`, times out
 * on the test's clock, not on the machine's).
 *
 * @param clock The clock.
 * @param ms    Timeout in clock ms.
 */
export function clockTimeoutFetch(
	clock: Clock,
	ms: number
): typeof globalThis.fetch {
	return async ( input, init ) => {
		const timedOut = new AbortController();
		const answered = new AbortController();
		const signals = [ timedOut.signal ];
		if ( init?.signal ) {
			signals.push( init.signal );
		}
		if ( input instanceof Request ) {
			signals.push( input.signal );
		}
		clock.sleep( ms, answered.signal ).then(
			() =>
				timedOut.abort(
					new DOMException(
						`no answer within ${ ms } ms`,
						'TimeoutError'
					)
				),
			() => undefined
		);
		let res: Response;
		try {
			res = await globalThis.fetch( input, {
				...init,
				signal: AbortSignal.any( signals ),
			} );
		} catch ( error ) {
			answered.abort();
			throw error;
		}
		if ( ! res.body ) {
			answered.abort();
			return res;
		}
		// The body too must end within `ms` (a body that stalls is a timeout, as in production).
		const reader = res.body.getReader();
		const body = new ReadableStream< Uint8Array >( {
			start( controller ) {
				timedOut.signal.addEventListener(
					'abort',
					() => {
						controller.error( timedOut.signal.reason );
						void reader.cancel().catch( () => undefined );
					},
					{ once: true }
				);
			},
			async pull( controller ) {
				try {
					const { done, value } = await reader.read();
					if ( done ) {
						answered.abort();
						controller.close();
					} else {
						controller.enqueue( value );
					}
				} catch ( error ) {
					answered.abort();
					controller.error( error );
				}
			},
			cancel( reason ) {
				answered.abort();
				return reader.cancel( reason );
			},
		} );
		return new Response( body, {
			status: res.status,
			statusText: res.statusText,
			headers: res.headers,
		} );
	};
}

/** The wired pieces. */
export interface Harness {
	shop: FakeShop;
	/** The shop's stock-pull routes. */
	stock: FakeStockSource;
	emulator: KeyCrmEmulator;
	shopFaults: ShopHttpFaults;
	server: ReturnType< typeof setupServer >;
	/** A worker against the harness (options override the defaults). */
	worker: ( over?: Partial< WorkerOptions >, logger?: Logger ) => Worker;
	/** A client of the shop's sender routes, as the worker's (for tests that wrap it). */
	plugin: () => PluginClient;
	close: () => void;
}

/**
 * Start the harness (msw server listening; unhandled requests are errors).
 *
 * @param opts Options.
 */
export function startHarness( opts: HarnessOptions ): Harness {
	const shop = new FakeShop( {
		clock: opts.clock,
		...opts.shop,
		settings: { api_key: API_KEY, ...opts.shop?.settings },
	} );
	const emulator = new KeyCrmEmulator( {
		clock: opts.clock,
		apiKeys: [ API_KEY ],
		apiUrl: KEYCRM,
	} );
	const stock = new FakeStockSource( shop, opts.clock );
	const { handlers, faults } = fakeShopHandlers( shop, {
		siteUrl: SITE,
		user: USER,
		appPassword: APP_PASSWORD,
		stock,
	} );
	const server = setupServer(
		...handlers,
		...keycrmHandlers( emulator, KEYCRM )
	);
	server.listen( { onUnhandledRequest: 'error' } );
	const plugin = () =>
		new PluginClient( {
			siteUrl: SITE,
			user: USER,
			appPassword: APP_PASSWORD,
			timeoutMs: REAL_TIMEOUT_BACKSTOP_MS,
		} );
	const jitter = seededRandom( opts.seed ?? 1 );
	const worker = (
		over: Partial< WorkerOptions > = {},
		logger: Logger = memoryLogger()
	) =>
		new Worker( {
			plugin: plugin(),
			makeClient: ( apiKey, ratePerMinute, signal ) =>
				createKeyCrmClient( {
					baseUrl: KEYCRM,
					apiKey,
					ratePerMinute,
					clock: opts.clock,
					signal,
					fetch: clockTimeoutFetch(
						opts.clock,
						opts.timeoutMs ?? 10_000
					),
					timeoutMs: REAL_TIMEOUT_BACKSTOP_MS,
					backoffBaseMs: 500,
					backoffCapMs: 5000,
					random: jitter,
				} ),
			clock: opts.clock,
			logger,
			pollMinMs: 200,
			pollMaxMs: 1000,
			...over,
		} );
	return {
		shop,
		stock,
		emulator,
		shopFaults: faults,
		server,
		worker,
		plugin,
		close: () => server.close(),
	};
}

/** One difference between shop and keyCRM. */
export interface Mismatch {
	sku: string;
	problem: string;
}

/**
 * Compare keyCRM (the emulator) with the shop.
 *
 * @param shop      The shop.
 * @param emulator  The emulator.
 * @param warehouse Warehouse id the sender writes.
 */
export function compareShopWithKeyCrm(
	shop: FakeShop,
	emulator: KeyCrmEmulator,
	warehouse = 1
): Mismatch[] {
	const out: Mismatch[] = [];
	const store = emulator.store;
	const parentProduct = new Map< number, number >();
	for ( const p of shop.products.values() ) {
		if ( p.sku === null || p.type === 'variable' ) {
			continue;
		}
		const offers = store.findBySku( p.sku );
		if ( offers.length !== 1 ) {
			out.push( {
				sku: p.sku,
				problem: `${ offers.length } offers in keyCRM`,
			} );
			continue;
		}
		const offer = offers[ 0 ] as ( typeof offers )[ number ];
		const want = p.manageStock ? Math.max( 0, p.stock ?? 0 ) : null;
		const have = store.cell( offer.id, warehouse ).quantity;
		if ( want !== null && have !== want ) {
			out.push( { sku: p.sku, problem: `stock ${ have } ≠ ${ want }` } );
		}
		if ( p.price !== null && offer.price !== p.price ) {
			out.push( {
				sku: p.sku,
				problem: `price ${ offer.price } ≠ ${ p.price }`,
			} );
		}
		if ( p.parentId !== null ) {
			const seen = parentProduct.get( p.parentId );
			if ( seen !== undefined && seen !== offer.product_id ) {
				out.push( {
					sku: p.sku,
					problem: `variation under keyCRM product ${ offer.product_id }, sibling under ${ seen }`,
				} );
			}
			parentProduct.set( p.parentId, offer.product_id );
		}
	}
	for ( const row of shop.rows.values() ) {
		if ( shop.bySku( row.sku ) ) {
			continue;
		}
		for ( const offer of store.findBySku( row.sku ) ) {
			if ( store.cell( offer.id, warehouse ).quantity !== 0 ) {
				out.push( {
					sku: row.sku,
					problem: 'retired SKU still has stock in keyCRM',
				} );
			}
		}
	}
	return out;
}
