/** @jest-environment node */
import {
	planPush,
	writeRequests,
	type RemoteOffer,
} from '../../src/push/plan-push';
import { chunk } from '../../src/util/chunk';
import type { StockRow } from '../../src/push/stock-row';

const row = (
	line: number,
	sku: string,
	quantity: number,
	price: number | null = null
): StockRow => ( {
	line,
	sku,
	quantity,
	price,
} );

describe( 'planPush', () => {
	const current = new Map< string, RemoteOffer >( [
		[ 'A', { offerId: 1, quantity: 5, price: 10 } ],
		[ 'B', { offerId: 2, quantity: 0, price: null } ],
		[ 'C', { offerId: 3, quantity: 2.5, price: 7.5 } ],
	] );

	it( 'lists stock and price changes, unchanged rows and SKUs keyCRM does not know', () => {
		const plan = planPush(
			[
				row( 2, 'A', 5, 10 ),
				row( 3, 'B', 4, 3 ),
				row( 4, 'C', 2.5 ),
				row( 5, 'X', 1 ),
				row( 6, 'C', 3, 7.5 ),
			],
			current
		);
		expect( plan.stock ).toEqual( [
			{ sku: 'B', line: 3, from: 0, to: 4 },
			{ sku: 'C', line: 6, from: 2.5, to: 3 },
		] );
		expect( plan.prices ).toEqual( [
			{ sku: 'B', line: 3, from: null, to: 3 },
		] );
		expect( plan.unchanged ).toBe( 2 );
		expect( plan.unknown.map( ( r ) => r.sku ) ).toEqual( [ 'X' ] );
		expect( writeRequests( plan ) ).toBe( 2 );
	} );

	it( 'ignores price differences under half a cent and a missing price column', () => {
		const plan = planPush(
			[ row( 1, 'A', 5, 10.001 ), row( 2, 'C', 2.5, null ) ],
			current
		);
		expect( plan.prices ).toEqual( [] );
		expect( plan.unchanged ).toBe( 2 );
	} );

	it( 'needs one stock request per 10,000 changed rows', () => {
		const rows: StockRow[] = [];
		const remote = new Map< string, RemoteOffer >();
		for ( let i = 0; i < 20001; i++ ) {
			rows.push( row( i + 2, `S${ i }`, 1 ) );
			remote.set( `S${ i }`, { offerId: i, quantity: 0, price: null } );
		}
		const plan = planPush( rows, remote );
		expect( writeRequests( plan ) ).toBe( 3 );
		expect( chunk( plan.stock, 10000 ).map( ( c ) => c.length ) ).toEqual( [
			10000, 10000, 1,
		] );
	} );
} );
