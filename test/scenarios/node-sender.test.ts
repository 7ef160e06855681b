/** @jest-environment node */
/**
 * The shared scenarios (test/scenarios/*.json) against the Node sender: the model shop's outbox,
 * the sender, the keyCRM emulator, on one simulated clock. The runner inside WordPress meets the
 * same files in test/php/Runner/ScenarioTest.php.
 */
import { stateView } from '../../src/emulator/control';
import { applySeed } from '../../src/emulator/seed';
import { simulatedClock } from '../../src/util/clock';
import { shopProduct } from '../helpers/fake-shop';
import { startHarness, type Harness } from '../helpers/fake-shop-harness';
import { loadScenarios, maxRequests, type Scenario } from './schema';

const scenarios = loadScenarios();

/**
 * Put the scenario's products in the model shop (each SKU waits in the outbox).
 *
 * @param h        Harness.
 * @param scenario Scenario.
 */
function stockShop( h: Harness, scenario: Scenario ): void {
	for ( const p of scenario.shop ) {
		if ( ! ( 'type' in p ) ) {
			h.shop.add(
				shopProduct( p.sku, {
					name: p.name,
					price: p.price,
					stock: p.stock,
				} )
			);
			continue;
		}
		const parent = h.shop.add(
			shopProduct( p.sku ?? '', {
				type: 'variable',
				sku: p.sku ?? null,
				name: p.name,
				manageStock: false,
				stock: null,
				price: null,
			} )
		);
		for ( const v of p.variations ) {
			h.shop.add(
				shopProduct( v.sku, {
					type: 'variation',
					parentId: parent.id,
					price: v.price,
					stock: v.stock,
					attributes: [ { name: 'Size', value: v.size } ],
				} )
			);
		}
	}
}

/**
 * What differs from the scenario's expected keyCRM end state (empty: nothing).
 *
 * @param state    The emulator's state (`GET /__emulator/state`).
 * @param expected The scenario's `expect`.
 */
function endStateProblems(
	state: ReturnType< typeof stateView >,
	expected: Scenario[ 'expect' ]
): string[] {
	const problems: string[] = [];
	const bySku = new Map< string, Array< Record< string, unknown > > >();
	for ( const o of state.offers ) {
		const sku = String( o.sku );
		bySku.set( sku, [ ...( bySku.get( sku ) ?? [] ), o ] );
	}
	const held = [ ...bySku.keys() ].sort();
	const want = Object.keys( expected.offers ).sort();
	if ( JSON.stringify( held ) !== JSON.stringify( want ) ) {
		problems.push( `offers ${ held.join( ',' ) } ≠ ${ want.join( ',' ) }` );
	}
	const productOf = new Map< string, number >();
	for ( const [ sku, w ] of Object.entries( expected.offers ) ) {
		const offers = bySku.get( sku ) ?? [];
		if ( offers.length !== 1 ) {
			problems.push( `${ sku }: ${ offers.length } offers` );
			continue;
		}
		const o = offers[ 0 ] as Record< string, unknown >;
		const stock = state.stock.find( ( s ) => s.sku === sku )?.warehouses[
			'1'
		]?.quantity;
		if ( o.price !== w.price ) {
			problems.push( `${ sku }: price ${ o.price } ≠ ${ w.price }` );
		}
		if ( stock !== w.stock ) {
			problems.push( `${ sku }: stock ${ stock } ≠ ${ w.stock }` );
		}
		const pid = Number( o.product_id );
		const seen = productOf.get( w.product );
		if ( seen !== undefined && seen !== pid ) {
			problems.push( `${ sku }: not in the product of "${ w.product }"` );
		}
		productOf.set( w.product, pid );
	}
	if ( new Set( productOf.values() ).size !== productOf.size ) {
		problems.push( 'two product labels share one keyCRM product' );
	}
	for ( const [ label, p ] of Object.entries( expected.products ) ) {
		const rec = state.products.find(
			( x ) => x.id === productOf.get( label )
		);
		if ( rec?.name !== p.name ) {
			problems.push(
				`product "${ label }": name ${ rec?.name } ≠ ${ p.name }`
			);
		}
	}
	if ( state.duplicates !== 0 ) {
		problems.push( `${ state.duplicates } duplicate SKUs created` );
	}
	return problems;
}

describe( 'shared scenarios: the Node sender', () => {
	it( 'finds the scenario files', () => {
		expect( scenarios.length ).toBeGreaterThanOrEqual( 7 );
	} );

	it.each( scenarios )( '$name', async ( { scenario } ) => {
		const clock = simulatedClock();
		const h = startHarness( { clock } );
		try {
			if ( scenario.keycrm ) {
				applySeed( h.emulator.store, scenario.keycrm );
			}
			stockShop( h, scenario );
			if ( scenario.changes ) {
				await h.worker( { once: true } ).run();
				if ( h.shop.dirtyCount() !== 0 ) {
					throw new Error( 'the first sync left work' );
				}
				for ( const c of scenario.changes ) {
					const p = h.shop.bySku( c.sku );
					if ( ! p ) {
						throw new Error( `no product with SKU ${ c.sku }` );
					}
					h.shop.update( p.id, {
						...( c.price !== undefined ? { price: c.price } : {} ),
						...( c.stock !== undefined ? { stock: c.stock } : {} ),
					} );
				}
			}
			const before = h.emulator.stats();
			h.emulator.faults.set( scenario.faults ?? {} );
			await h.worker( { once: true } ).run();
			h.emulator.faults.set( {} );

			const after = h.emulator.stats();
			const requests = after.total - before.total;
			const routes = Object.fromEntries(
				Object.entries( after.byRoute )
					.map( ( [ r, n ] ) => [
						r,
						n - ( before.byRoute[ r ] ?? 0 ),
					] )
					.filter( ( [ , n ] ) => n !== 0 )
			);
			const report = JSON.stringify( routes );
			expect(
				endStateProblems( stateView( h.emulator ), scenario.expect )
			).toEqual( [] );
			const exact =
				'exact' in scenario.expect.requests
					? scenario.expect.requests.exact
					: requests;
			expect( [ requests, report ] ).toEqual( [ exact, report ] );
			expect( requests ).toBeLessThanOrEqual(
				maxRequests( scenario.expect.requests )
			);
			for ( const [ route, n ] of Object.entries(
				scenario.expect.routes ?? {}
			) ) {
				expect( [ route, routes[ route ] ?? 0 ] ).toEqual( [
					route,
					n,
				] );
			}
			const failed = scenario.expect.failed ?? [];
			for ( const row of h.shop.rows.values() ) {
				expect( [ row.sku, row.state ] ).toEqual( [
					row.sku,
					failed.includes( row.sku ) ? 'failed' : 'synced',
				] );
			}
		} finally {
			h.close();
		}
	} );
} );
