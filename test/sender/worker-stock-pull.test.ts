/** @jest-environment node */
/**
 * The worker serves the periodic keyCRM → shop stock pull: when the plugin
 * says a pull is due, the worker pages through keyCRM's stocks with its own
 * client and applies them through `/worker/stock-apply`, while pushes go on.
 */
import { simulatedClock, type Clock } from '../../src/util/clock';
import { memoryLogger } from '../../src/sender/logger';
import type { Worker } from '../../src/sender/worker';
import { shopProduct } from '../helpers/fake-shop';
import {
	APP_PASSWORD,
	SITE,
	USER,
	compareShopWithKeyCrm,
	startHarness,
	type Harness,
} from '../helpers/fake-shop-harness';
import { until } from '../helpers/wait';

const site = { siteUrl: SITE, user: USER, appPassword: APP_PASSWORD };
// keyCRM, the shop, the worker and the test share one simulated clock.
let clock: Clock;
let h: Harness;

beforeEach( () => {
	clock = simulatedClock();
	h = startHarness( { clock } );
} );
afterEach( () => h.close() );

const simple = ( sku: string, stock: number ) => shopProduct( sku, { stock } );

/**
 * Set an offer's stock in keyCRM (warehouse 1), as a keyCRM user would.
 *
 * @param sku      SKU.
 * @param quantity In stock.
 * @param reserve  Reserved.
 */
function setKeyCrmStock( sku: string, quantity: number, reserve = 0 ): void {
	const offer = h.emulator.store.findBySku( sku )[ 0 ];
	if ( ! offer ) {
		throw new Error( `no keyCRM offer for ${ sku }` );
	}
	h.emulator.store.setStock( offer.id, 1, { quantity, reserve } );
}

/**
 * Run a worker until `done` holds (at most ten minutes of clock time), then stop it.
 *
 * @param w    Worker.
 * @param done Condition.
 * @param what What `done` means, for the failure message.
 */
async function runUntil(
	w: Worker,
	done: () => boolean,
	what: string
): Promise< void > {
	const running = w.run();
	try {
		await until( done, clock, { within: 600_000, step: 1000, what } );
	} finally {
		w.stop();
		await running;
	}
}

/** Push 20 products into keyCRM, then make keyCRM the source of stock. */
async function catalogueInKeyCrm(): Promise< void > {
	for ( let i = 0; i < 20; i++ ) {
		h.shop.add( simple( `S${ i }`, 5 ) );
	}
	await h.worker( { once: true } ).run();
	expect( compareShopWithKeyCrm( h.shop, h.emulator ) ).toEqual( [] );
	h.shop.settings = { ...h.shop.settings, stock_source: 'keycrm' };
}

const finished = () => h.stock.reports.some( ( r ) => r.event === 'finish' );
const stockOf = ( sku: string ) => h.shop.bySku( sku )?.stock;

describe( 'worker: periodic stock pull', () => {
	it( 'applies stock changed in keyCRM when the plugin says a pull is due', async () => {
		await catalogueInKeyCrm();
		setKeyCrmStock( 'S1', 9, 2 );
		setKeyCrmStock( 'S2', 0 );
		setKeyCrmStock( 'S3', 2.7 );
		h.stock.request();
		const logger = memoryLogger();
		const pushedBefore = h.emulator.stats().byRoute[ 'PUT /offers/stocks' ];

		await runUntil(
			h.worker( { site }, logger ),
			finished,
			'a finished pull'
		);

		// available = in_stock − in_reserve, rounded down; the rest unchanged.
		expect( [ 'S1', 'S2', 'S3', 'S4' ].map( stockOf ) ).toEqual( [
			7, 0, 2, 5,
		] );
		const applied = h.stock.applied.flatMap( ( b ) => b.items );
		expect( applied ).toHaveLength( 20 );
		expect( applied.find( ( i ) => i.sku === 'S1' ) ).toMatchObject( {
			in_stock: 9,
			in_reserve: 2,
		} );
		expect( h.stock.reports.at( -1 ) ).toMatchObject( {
			event: 'finish',
			complete: true,
			scanned: 20,
			counts: { applied: 3, unchanged: 17 },
		} );
		expect( h.stock.checks ).toBeGreaterThan( 0 );
		expect( h.stock.state().due ).toBe( false );
		// The pull went through the worker's keyCRM client; nothing was echoed back.
		expect( h.emulator.stats().byRoute[ 'GET /offers/stocks' ] ).toBe( 1 );
		expect( h.emulator.stats().byRoute[ 'PUT /offers/stocks' ] ).toBe(
			pushedBefore
		);
		expect( h.shop.dirtyCount() ).toBe( 0 );
		expect(
			logger.entries.some( ( e ) => e.msg.startsWith( 'stock pull:' ) )
		).toBe( true );
	} );

	it( 'serves a pull that falls due while the outbox is busy, and keeps pushing', async () => {
		await catalogueInKeyCrm();
		setKeyCrmStock( 'S5', 1 );
		// Variable products cost two requests each: a backlog of ~60 requests.
		for ( let i = 0; i < 30; i++ ) {
			const parent = h.shop.add(
				{ ...simple( `V${ i }`, 0 ), type: 'variable', stock: null },
				false
			);
			h.shop.add(
				{
					...simple( `V${ i }-S`, 4 ),
					type: 'variation',
					parentId: parent.id,
				},
				false
			);
		}
		let dirtyWhenPulled = -1;
		const report = h.stock.report.bind( h.stock );
		jest.spyOn( h.stock, 'report' ).mockImplementation( ( r ) => {
			if ( r.event === 'finish' ) {
				dirtyWhenPulled = h.shop.dirtyCount();
			}
			return report( r );
		} );
		const routes = () => h.emulator.stats().byRoute;
		const w = h.worker( { site, pullCheckEveryMs: 1000 } );
		const running = w.run();
		// The pull is asked for only once the worker is sending the backlog.
		const sending = () =>
			h.stock.checks > 0 && ( routes()[ 'POST /products' ] ?? 0 ) > 1;
		await until( sending, clock, {
			within: 60_000,
			what: 'sending the backlog',
		} );
		const checksBefore = h.stock.checks;
		const createdBefore = routes()[ 'POST /products' ] ?? 0;
		h.stock.request();
		await until( () => h.shop.dirtyCount() === 0, clock, {
			within: 600_000,
			step: 1000,
			what: 'an empty outbox',
		} );
		w.stop();
		await running;

		expect( checksBefore ).toBeGreaterThan( 0 );
		expect( createdBefore ).toBeLessThan( 30 );
		expect( finished() ).toBe( true );
		expect( dirtyWhenPulled ).toBeGreaterThan( 0 );
		expect( stockOf( 'S5' ) ).toBe( 1 );
		// Every new SKU reached keyCRM once (keyCRM owns stock now, so none is pushed).
		for ( let i = 0; i < 30; i++ ) {
			expect( h.emulator.store.findBySku( `V${ i }-S` ) ).toHaveLength(
				1
			);
		}
		expect( h.emulator.stats().counters.duplicateSkusCreated ).toBe( 0 );
	} );

	it( 'logs a failing pull and goes on pushing', async () => {
		await catalogueInKeyCrm();
		h.shop.settings = { ...h.shop.settings, stock_source: 'woocommerce' };
		h.stock.request();
		h.emulator.faults.set( { rate500: 1, seed: 1 } );
		const logger = memoryLogger();
		const w = h.worker( { site, pullCheckEveryMs: 1000 }, logger );
		const running = w.run();
		await until( finished, clock, {
			within: 600_000,
			step: 1000,
			what: 'a finished pull',
		} );
		h.emulator.faults.set( {} );
		h.shop.update( h.shop.bySku( 'S0' )?.id ?? 0, { stock: 3 } );
		await until( () => h.shop.dirtyCount() === 0, clock, {
			within: 600_000,
			step: 1000,
			what: 'an empty outbox',
		} );
		w.stop();
		await running;

		expect( h.stock.reports ).toContainEqual(
			expect.objectContaining( { event: 'finish', complete: false } )
		);
		expect(
			logger.entries.some( ( e ) => e.msg === 'stock pull failed' )
		).toBe( true );
		expect( compareShopWithKeyCrm( h.shop, h.emulator ) ).toEqual( [] );
	} );

	it( 'does not ask for a pull in WooCommerce mode without a warehouse', async () => {
		h.shop.settings = { ...h.shop.settings, warehouse_id: null };
		h.stock.request();
		await h.worker( { site, once: true } ).run();
		expect( h.stock.checks ).toBe( 0 );
		expect( h.stock.reports ).toEqual( [] );
	} );
} );
