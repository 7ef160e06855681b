/** @jest-environment node */
/**
 * Which planned calls go in a slice: at most `budget` non-bulk calls, held
 * calls taking no room, part-filled imports and lookups waiting for the next
 * claims unless nothing more is coming or a lease runs short.
 */
import type { PlannedCall } from '../../src/sender/plan';
import { selectCalls, type ScheduleOptions } from '../../src/sender/schedule';

const NOW = 1_000_000;

const lookup = ( ...skus: string[] ): PlannedCall => ( {
	kind: 'lookup',
	skus,
} );
const createOffers = ( parentId: number, sku: string ): PlannedCall => ( {
	kind: 'createOffers',
	productId: parentId * 10,
	parentId,
	offers: [],
	skus: [ sku ],
} );
const update = ( sku: string ): PlannedCall => ( {
	kind: 'updateProduct',
	productId: 1,
	sku,
	body: {},
} );

/**
 * Options of a slice: every SKU claimed just now under a 300 s lease.
 *
 * @param over Options that differ.
 */
function options( over: Partial< ScheduleOptions > = {} ): ScheduleOptions {
	return {
		now: NOW,
		timing: () => ( { claimedAt: NOW, leaseEndsAt: NOW + 300_000 } ),
		drain: false,
		budget: 2,
		stockFlushMs: 3000,
		offerFlushMs: 10_000,
		leaseMarginMs: 120_000,
		...over,
	};
}

/**
 * What goes, as `kind:first sku` (these tests plan no bulk calls).
 *
 * @param calls Planned calls.
 * @param o     Options.
 */
function chosen( calls: PlannedCall[], o: ScheduleOptions ): string[] {
	return selectCalls( { calls, done: [], blocked: [], notSent: [] }, o ).map(
		( c ) => {
			if ( c.kind === 'updateProduct' ) {
				return `${ c.kind }:${ c.sku }`;
			}
			return `${ c.kind }:${ 'skus' in c ? c.skus[ 0 ] : '' }`;
		}
	);
}

describe( 'selectCalls', () => {
	it( 'sends at most `budget` non-bulk calls, in plan order', () => {
		expect(
			chosen( [ update( 'A' ), update( 'B' ), update( 'C' ) ], options() )
		).toEqual( [ 'updateProduct:A', 'updateProduct:B' ] );
	} );

	it( 'skips held calls without spending the budget on them', () => {
		const calls = [
			createOffers( 5, 'HELD-1' ),
			createOffers( 6, 'FREE' ),
			createOffers( 5, 'HELD-2' ),
			update( 'A' ),
			update( 'B' ),
		];
		expect(
			chosen(
				calls,
				options( {
					held: ( c ) =>
						c.kind === 'createOffers' && c.parentId === 5,
				} )
			)
		).toEqual( [ 'createOffers:FREE', 'updateProduct:A' ] );
	} );

	it( 'keeps a part-filled lookup for the next claims, unless draining or a lease runs short', () => {
		const calls = [ lookup( 'L1', 'L2' ), update( 'A' ) ];
		expect( chosen( calls, options() ) ).toEqual( [ 'updateProduct:A' ] );
		expect( chosen( calls, options( { drain: true } ) ) ).toEqual( [
			'lookup:L1',
			'updateProduct:A',
		] );
		expect(
			chosen(
				calls,
				options( {
					timing: () => ( {
						claimedAt: NOW,
						leaseEndsAt: NOW + 60_000,
					} ),
				} )
			)
		).toEqual( [ 'lookup:L1', 'updateProduct:A' ] );
		// Waited long enough.
		expect( chosen( calls, options( { now: NOW + 10_000 } ) ) ).toEqual( [
			'lookup:L1',
			'updateProduct:A',
		] );
	} );

	it( 'sends a full lookup at once', () => {
		const skus = Array.from( { length: 50 }, ( _, i ) => `F${ i }` );
		expect( chosen( [ lookup( ...skus ) ], options() ) ).toEqual( [
			'lookup:F0',
		] );
	} );
} );
