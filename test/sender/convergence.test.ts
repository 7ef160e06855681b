/** @jest-environment node */
/**
 * Convergence: thousands of random catalogue edits interleaved with keyCRM
 * faults (429, 500 after the work was done, resets, timeouts), failing acks
 * and workers killed mid-batch and restarted. After quiescence keyCRM must
 * equal the shop for every SKU, with no SKU created twice and none lost.
 *
 * Deterministic: edits, faults and back-off jitter draw from seeded sources,
 * and everything (keyCRM, the shop, the workers, the client's timeouts and the
 * test's waits) runs on one simulated clock, so every run sends the same
 * requests and meets the same faults, on any machine.
 */
import { seededRandom } from '../../src/emulator/faults';
import { simulatedClock } from '../../src/util/clock';
import type { Worker } from '../../src/sender/worker';
import { shopProduct } from '../helpers/fake-shop';
import {
	compareShopWithKeyCrm,
	startHarness,
	type Harness,
} from '../helpers/fake-shop-harness';
import { until } from '../helpers/wait';
import { record } from '../faults/figures';

const clock = simulatedClock();
const rnd = seededRandom( 20261127 );
const pick = < T >( list: readonly T[] ): T =>
	list[ Math.floor( rnd() * list.length ) ] as T;
let skuSeq = 0;
const newSku = ( prefix: string ) => `${ prefix }${ ++skuSeq }`;

const base = ( sku: string ) =>
	shopProduct( sku, { price: 100, stock: Math.floor( rnd() * 50 ) } );

/**
 * Add a variable product with `n` variations.
 *
 * @param h Harness.
 * @param n Variations.
 */
function addVariable( h: Harness, n: number ): void {
	const parentSku = newSku( 'P' );
	const parent = h.shop.add( {
		...base( parentSku ),
		type: 'variable',
		name: `Shirt ${ parentSku }`,
		manageStock: false,
		stock: null,
		price: null,
	} );
	for ( let i = 0; i < n; i++ ) {
		addVariation( h, parent.id );
	}
}

/**
 * Add one variation under a variable product.
 *
 * @param h        Harness.
 * @param parentId WooCommerce parent id.
 */
function addVariation( h: Harness, parentId: number ): void {
	const sku = newSku( 'V' );
	h.shop.add( {
		...base( sku ),
		type: 'variation',
		parentId,
		price: 200,
		attributes: [ { name: 'Size', value: sku } ],
	} );
}

/**
 * One random edit.
 *
 * @param h Harness.
 */
function randomEdit( h: Harness ): void {
	const products = [ ...h.shop.products.values() ];
	const sellable = products.filter( ( p ) => p.type !== 'variable' );
	const r = rnd();
	const p = pick( sellable );
	if ( r < 0.55 ) {
		h.shop.update( p.id, { stock: Math.floor( rnd() * 100 ) - 2 } );
	} else if ( r < 0.7 ) {
		h.shop.update( p.id, { price: Math.round( rnd() * 50000 ) / 100 } );
	} else if ( r < 0.76 ) {
		h.shop.update( p.id, { name: `Renamed ${ p.sku }` } );
	} else if ( r < 0.82 ) {
		h.shop.rename( p.id, newSku( p.type === 'variation' ? 'RV' : 'RS' ) );
	} else if ( r < 0.86 && sellable.length > 450 ) {
		h.shop.remove( p.id );
	} else if ( r < 0.92 ) {
		h.shop.add( base( newSku( 'N' ) ) );
	} else if ( r < 0.97 ) {
		const parents = products.filter( ( x ) => x.type === 'variable' );
		addVariation( h, pick( parents ).id );
	} else {
		addVariable( h, 2 );
	}
}

describe( 'convergence under faults', () => {
	let h: Harness;
	beforeAll( () => {
		// A request keyCRM never answers is given up after 10 s of clock time.
		h = startHarness( { clock, timeoutMs: 10_000, seed: 20261127 } );
	} );
	afterAll( () => h.close() );

	it( 'ends with keyCRM equal to the shop: 2,000+ edits, 500+ SKUs, faults, kills, failed acks', async () => {
		for ( let i = 0; i < 380; i++ ) {
			h.shop.add( base( newSku( 'S' ) ) );
		}
		for ( let i = 0; i < 40; i++ ) {
			addVariable( h, 3 );
		}
		const opts = { leaseSeconds: 60, batch: 300 };
		let worker: Worker = h.worker( opts );
		let running = worker.run().catch( ( e: unknown ) => e );
		let edits = 0;
		let kills = 0;
		for ( let round = 0; round < 25; round++ ) {
			h.emulator.faults.set( {
				rate429: 0.05,
				rate500: 0.08,
				rateReset: 0.05,
				rateTimeout: 0.01,
				faultsAfterWork: round % 2 === 0,
				seed: round + 1,
			} );
			if ( round % 4 === 1 ) {
				h.shopFaults.failAcks = 2;
				h.shopFaults.ackFailsAfterApply = round % 8 === 1;
			}
			for ( let i = 0; i < 90; i++, edits++ ) {
				randomEdit( h );
			}
			// 12–28 s of keyCRM time (as many requests at 60/min) under this round's faults.
			await clock.sleep( 12_000 + Math.floor( rnd() * 16_000 ) );
			if ( round % 3 === 2 ) {
				// Killed mid-batch (like SIGKILL), then restarted.
				worker.kill();
				await running;
				kills++;
				worker = h.worker( opts );
				running = worker.run().catch( ( e: unknown ) => e );
			}
		}
		h.emulator.faults.set( {} );
		h.shopFaults.failAcks = 0;
		// Quiescence: no edits, no faults; wait until the outbox is clean.
		await until( () => h.shop.dirtyCount() === 0, clock, {
			within: 3_600_000,
			step: 1000,
			what: 'an empty outbox',
		} );
		worker.stop();
		expect( await running ).toBeUndefined();

		expect( edits ).toBeGreaterThanOrEqual( 2000 );
		expect( kills ).toBeGreaterThanOrEqual( 8 );
		expect( h.shop.rows.size ).toBeGreaterThanOrEqual( 500 );
		// The same run on every machine: these counts are fixed by the seeds.
		const injected = h.emulator.stats().faults;
		expect(
			injected[ '429' ] +
				injected[ '500' ] +
				injected.reset +
				injected.timeout
		).toBeGreaterThan( 20 );
		// Every kind was met, the timeout (on the clock) included.
		expect(
			( [ '429', '500', 'reset', 'timeout' ] as const ).filter(
				( kind ) => injected[ kind ] === 0
			)
		).toEqual( [] );
		expect( h.shop.dirtyCount() ).toBe( 0 );
		expect(
			[ ...h.shop.rows.values() ].filter(
				( r ) => r.state === 'dead' || r.state === 'failed'
			)
		).toEqual( [] );
		expect( h.emulator.stats().counters.duplicateSkusCreated ).toBe( 0 );
		const mismatches = compareShopWithKeyCrm( h.shop, h.emulator );
		expect( mismatches ).toEqual( [] );
		for ( const kind of [ '429', '500', 'reset', 'timeout' ] as const ) {
			record( {
				boundary: `convergence run (${ edits } edits, ${ h.shop.rows.size } SKUs, ${ kills } kills)`,
				input: `${ kind } × ${ injected[ kind ] }`,
				answer: 'recovered',
				lost: mismatches.length,
				items: h.shop.rows.size,
			} );
		}
	}, 180_000 );
} );
