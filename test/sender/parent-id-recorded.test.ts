/** @jest-environment node */
/**
 * Regression found by the convergence test: a sender adds variations to a
 * variable product it created and dies before its acks land. A later sender
 * claims a new sibling while those rows are still leased; unless the
 * product's keyCRM id was recorded in WordPress before any variation was
 * added, it creates a second product and the family is split in keyCRM.
 */
import type { WorkerOptions } from '../../src/sender/worker';
import { IDS_ONLY_TOKEN } from '../../src/sender/hand';
import { simulatedClock, type Clock } from '../../src/util/clock';
import { shopProduct } from '../helpers/fake-shop';
import {
	compareShopWithKeyCrm,
	startHarness,
	type Harness,
} from '../helpers/fake-shop-harness';

// keyCRM, the shop and the worker share one simulated clock (leases run out in it).
let clock: Clock;
let h: Harness;

beforeEach( () => {
	clock = simulatedClock();
	h = startHarness( { clock } );
} );
afterEach( () => h.close() );

/**
 * Add a variation under a variable product.
 *
 * @param parentId WooCommerce parent id.
 * @param sku      SKU.
 */
function variation( parentId: number, sku: string ): void {
	h.shop.add(
		shopProduct( sku, {
			type: 'variation',
			parentId,
			attributes: [ { name: 'Size', value: sku } ],
		} )
	);
}

/** The sender routes, but row acks never land (the sender dies before them); id-only records do. */
function pluginLosingRowAcks(): WorkerOptions[ 'plugin' ] {
	const real = h.plugin();
	return {
		claim: ( req ) => real.claim( req ),
		ack: ( req ) =>
			req.lease_token === IDS_ONLY_TOKEN
				? real.ack( req )
				: Promise.reject( new Error( 'sender died' ) ),
	};
}

describe( 'a created variable product', () => {
	it( 'keeps every variation under one keyCRM product when the sender that created it died before its acks', async () => {
		const parent = h.shop.add(
			shopProduct( 'FAM', {
				type: 'variable',
				name: 'Shirt',
				manageStock: false,
				stock: null,
				price: null,
			} )
		);
		variation( parent.id, 'FAM-1' );
		variation( parent.id, 'FAM-2' );

		await h
			.worker( {
				once: true,
				leaseSeconds: 60,
				plugin: pluginLosingRowAcks(),
			} )
			.run();
		const first = h.emulator.store.findBySku( 'FAM-1' )[ 0 ];
		expect( first ).toBeDefined();
		expect( h.shop.rows.get( 'FAM-1' )?.leaseToken ).not.toBeNull();
		expect( h.shop.rows.get( 'FAM' )?.keycrmProductId ).toBe(
			first?.product_id
		);

		// A new sibling while the family's rows are still leased by the dead sender.
		variation( parent.id, 'FAM-3' );
		await h.worker( { once: true } ).run();
		expect( h.emulator.store.findBySku( 'FAM-3' )[ 0 ]?.product_id ).toBe(
			first?.product_id
		);

		await clock.sleep( 61_000 );
		await h.worker( { once: true } ).run();
		expect( h.shop.dirtyCount() ).toBe( 0 );
		expect( compareShopWithKeyCrm( h.shop, h.emulator ) ).toEqual( [] );
		expect( h.emulator.stats().counters.duplicateSkusCreated ).toBe( 0 );
	} );
} );

describe( 'a created variable product without a SKU', () => {
	it( 'is recorded on the product itself, so a new variation joins it while the dead sender still leases the family', async () => {
		const parent = h.shop.add( {
			...shopProduct( 'unused', {
				type: 'variable',
				name: 'Dress',
				manageStock: false,
				stock: null,
				price: null,
			} ),
			sku: null,
		} );
		variation( parent.id, 'DR-1' );
		variation( parent.id, 'DR-2' );

		await h
			.worker( {
				once: true,
				leaseSeconds: 60,
				plugin: pluginLosingRowAcks(),
			} )
			.run();
		const first = h.emulator.store.findBySku( 'DR-1' )[ 0 ];
		expect( first ).toBeDefined();
		expect( h.shop.rows.get( 'DR-1' )?.leaseToken ).not.toBeNull();
		expect( h.shop.parentProductIds.get( parent.id ) ).toBe(
			first?.product_id
		);

		variation( parent.id, 'DR-3' );
		await h.worker( { once: true } ).run();
		expect( h.emulator.store.findBySku( 'DR-3' )[ 0 ]?.product_id ).toBe(
			first?.product_id
		);

		await clock.sleep( 61_000 );
		await h.worker( { once: true } ).run();
		expect( h.shop.dirtyCount() ).toBe( 0 );
		expect( compareShopWithKeyCrm( h.shop, h.emulator ) ).toEqual( [] );
		const products = new Set(
			[ 'DR-1', 'DR-2', 'DR-3' ].map(
				( s ) => h.emulator.store.findBySku( s )[ 0 ]?.product_id
			)
		);
		expect( products.size ).toBe( 1 );
	} );
} );
