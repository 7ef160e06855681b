/** @jest-environment node */
/**
 * Regressions found by the convergence test: a SKU leaves the shop after a
 * stock change reached keyCRM without the outbox learning it, so its
 * `pushed_stock` still holds an earlier 0. The retire must still zero it.
 */
import { simulatedClock, type Clock } from '../../src/util/clock';
import { shopProduct, type ShopProduct } from '../helpers/fake-shop';
import {
	compareShopWithKeyCrm,
	startHarness,
	type Harness,
} from '../helpers/fake-shop-harness';

// keyCRM, the shop and the worker share one simulated clock: back-offs and leases
// are measured in it, so no machine's slowness can make one run out early.
let clock: Clock;
let h: Harness;

beforeEach( () => {
	clock = simulatedClock();
	h = startHarness( { clock } );
} );
afterEach( () => h.close() );

const simple = ( sku: string, stock: number ) => shopProduct( sku, { stock } );

/**
 * Create a SKU in keyCRM and sync its stock to 0 (pushed_stock = 0).
 *
 * @param sku SKU.
 */
async function syncedAtZero( sku: string ): Promise< ShopProduct > {
	const p = h.shop.add( simple( sku, 5 ) );
	await h.worker( { once: true } ).run();
	h.shop.update( p.id, { stock: 0 } );
	await h.worker( { once: true } ).run();
	expect( h.shop.rows.get( sku ) ).toMatchObject( {
		pushedStock: 0,
		state: 'synced',
	} );
	return p;
}

/**
 * keyCRM's stock of a SKU in warehouse 1.
 *
 * @param sku SKU.
 */
function keyCrmStock( sku: string ): number | undefined {
	const offer = h.emulator.store.findBySku( sku )[ 0 ];
	return offer ? h.emulator.store.cell( offer.id, 1 ).quantity : undefined;
}

describe( 'retiring a SKU whose last stock push the outbox never recorded', () => {
	it( 'zeroes it after the ack of a stock push was lost and its lease ran out', async () => {
		const p = await syncedAtZero( 'S1' );
		h.shop.update( p.id, { stock: 93 } );
		// Every try of the ack fails before WordPress applies it: dropped.
		h.shopFaults.failAcks = 3;
		h.shopFaults.ackFailsAfterApply = false;
		await h.worker( { once: true, leaseSeconds: 60 } ).run();
		expect( keyCrmStock( 'S1' ) ).toBe( 93 );
		expect( h.shop.rows.get( 'S1' )?.pushedStock ).toBe( 0 );

		h.shop.rename( p.id, 'S1-NEW' );
		await clock.sleep( 61_000 );
		await h.worker( { once: true } ).run();

		expect( keyCrmStock( 'S1' ) ).toBe( 0 );
		expect( h.shop.dirtyCount() ).toBe( 0 );
		expect( compareShopWithKeyCrm( h.shop, h.emulator ) ).toEqual( [] );
	} );

	it( 'zeroes it after a stock push answered 500 once keyCRM had applied it', async () => {
		const p = await syncedAtZero( 'S2' );
		h.shop.update( p.id, { stock: 40 } );
		h.emulator.faults.set( { rate500: 1, faultsAfterWork: true, seed: 1 } );
		await h.worker( { once: true } ).run();
		h.emulator.faults.set( {} );
		expect( keyCrmStock( 'S2' ) ).toBe( 40 );
		expect( h.shop.rows.get( 'S2' ) ).toMatchObject( {
			pushedStock: 0,
			attempts: 1,
		} );

		h.shop.remove( p.id );
		for ( let i = 0; i < 10 && h.shop.dirtyCount() > 0; i++ ) {
			await clock.sleep( 30_000 );
			await h.worker( { once: true } ).run();
		}

		expect( keyCrmStock( 'S2' ) ).toBe( 0 );
		expect( h.shop.dirtyCount() ).toBe( 0 );
		expect( compareShopWithKeyCrm( h.shop, h.emulator ) ).toEqual( [] );
	} );
} );
