/** @jest-environment node */
/**
 * The emulator core, called directly (no transport): keyCRM's behaviours as
 * the spec and API-NOTES describe them.
 */
import { http, HttpResponse } from 'msw';

import type { EmulatorRequest } from '../../src/emulator/core';
import { KEYCRM_TEST_KEY, useKeyCrmEmulator } from '../helpers/keycrm';

const WEBHOOK_URL =
	'https://shop.example/wp-json/keycrm-sync/v1/webhook/stock?secret=s';
const env = useKeyCrmEmulator( { warehouses: [ 1, { id: 7, name: 'Kyiv' } ] } );
const auth = { authorization: `Bearer ${ KEYCRM_TEST_KEY }` };

/**
 * Call the emulator and parse the JSON body.
 * @param method HTTP method.
 * @param path   Path below `/v1`.
 * @param opts   Options.
 */
async function call(
	method: string,
	path: string,
	opts: Partial< EmulatorRequest > & { json?: unknown } = {}
) {
	const res = await env.emulator.handle( {
		method,
		path: `/v1${ path }`,
		headers: auth,
		body: opts.json === undefined ? undefined : JSON.stringify( opts.json ),
		...opts,
	} );
	return {
		...res,
		json: res.body
			? ( JSON.parse( res.body ) as Record< string, unknown > )
			: undefined,
	};
}

/** Collect webhook deliveries (msw stands in for the shop). */
function captureWebhooks(): unknown[] {
	const received: unknown[] = [];
	env.emulator.webhook.url = WEBHOOK_URL;
	env.server.use(
		http.post(
			'https://shop.example/wp-json/keycrm-sync/v1/webhook/stock',
			async ( { request } ) => {
				received.push( await request.json() );
				return HttpResponse.json( { ok: true } );
			}
		)
	);
	return received;
}

describe( 'auth and rate limit', () => {
	it( 'answers 401 {"message":"Unauthenticated."} without or with a wrong bearer key', async () => {
		for ( const headers of [
			{},
			{ authorization: 'Bearer nope' },
			{ authorization: KEYCRM_TEST_KEY },
		] ) {
			const res = await call( 'GET', '/offers', { headers } );
			expect( [ res.status, res.json ] ).toEqual( [
				401,
				{ message: 'Unauthenticated.' },
			] );
		}
	} );

	it( 'allows 60 requests per minute per key, then 429 with Retry-After and X-RateLimit headers', async () => {
		const first = await call( 'GET', '/offers/stocks' );
		expect( first.headers ).toMatchObject( {
			'X-RateLimit-Limit': '60',
			'X-RateLimit-Remaining': '59',
		} );
		for ( let i = 1; i < 60; i++ ) {
			await call( 'GET', '/offers/stocks' );
		}
		await env.clock.sleep( 20_000 );
		const limited = await call( 'GET', '/offers/stocks' );
		expect( limited.status ).toBe( 429 );
		expect( limited.json ).toEqual( { message: 'Too Many Attempts.' } );
		expect( limited.headers ).toMatchObject( {
			'Retry-After': '40',
			'X-RateLimit-Remaining': '0',
		} );
		await env.clock.sleep( 40_000 );
		expect( ( await call( 'GET', '/offers/stocks' ) ).status ).toBe( 200 );
		expect( env.emulator.stats() ).toMatchObject( {
			total: 62,
			rateLimited: 1,
			byStatus: { 200: 61, 429: 1 },
		} );
	} );
} );

describe( 'pagination', () => {
	it( 'returns the full top-level paginator; next_page_url keeps the query', async () => {
		await call( 'POST', '/products/import', {
			json: {
				products: Array.from( { length: 7 }, ( _, i ) => ( {
					name: `P${ i }`,
					sku: `S${ i }`,
				} ) ),
			},
		} );
		const res = await call( 'GET', '/offers', {
			query: 'limit=3&page=2&filter[is_archived]=false&include=product',
		} );
		expect( res.json ).toMatchObject( {
			current_page: 2,
			from: 4,
			to: 6,
			last_page: 3,
			per_page: 3,
			total: 7,
			path: 'https://openapi.keycrm.app/v1/offers',
		} );
		const next = new URL( String( res.json?.next_page_url ) );
		expect( Object.fromEntries( next.searchParams ) ).toEqual( {
			limit: '3',
			page: '3',
			'filter[is_archived]': 'false',
			include: 'product',
		} );
		expect(
			new URL( String( res.json?.prev_page_url ) ).searchParams.get(
				'page'
			)
		).toBe( '1' );
		expect( Object.keys( res.json ?? {} ).sort() ).toEqual( [
			'current_page',
			'data',
			'first_page_url',
			'from',
			'last_page',
			'last_page_url',
			'next_page_url',
			'path',
			'per_page',
			'prev_page_url',
			'to',
			'total',
		] );
	} );

	it( 'defaults to 15 per page and answers 422 for limit > 50 (documented choice)', async () => {
		expect( ( await call( 'GET', '/offers' ) ).json?.per_page ).toBe( 15 );
		const res = await call( 'GET', '/offers/stocks', {
			query: 'limit=51',
		} );
		expect( res.status ).toBe( 422 );
		expect( res.json ).toEqual( {
			message: 'The limit field must not be greater than 50.',
			errors: {
				limit: [ 'The limit field must not be greater than 50.' ],
			},
		} );
		expect(
			( await call( 'GET', '/offers/stocks', { query: 'limit=0' } ) )
				.status
		).toBe( 422 );
	} );
} );

describe( 'catalogue', () => {
	it( 'bulk calls answer 201/202 {status:true} with no ids; POST /products returns the product', async () => {
		const imported = await call( 'POST', '/products/import', {
			json: { products: [ { name: 'A', sku: 'A' } ] },
		} );
		expect( [ imported.status, imported.json ] ).toEqual( [
			201,
			{ status: true },
		] );
		const created = await call( 'POST', '/products', {
			json: { name: 'B', sku: 'B', price: 5 },
		} );
		expect( created.status ).toBe( 201 );
		expect( created.json ).toMatchObject( {
			id: 2,
			name: 'B',
			sku: 'B',
			price: 5,
			has_offers: false,
			quantity: 0,
		} );
		const offers = await call( 'PUT', '/offers', {
			json: { offers: [ { sku: 'A', price: 3 } ] },
		} );
		expect( [ offers.status, offers.json ] ).toEqual( [
			202,
			{ status: true },
		] );
		const stocks = await call( 'PUT', '/offers/stocks', {
			json: { warehouse_id: 1, stocks: [ { sku: 'A', quantity: 3 } ] },
		} );
		expect( [ stocks.status, stocks.json ] ).toEqual( [
			202,
			{ status: true },
		] );
		const variants = await call( 'POST', '/products/2/offers', {
			json: { offers: [ { sku: 'B-1' } ] },
		} );
		expect( [ variants.status, variants.json ] ).toEqual( [
			201,
			{ status: true },
		] );
	} );

	it( 'a simple product has one default offer with its SKU; adding variants replaces it', async () => {
		await call( 'POST', '/products', {
			json: { name: 'Tee', sku: 'TEE', price: 9 },
		} );
		let offers = (
			await call( 'GET', '/offers', { query: 'filter[product_id]=1' } )
		).json?.data as Record< string, unknown >[];
		expect( offers ).toEqual( [
			expect.objectContaining( {
				id: 1,
				sku: 'TEE',
				price: 9,
				is_default: true,
				in_reserve: 0,
			} ),
		] );
		await call( 'POST', '/products/1/offers', {
			json: {
				offers: [
					{
						sku: 'TEE-S',
						properties: [ { name: 'Size', value: 'S' } ],
					},
					{ sku: 'TEE-M' },
				],
			},
		} );
		offers = (
			await call( 'GET', '/offers', { query: 'filter[product_id]=1' } )
		).json?.data as Record< string, unknown >[];
		expect( offers.map( ( o ) => [ o.sku, o.is_default ] ) ).toEqual( [
			[ 'TEE-S', false ],
			[ 'TEE-M', false ],
		] );
		const product = ( await call( 'GET', '/products/1' ) ).json;
		expect( product ).toMatchObject( { has_offers: true } );
		expect( product ).not.toHaveProperty( 'sku' );
	} );

	it( 'answers 422 with Laravel-style errors for invalid bodies', async () => {
		const missing = await call( 'POST', '/products/import', {
			json: { products: [ { name: 'ok' }, { sku: 'x' } ] },
		} );
		expect( missing.status ).toBe( 422 );
		expect( missing.json ).toEqual( {
			message: 'The products.1.name field is required.',
			errors: {
				'products.1.name': [ 'The products.1.name field is required.' ],
			},
		} );
		const tooMany = await call( 'POST', '/products/import', {
			json: {
				products: Array.from( { length: 101 }, ( _, i ) => ( {
					name: `P${ i }`,
				} ) ),
			},
		} );
		expect( tooMany.json?.errors ).toEqual( {
			products: [
				'The products field must not have more than 100 items.',
			],
		} );
		const noWarehouse = await call( 'PUT', '/offers/stocks', {
			json: { stocks: [ { sku: 'x', quantity: 1 } ] },
		} );
		expect( noWarehouse.json?.errors ).toHaveProperty( 'warehouse_id' );
		const noBody = await call( 'POST', '/products', { body: 'not json' } );
		expect( noBody.json?.errors ).toHaveProperty( 'name' );
		expect( env.emulator.stats().counters.productsCreated ).toBe( 0 );
	} );

	it( 'an unknown SKU or id in PUT /offers or /offers/stocks rejects the whole batch, naming the rows', async () => {
		await call( 'POST', '/products/import', {
			json: { products: [ { name: 'A', sku: 'A' } ] },
		} );
		const res = await call( 'PUT', '/offers/stocks', {
			json: {
				warehouse_id: 1,
				stocks: [
					{ sku: 'A', quantity: 5 },
					{ sku: 'Z', quantity: 1 },
					{ id: 99, quantity: 1 },
				],
			},
		} );
		expect( res.status ).toBe( 422 );
		expect( Object.keys( res.json?.errors as object ) ).toEqual( [
			'stocks.1.sku',
			'stocks.2.id',
		] );
		const stock = ( await call( 'GET', '/offers/stocks' ) ).json
			?.data as Record< string, unknown >[];
		expect( stock[ 0 ] ).toMatchObject( { sku: 'A', quantity: 0 } );
	} );

	it( 'unknown routes are 404, wrong methods 405', async () => {
		expect( ( await call( 'GET', '/warehouses' ) ).status ).toBe( 404 );
		expect( ( await call( 'DELETE', '/offers' ) ).status ).toBe( 405 );
		expect( ( await call( 'GET', '/products/42' ) ).status ).toBe( 404 );
	} );
} );

describe( 'stock and webhook', () => {
	it( 'stock is absolute per warehouse; totals, reserve and the details breakdown', async () => {
		await call( 'POST', '/products/import', {
			json: { products: [ { name: 'A', sku: 'A' } ] },
		} );
		await call( 'PUT', '/offers/stocks', {
			json: { warehouse_id: 1, stocks: [ { sku: 'A', quantity: 10 } ] },
		} );
		await call( 'PUT', '/offers/stocks', {
			json: { warehouse_id: 7, stocks: [ { sku: 'A', quantity: 4 } ] },
		} );
		await call( 'PUT', '/offers/stocks', {
			json: { warehouse_id: 1, stocks: [ { sku: 'A', quantity: 6 } ] },
		} );
		await env.emulator.handle( {
			method: 'POST',
			path: '/__emulator/stock',
			body: JSON.stringify( { sku: 'A', warehouse_id: 7, reserve: 2 } ),
		} );
		const detailed = (
			await call( 'GET', '/offers/stocks', {
				query: 'filter[offers_sku]=A&filter[details]=true',
			} )
		).json?.data;
		expect( detailed ).toEqual( [
			{
				id: 1,
				sku: 'A',
				price: null,
				purchased_price: null,
				quantity: 10,
				reserve: 2,
				warehouse: [
					{ id: 1, name: 'Warehouse 1', quantity: 6, reserve: 0 },
					{ id: 7, name: 'Kyiv', quantity: 4, reserve: 2 },
				],
			},
		] );
		const offer = (
			await call( 'GET', '/offers', { query: 'filter[sku]=A' } )
		).json?.data as Record< string, unknown >[];
		expect( offer[ 0 ] ).toMatchObject( { quantity: 10, in_reserve: 2 } );
		expect(
			(
				await call( 'PUT', '/offers/stocks', {
					json: {
						warehouse_id: 3,
						stocks: [ { sku: 'A', quantity: 1 } ],
					},
				} )
			).status
		).toBe( 422 );
	} );

	it( 'fires the stock webhook after API and in-keyCRM stock changes: bare array of totals', async () => {
		const received = captureWebhooks();
		await call( 'POST', '/products/import', {
			json: {
				products: [
					{ name: 'A', sku: 'A' },
					{ name: 'B', sku: 'B' },
				],
			},
		} );
		await call( 'PUT', '/offers/stocks', {
			json: {
				warehouse_id: 7,
				stocks: [
					{ sku: 'A', quantity: 3 },
					{ sku: 'B', quantity: 0 },
				],
			},
		} );
		await env.emulator.webhook.idle();
		// B did not change (0 → 0): only A is reported.
		expect( received ).toEqual( [
			[ { offer_id: 1, sku: 'A', in_stock: 3, in_reserve: 0 } ],
		] );
		await env.emulator.handle( {
			method: 'POST',
			path: '/__emulator/stock',
			body: JSON.stringify( [
				{ sku: 'B', quantity: 5 },
				{ offer_id: 1, warehouse_id: 1, quantity: 2, reserve: 1 },
			] ),
		} );
		await env.emulator.webhook.idle();
		expect( received[ 1 ] ).toEqual( [
			{ offer_id: 2, sku: 'B', in_stock: 5, in_reserve: 0 },
			{ offer_id: 1, sku: 'A', in_stock: 5, in_reserve: 1 },
		] );
		expect( env.emulator.stats().webhook ).toMatchObject( {
			delivered: 2,
			failed: 0,
		} );
	} );

	it( 'counts webhook failures (3 attempts) without failing the API call', async () => {
		env.emulator.webhook.url = WEBHOOK_URL;
		env.server.use(
			http.post(
				'https://shop.example/wp-json/keycrm-sync/v1/webhook/stock',
				() =>
					HttpResponse.json( { code: 'bad_secret' }, { status: 403 } )
			)
		);
		await call( 'POST', '/products/import', {
			json: { products: [ { name: 'A', sku: 'A' } ] },
		} );
		const res = await call( 'PUT', '/offers/stocks', {
			json: { warehouse_id: 1, stocks: [ { sku: 'A', quantity: 1 } ] },
		} );
		expect( res.status ).toBe( 202 );
		await env.emulator.webhook.idle();
		expect( env.emulator.stats().webhook ).toMatchObject( {
			delivered: 0,
			failed: 1,
			attempts: 3,
			lastError: 'HTTP 403',
		} );
	} );
} );

describe( 'faults and control API', () => {
	it( 'injects a seeded share of faults reproducibly', async () => {
		const run = async () => {
			env.emulator.faults.set( {
				rate429: 0.2,
				rate500: 0.2,
				rateReset: 0.1,
				seed: 42,
			} );
			const statuses: ( number | string )[] = [];
			for ( let i = 0; i < 40; i++ ) {
				const res = await call( 'GET', '/offers/stocks' );
				statuses.push( res.fault ?? res.status );
				await env.clock.sleep( 1000 );
			}
			return statuses;
		};
		const a = await run();
		const b = await run();
		expect( a ).toEqual( b );
		expect( new Set( a ) ).toEqual( new Set( [ 200, 429, 500, 'reset' ] ) );
	} );

	it( 'adds latency on the clock, and can fail before doing the work', async () => {
		env.emulator.setFaults( { latencyMs: 250 } );
		const start = env.clock.now();
		await call( 'GET', '/offers' );
		expect( env.clock.now() - start ).toBe( 250 );
		env.emulator.setFaults( { rate500: 1, faultsAfterWork: false } );
		const res = await call( 'POST', '/products/import', {
			json: { products: [ { name: 'A', sku: 'A' } ] },
		} );
		expect( [ res.status, res.json ] ).toEqual( [
			500,
			{ message: 'Server Error' },
		] );
		expect( env.emulator.stats().counters.productsCreated ).toBe( 0 );
		env.emulator.setFaults( { rate500: 1 } );
		await call( 'POST', '/products/import', {
			json: { products: [ { name: 'A', sku: 'A' } ] },
		} );
		// Default: the work was done, then the 500 was sent.
		expect( env.emulator.stats().counters.productsCreated ).toBe( 1 );
	} );

	it( 'scripts a fault on the nth request to a route: a 429 with its Retry-After, a reset after the work', async () => {
		env.emulator.setFaults( {
			script: [
				{ route: 'GET /offers', nth: 2, fault: '429', retryAfter: 7 },
				{ route: 'POST /products/import', fault: 'reset' },
			],
		} );
		expect( ( await call( 'GET', '/offers' ) ).status ).toBe( 200 );
		const limited = await call( 'GET', '/offers' );
		expect( [ limited.status, limited.headers[ 'Retry-After' ] ] ).toEqual(
			[ 429, '7' ]
		);
		expect( ( await call( 'GET', '/offers' ) ).status ).toBe( 200 );
		const body = { json: { products: [ { name: 'A', sku: 'A' } ] } };
		expect( ( await call( 'POST', '/products/import', body ) ).fault ).toBe(
			'reset'
		);
		// The answer was lost, the work was done: keyCRM holds the product.
		expect( env.emulator.store.findBySku( 'A' ) ).toHaveLength( 1 );
		expect(
			( await call( 'POST', '/products/import', body ) ).status
		).toBe( 201 );
		expect( env.emulator.stats().faults ).toMatchObject( {
			'429': 1,
			reset: 1,
		} );
	} );

	it( 'rejectSkus makes any bulk call containing them a 422 naming the row', async () => {
		await call( 'POST', '/products/import', {
			json: {
				products: [
					{ name: 'A', sku: 'A' },
					{ name: 'B', sku: 'B' },
				],
			},
		} );
		await env.emulator.handle( {
			method: 'POST',
			path: '/__emulator/faults',
			body: JSON.stringify( { rejectSkus: [ 'B' ] } ),
		} );
		const res = await call( 'PUT', '/offers/stocks', {
			json: {
				warehouse_id: 1,
				stocks: [
					{ sku: 'A', quantity: 1 },
					{ sku: 'B', quantity: 1 },
				],
			},
		} );
		expect( res.status ).toBe( 422 );
		expect( Object.keys( res.json?.errors as object ) ).toEqual( [
			'stocks.1.sku',
		] );
		expect(
			(
				await call( 'PUT', '/offers', {
					json: { offers: [ { sku: 'A', price: 1 } ] },
				} )
			).status
		).toBe( 202 );
		expect(
			(
				await call( 'POST', '/products/import', {
					json: { products: [ { name: 'C', sku: 'B' } ] },
				} )
			).status
		).toBe( 422 );
	} );

	it( 'control endpoints: stats per route template, state, reset, webhook URL', async () => {
		await call( 'POST', '/products/import', {
			json: { products: [ { name: 'A', sku: 'A' } ] },
		} );
		await call( 'PUT', '/offers/stocks', {
			json: { warehouse_id: 1, stocks: [ { sku: 'A', quantity: 2 } ] },
		} );
		await call( 'GET', '/products/1' );
		const control = async (
			method: string,
			name: string,
			body?: unknown
		) => {
			const res = await env.emulator.handle( {
				method,
				path: `/__emulator/${ name }`,
				body: body === undefined ? undefined : JSON.stringify( body ),
			} );
			return {
				status: res.status,
				json: JSON.parse( res.body ) as Record< string, unknown >,
			};
		};
		expect( ( await control( 'GET', 'stats' ) ).json ).toMatchObject( {
			total: 3,
			byRoute: {
				'POST /products/import': 1,
				'PUT /offers/stocks': 1,
				'GET /products/{id}': 1,
			},
		} );
		const state = ( await control( 'GET', 'state' ) ).json;
		expect( state ).toMatchObject( {
			duplicates: 0,
			stock: [
				{
					offer_id: 1,
					sku: 'A',
					quantity: 2,
					reserve: 0,
					warehouses: {
						1: { quantity: 2, reserve: 0 },
						7: { quantity: 0, reserve: 0 },
					},
				},
			],
		} );
		expect(
			( await control( 'POST', 'webhook', { url: null } ) ).json
		).toEqual( { url: null } );
		expect(
			( await control( 'POST', 'webhook', { url: 'not a url' } ) ).status
		).toBe( 422 );
		expect(
			( await control( 'POST', 'faults', { rate500: 2 } ) ).status
		).toBe( 422 );
		await control( 'POST', 'reset' );
		expect( ( await control( 'GET', 'state' ) ).json ).toMatchObject( {
			products: [],
			offers: [],
		} );
		expect( ( await control( 'GET', 'stats' ) ).json ).toMatchObject( {
			total: 0,
		} );
	} );

	it( 'seeds products, variants and per-warehouse stock; refuses bad seeds', async () => {
		const seed = async ( body: unknown ) =>
			env.emulator.handle( {
				method: 'POST',
				path: '/__emulator/seed',
				body: JSON.stringify( body ),
			} );
		const ok = await seed( {
			categories: [ { name: 'Tees' } ],
			products: [
				{ name: 'Mug', sku: 'MUG', price: 3, stock: 4 },
				{
					name: 'Tee',
					category_id: 1,
					offers: [
						{ sku: 'TEE-S', stock: { 1: 2, 7: 5 } },
						{ sku: 'TEE-M' },
					],
				},
			],
		} );
		expect( JSON.parse( ok.body ) ).toEqual( { products: 2, offers: 3 } );
		const rows = ( await call( 'GET', '/offers/stocks' ) ).json?.data;
		expect( rows ).toEqual( [
			expect.objectContaining( { sku: 'MUG', quantity: 4 } ),
			expect.objectContaining( { sku: 'TEE-S', quantity: 7 } ),
			expect.objectContaining( { sku: 'TEE-M', quantity: 0 } ),
		] );
		expect(
			( await seed( { products: [ { sku: 'no-name' } ] } ) ).status
		).toBe( 422 );
		expect(
			( await seed( { products: [ { name: 'X', stock: { 9: 1 } } ] } ) )
				.status
		).toBe( 422 );
		// Seeding is setup, not a stock change: no webhook, no API request counted.
		expect( env.emulator.stats() ).toMatchObject( { total: 1 } );
	} );

	it( 'the HTML page lists products and stock with escaped output', async () => {
		await call( 'POST', '/products', {
			json: { name: '<script>alert(1)</script>', sku: 'A&B"' },
		} );
		const res = await env.emulator.handle( { method: 'GET', path: '/' } );
		expect( res.headers[ 'Content-Type' ] ).toMatch( /text\/html/ );
		expect( res.body ).not.toContain( '<script>' );
		expect( res.body ).toContain(
			'&#60;script&#62;alert(1)&#60;/script&#62;'
		);
		expect( res.body ).toContain( 'A&#38;B&#34;' );
	} );
} );
