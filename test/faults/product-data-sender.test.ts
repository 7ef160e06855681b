/** @jest-environment node */
/**
 * The Node sender handed products whose data a broken plugin or import left
 * behind (the claim carries them as the shop has them): a 10 KB SKU, a SKU of
 * spaces, a name with a lone UTF-16 surrogate, prices of NaN and Infinity (null
 * once in JSON), a negative and a huge stock. Each ends as that SKU's error
 * (failed in the outbox, with its reason) or is sent with the bad value left
 * out; the good products beside them all reach keyCRM.
 */
import { simulatedClock } from '../../src/util/clock';
import { shopProduct } from '../helpers/fake-shop';
import { startHarness } from '../helpers/fake-shop-harness';
import { until } from '../helpers/wait';
import { record } from './figures';

const BOUNDARY = 'product data (Node sender)';

it( 'bad product data stays with its SKU; every good product reaches keyCRM', async () => {
	const clock = simulatedClock();
	const h = startHarness( { clock } );
	try {
		const good = Array.from( { length: 6 }, ( _, i ) => `PG${ i }` );
		for ( const sku of good ) {
			h.shop.add( shopProduct( sku, { price: 20, stock: 4 } ) );
		}
		const bad: Record< string, Parameters< typeof shopProduct > > = {
			'SKU of 10 KB': [ 'L'.repeat( 10240 ) ],
			'SKU of spaces': [ '     ' ],
			'name with a lone surrogate': [
				'PB-NAME',
				{ name: 'Shirt \ud800' },
			],
			'price NaN': [ 'PB-NAN', { price: Number.NaN } ],
			'price Infinity': [ 'PB-INF', { price: Number.POSITIVE_INFINITY } ],
			'stock -5': [ 'PB-NEG', { stock: -5 } ],
			'stock 1e12': [ 'PB-HUGE', { stock: 1e12 } ],
		};
		for ( const args of Object.values( bad ) ) {
			h.shop.add( shopProduct( ...args ) );
		}
		const worker = h.worker();
		const running = worker.run().catch( ( e: unknown ) => e );
		await until(
			() =>
				[ ...h.shop.rows.values() ].every(
					( r ) =>
						r.version === r.syncedVersion ||
						r.state === 'failed' ||
						r.state === 'dead'
				),
			clock,
			{ within: 600_000, step: 1000, what: 'every row synced or failed' }
		);
		worker.stop();
		expect( await running ).toBeUndefined();
		const lost = good.filter(
			( sku ) => h.emulator.store.findBySku( sku ).length !== 1
		);
		expect( lost ).toEqual( [] );
		const outcomes: Record< string, string > = {};
		for ( const [ label, [ sku ] ] of Object.entries( bad ) ) {
			const row = h.shop.rows.get( sku );
			const inKeyCrm = h.emulator.store.findBySku( sku ).length;
			outcomes[ label ] =
				row && row.version !== row.syncedVersion
					? `error: ${ row.lastCode ?? '' }`
					: `sent (${ inKeyCrm } in keyCRM)`;
			record( {
				boundary: BOUNDARY,
				input: label,
				answer: outcomes[ label ].startsWith( 'error' )
					? 'error'
					: 'skip',
				lost: lost.length,
				items: good.length,
			} );
		}
		// Nothing bad reached keyCRM as it was: no SKU of spaces or 10 KB, no non-finite price.
		expect( h.emulator.store.findBySku( '     ' ) ).toEqual( [] );
		expect( h.emulator.store.findBySku( 'L'.repeat( 10240 ) ) ).toEqual(
			[]
		);
		for ( const offer of h.emulator.store.offers.values() ) {
			expect( Number.isFinite( offer.price ?? 0 ) ).toBe( true );
		}
		expect( outcomes ).toEqual( {
			'SKU of 10 KB': 'error: unusable_sku',
			'SKU of spaces': 'error: unusable_sku',
			'name with a lone surrogate': 'sent (1 in keyCRM)',
			'price NaN': 'sent (1 in keyCRM)', // null in JSON: the price is left out.
			'price Infinity': 'sent (1 in keyCRM)',
			'stock -5': 'sent (1 in keyCRM)', // Sent as 0.
			'stock 1e12': 'sent (1 in keyCRM)',
		} );
	} finally {
		h.close();
	}
} );
