/** @jest-environment node */
import { DEFAULT_DESIRED_OPTIONS } from '../../src/sender/desired';
import { plan } from '../../src/sender/plan';
import { makeItem, makeSettings } from '../helpers/fake-shop-items';

describe( 'plan', () => {
	it( 'blocks a new SKU whose unit cannot be converted instead of failing the whole plan', () => {
		const p = plan( {
			items: [
				makeItem( 'U', { weight: 1, weight_unit: 'stone' } ),
				makeItem( 'OK' ),
			],
			settings: makeSettings(),
			options: DEFAULT_DESIRED_OPTIONS,
			knowledge: {
				skus: new Map(),
				parents: new Map(),
				census: new Map(),
			},
		} );
		expect( p.blocked.map( ( b ) => [ b.sku, b.code ] ) ).toEqual( [
			[ 'U', 'bad_unit' ],
		] );
		expect( p.calls.map( ( c ) => c.kind ) ).toEqual( [ 'import' ] );
	} );
} );
