/** @jest-environment node */
import { lookupRequests, scanIsCheaper } from '../../src/keycrm/read-cost';
import { chunk } from '../../src/util/chunk';

describe( 'scan or look up', () => {
	it( 'counts lookups 50 SKUs per request', () => {
		expect( [ 0, 1, 50, 51, 100, 101 ].map( lookupRequests ) ).toEqual( [
			0, 1, 1, 2, 2, 3,
		] );
	} );

	it( 'scans when the pages cost no more than the lookups (a tie scans)', () => {
		expect( scanIsCheaper( 2, 100 ) ).toBe( true );
		expect( scanIsCheaper( 2, 51 ) ).toBe( true );
		expect( scanIsCheaper( 3, 100 ) ).toBe( false );
		expect( scanIsCheaper( 0, 0 ) ).toBe( true );
		expect( scanIsCheaper( 1, 0 ) ).toBe( false );
	} );
} );

describe( 'chunk', () => {
	it( 'splits in order, the last chunk shorter, nothing for an empty list', () => {
		expect( chunk( [ 1, 2, 3, 4, 5 ], 2 ) ).toEqual( [
			[ 1, 2 ],
			[ 3, 4 ],
			[ 5 ],
		] );
		expect( chunk( [], 50 ) ).toEqual( [] );
	} );
} );
