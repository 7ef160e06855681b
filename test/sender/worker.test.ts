/** @jest-environment node */
import { simulatedClock, type Clock } from '../../src/util/clock';
import { memoryLogger } from '../../src/sender/logger';
import { WorkerFatalError } from '../../src/sender/worker';
import { shopProduct } from '../helpers/fake-shop';
import {
	compareShopWithKeyCrm,
	startHarness,
	type Harness,
} from '../helpers/fake-shop-harness';
import { until } from '../helpers/wait';

// keyCRM, the shop and the worker share one simulated clock: a run takes the
// same clock time and makes the same requests on any machine, however busy.
let clock: Clock;
let h: Harness;

beforeEach( () => {
	clock = simulatedClock();
	h = startHarness( { clock } );
} );
afterEach( () => h.close() );

const simple = ( sku: string, stock = 5, price = 10 ) =>
	shopProduct( sku, { stock, price } );

/**
 * Add a variable product with variations.
 *
 * @param name  Parent name.
 * @param sizes Variation sizes.
 * @param live  A live change (false: resync backlog).
 */
function variable( name: string, sizes: string[], live = true ): void {
	const parent = h.shop.add(
		{
			...simple( `${ name }-P` ),
			type: 'variable',
			name,
			stock: null,
			manageStock: false,
			price: null,
		},
		live
	);
	for ( const size of sizes ) {
		h.shop.add(
			{
				...simple( `${ name }-${ size }`, 3, 20 ),
				type: 'variation',
				parentId: parent.id,
				attributes: [ { name: 'Size', value: size } ],
			},
			live
		);
	}
}

describe( 'worker against the keyCRM emulator and a model shop', () => {
	it( 'pushes a new catalogue with the fewest requests and acks every SKU', async () => {
		for ( let i = 0; i < 30; i++ ) {
			h.shop.add( simple( `S${ i }`, i ) );
		}
		variable( 'Shirt', [ 'S', 'M', 'L' ] );
		variable( 'Dress', [ 'S', 'M' ] );
		const logger = memoryLogger();
		await h.worker( { once: true }, logger ).run();

		expect( compareShopWithKeyCrm( h.shop, h.emulator ) ).toEqual( [] );
		expect( h.shop.dirtyCount() ).toBe( 0 );
		// census 1 + import 1 + 2 × (POST /products + POST offers) + 1 stock = 7
		expect( h.emulator.stats().byRoute ).toEqual( {
			'GET /offers': 1,
			'POST /products/import': 1,
			'POST /products': 2,
			'POST /products/{id}/offers': 2,
			'PUT /offers/stocks': 1,
		} );
		expect( h.emulator.stats().counters.duplicateSkusCreated ).toBe( 0 );
		expect(
			logger.entries.some(
				( e ) =>
					e.msg === 'batch' && typeof e.fields.synced === 'number'
			)
		).toBe( true );
		expect( JSON.stringify( logger.entries ) ).not.toContain( 'abcd efgh' );
	} );

	it( 'sends one stock request for many stock changes and one offers request for prices', async () => {
		for ( let i = 0; i < 200; i++ ) {
			h.shop.add( simple( `S${ i }` ) );
		}
		await h.worker( { once: true } ).run();
		const before = h.emulator.stats().total;
		for ( const p of [ ...h.shop.products.values() ].slice( 0, 150 ) ) {
			h.shop.update( p.id, { stock: 1 } );
		}
		for ( const p of [ ...h.shop.products.values() ].slice( 100, 120 ) ) {
			h.shop.update( p.id, { price: 11 } );
		}
		await h.worker( { once: true } ).run();
		expect( h.emulator.stats().total - before ).toBe( 2 );
		expect( compareShopWithKeyCrm( h.shop, h.emulator ) ).toEqual( [] );
	} );

	it( 'isolates a SKU keyCRM rejects; the others are synced, it fails with keyCRM’s message', async () => {
		// In clock time the run ends before the rejected row's 2 s back-off, on every machine: its
		// one attempt is the one measured (a retry resends its offer data and looks it up).
		for ( let i = 0; i < 40; i++ ) {
			h.shop.add( simple( `S${ i }` ) );
		}
		await h.worker( { once: true } ).run();
		h.emulator.faults.set( { rejectSkus: [ 'S7' ] } );
		for ( const p of h.shop.products.values() ) {
			h.shop.update( p.id, { stock: 2 } );
		}
		const before = h.emulator.stats().byStatus;
		await h.worker( { once: true } ).run();
		const after = h.emulator.stats().byStatus;
		const bad = h.shop.rows.get( 'S7' );
		// The 422 names the row: the 39 others go in one resend.
		expect( ( after[ 202 ] ?? 0 ) - ( before[ 202 ] ?? 0 ) ).toBe( 1 );
		expect( ( after[ 422 ] ?? 0 ) - ( before[ 422 ] ?? 0 ) ).toBe( 1 );
		expect( bad?.attempts ).toBe( 1 );
		expect( bad?.state ).toBe( 'failed' );
		expect( bad?.lastError ).toContain( 'rejected' );
		const mismatches = compareShopWithKeyCrm( h.shop, h.emulator );
		expect( mismatches ).toEqual( [
			{ sku: 'S7', problem: 'stock 5 ≠ 2' },
		] );
	} );

	it( 'never duplicates after a create whose answer is lost', async () => {
		for ( let i = 0; i < 120; i++ ) {
			h.shop.add( simple( `S${ i }` ) );
		}
		// Every 2nd request fails after keyCRM did the work.
		h.emulator.faults.set( {
			rate500: 0.5,
			faultsAfterWork: true,
			seed: 3,
		} );
		const w = h.worker( { once: true } );
		await w.run();
		h.emulator.faults.set( {} );
		// Rows backed off by `retry` come due later; drain until clean.
		for ( let i = 0; i < 20 && h.shop.dirtyCount() > 0; i++ ) {
			await clock.sleep( 30_000 );
			await h.worker( { once: true } ).run();
		}
		expect( h.emulator.stats().faults[ '500' ] ).toBeGreaterThan( 0 );
		expect( h.emulator.stats().counters.duplicateSkusCreated ).toBe( 0 );
		expect( compareShopWithKeyCrm( h.shop, h.emulator ) ).toEqual( [] );
	} );

	it( 'stops with a plain message when WordPress rejects the application password', async () => {
		const w = h.worker( {
			once: true,
			plugin: new (
				await import( '../../src/wordpress/plugin-client' )
			).PluginClient( {
				siteUrl: 'http://shop.test',
				user: 'sender',
				appPassword: 'wrong',
			} ),
		} );
		await expect( w.run() ).rejects.toThrow(
			/rejected the login or application password/
		);
	} );

	it( 'stops with a plain message when keyCRM rejects the API key', async () => {
		h.shop.add( simple( 'A' ) );
		const w = h.worker( { once: true, apiKey: 'bad-key' } );
		await expect( w.run() ).rejects.toThrow( WorkerFatalError );
	} );

	it( 'sends the heartbeat with every claim', async () => {
		h.shop.add( simple( 'A' ) );
		await h.worker( { once: true, workerId: 'w-1' } ).run();
		expect( h.shop.heartbeat ).toMatchObject( {
			worker_id: 'w-1',
			version: '0.1.0',
		} );
		expect( h.shop.heartbeat?.requests_last_minute ).toBeGreaterThan( 0 );
	} );

	it( 'holds no more calls than its lease covers and takes only live changes while its queue is full', async () => {
		// Leases are judged in keyCRM time, in which the machine's own work takes none.
		const order = h.shop.add( simple( 'ORDER', 9 ) );
		await h.worker( { once: true } ).run();
		// A backlog of variable products: two calls per product (~0.33 per SKU).
		for ( let i = 0; i < 40; i++ ) {
			variable( `B${ i }`, [ 'S', 'M', 'L', 'XL', 'XXL' ], false );
		}
		const claims: Array< {
			limit: number;
			liveOnly: boolean;
			skus: string[];
		} > = [];
		const plugin = h.plugin();
		const worker = h.worker( {
			leaseSeconds: 60,
			plugin: {
				claim: async ( req ) => {
					const res = await plugin.claim( req );
					claims.push( {
						limit: req.limit ?? 0,
						liveOnly: req.live_only === true,
						skus: res.items.map( ( i ) => i.sku ),
					} );
					return res;
				},
				ack: ( req ) => plugin.ack( req ),
			},
		} );
		const running = worker.run();
		await until( () => claims.some( ( c ) => c.liveOnly ), clock, {
			within: 120_000,
			step: 1000,
			what: 'a live-only claim',
		} );
		h.shop.update( order.id, { stock: 2 } );
		const offer = () => h.emulator.store.findBySku( 'ORDER' )[ 0 ];
		// In keyCRM within seconds, ahead of the backlog.
		const took = await until(
			() => h.emulator.store.cell( offer()?.id ?? 0, 1 ).quantity === 2,
			clock,
			{ within: 15_000, what: 'the order’s stock in keyCRM' }
		);
		expect( took ).toBeLessThan( 15_000 );
		expect( h.shop.dirtyCount() ).toBeGreaterThan( 50 );
		await until( () => h.shop.dirtyCount() === 0, clock, {
			within: 600_000,
			step: 1000,
			what: 'an empty outbox',
		} );
		worker.stop();
		await running;

		expect( h.shop.dirtyCount() ).toBe( 0 );
		expect( compareShopWithKeyCrm( h.shop, h.emulator ) ).toEqual( [] );
		// 240 SKUs need ~80 calls (80 s) while a lease lasts 60 s: taken bit by bit, no lease ran out.
		expect(
			[ ...h.shop.rows.entries() ].filter(
				( [ sku, r ] ) => sku !== 'ORDER' && r.claims !== 1
			)
		).toEqual( [] );
		expect(
			Math.max( ...claims.map( ( c ) => c.skus.length ) )
		).toBeLessThan( 240 );
		// Live-only claims were made and brought the order's change, never backlog.
		const live = claims
			.filter( ( c ) => c.liveOnly )
			.flatMap( ( c ) => c.skus );
		expect( claims.some( ( c ) => c.liveOnly ) ).toBe( true );
		expect( live.filter( ( sku ) => sku !== 'ORDER' ) ).toEqual( [] );
	} );
} );

describe( 'settings that keep products out of keyCRM', () => {
	it( 'creates published products only; a draft is acknowledged with the reason and created once published', async () => {
		h.shop.settings = { ...h.shop.settings, sync_statuses: [ 'publish' ] };
		h.shop.add( shopProduct( 'PUB-1' ) );
		const draft = h.shop.add(
			shopProduct( 'DRAFT-1', { status: 'draft' } )
		);
		await h.worker( { once: true } ).run();
		expect( h.emulator.store.findBySku( 'PUB-1' ) ).toHaveLength( 1 );
		expect( h.emulator.store.findBySku( 'DRAFT-1' ) ).toHaveLength( 0 );
		const row = h.shop.rows.get( 'DRAFT-1' );
		expect( row?.state ).toBe( 'synced' );
		expect( row?.lastCode ).toBe( 'not_sent' );
		expect( row?.lastError ).toMatch( /status is "draft"/ );

		h.shop.update( draft.id, { status: 'publish' } );
		await h.worker( { once: true } ).run();
		expect( h.emulator.store.findBySku( 'DRAFT-1' ) ).toHaveLength( 1 );
		expect( h.shop.rows.get( 'DRAFT-1' )?.lastCode ).toBeNull();
	} );
} );
