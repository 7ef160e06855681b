/** @jest-environment node */
import type { ErpRow } from '../../src/push/erp-row';
import { erpWriteRequests, planErpPush } from '../../src/push/plan-erp';
import type { RemoteOffer } from '../../src/push/plan-push';
import type { RemoteProduct } from '../../src/push/read-remote-products';

const row = ( i: number, over: Partial< ErpRow > = {} ): ErpRow => ( {
	line: i + 2,
	sku: `S-${ i }`,
	name: `N-${ i }`,
	price: 10,
	purchasePrice: null,
	barcode: null,
	unit: null,
	category: null,
	stock: [ 1, 0 ],
	...over,
} );

describe( 'planErpPush', () => {
	it( 'needs ⌈new/100⌉ + ⌈changed/10,000⌉ + one stock request per warehouse per 10,000 rows', () => {
		const rows: ErpRow[] = [];
		const offers = new Map< string, RemoteOffer >();
		// 20,001 known SKUs whose price changed (stock equal); 250 new ones.
		for ( let i = 0; i < 20_001; i++ ) {
			rows.push( row( i ) );
			offers.set( `S-${ i }`, {
				offerId: i + 1,
				quantity: 1,
				price: 9,
				stock: new Map( [
					[ 1, 1 ],
					[ 2, 0 ],
				] ),
			} );
		}
		for ( let i = 20_001; i < 20_251; i++ ) {
			rows.push( row( i, { stock: [ 2, 3 ] } ) );
		}
		const plan = planErpPush( rows, [ 1, 2 ], offers, null, true );
		expect( plan.creates ).toHaveLength( 250 );
		expect( plan.offers ).toHaveLength( 20_001 );
		expect( plan.stock.map( ( w ) => w.changes.length ) ).toEqual( [
			250, 250,
		] );
		expect( erpWriteRequests( plan ) ).toBe( 3 + 3 + 1 + 1 );
	} );

	it( 'compares names, barcodes and units only where the file has them; variants get a note', () => {
		const offers = new Map< string, RemoteOffer >( [
			[ 'A', { offerId: 1, quantity: 1, price: 10 } ],
			[ 'B', { offerId: 2, quantity: 1, price: 10 } ],
			[ 'C', { offerId: 3, quantity: 1, price: 10 } ],
		] );
		const products = new Map< string, RemoteProduct >( [
			[
				'A',
				{
					productId: 11,
					name: 'Old',
					barcode: '1',
					unit: null,
					hasOffers: false,
				},
			],
			[
				'B',
				{
					productId: 12,
					name: 'Same',
					barcode: null,
					unit: null,
					hasOffers: false,
				},
			],
			[
				'C',
				{
					productId: 13,
					name: 'Parent',
					barcode: null,
					unit: null,
					hasOffers: true,
				},
			],
		] );
		const plan = planErpPush(
			[
				row( 0, { sku: 'A', name: 'New', barcode: '2', stock: [ 1 ] } ),
				row( 1, { sku: 'B', name: 'Same', stock: [ 1 ] } ),
				row( 2, { sku: 'C', name: 'Child', stock: [ 1 ] } ),
				row( 3, { sku: 'D', name: null, stock: [ 1 ] } ),
			],
			[ 1 ],
			offers,
			products,
			true
		);
		expect( plan.products ).toEqual( [
			{
				row: expect.objectContaining( { sku: 'A' } ),
				productId: 11,
				update: { name: 'New', barcode: '2' },
				changes: [
					{ field: 'name', from: 'Old', to: 'New' },
					{ field: 'barcode', from: '1', to: '2' },
				],
			},
		] );
		expect( plan.notes.map( ( n ) => n.message ) ).toEqual( [
			'name not changed: "C" is a variant of keyCRM product 13',
		] );
		expect( plan.nameless.map( ( r ) => r.sku ) ).toEqual( [ 'D' ] );
		expect( plan.unchanged ).toBe( 2 );
	} );
} );
