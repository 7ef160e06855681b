/** @jest-environment node */
/**
 * The Node sender under a steady mix of the answers a broken keyCRM or a proxy
 * gives (a 502 HTML page, a 200 with truncated JSON, a 200 of the wrong shape,
 * a body that stalls, 429s with a negative, garbage, huge or zero
 * `Retry-After`), injected by the emulator before and after it did the work,
 * with stock edits and worker kills between rounds: every SKU reaches keyCRM
 * exactly once and keyCRM ends equal to the shop. One seeded, simulated-clock
 * run: the same requests and faults on every machine.
 */
import { simulatedClock } from '../../src/util/clock';
import { shopProduct } from '../helpers/fake-shop';
import {
	compareShopWithKeyCrm,
	startHarness,
} from '../helpers/fake-shop-harness';
import { until } from '../helpers/wait';
import { memoryLogger } from '../../src/sender/logger';
import { record } from './figures';

describe( 'the sender under a steady mix of broken answers', () => {
	it( 'sends every SKU exactly once and ends equal to the shop', async () => {
		const clock = simulatedClock();
		const h = startHarness( { clock, timeoutMs: 10_000, seed: 7 } );
		try {
			for ( let i = 0; i < 240; i++ ) {
				h.shop.add(
					shopProduct( `B${ i }`, { price: 10 + i, stock: i % 17 } )
				);
			}
			const opts = { leaseSeconds: 60, batch: 100 };
			const log = memoryLogger();
			let worker = h.worker( opts, log );
			let running = worker.run().catch( ( e: unknown ) => e );
			for ( let round = 0; round < 8; round++ ) {
				h.emulator.faults.set( {
					rateHtml: 0.08,
					rateTruncated: 0.06,
					rateWrongShape: 0.06,
					rateDrip: 0.04,
					rate429: 0.04,
					retryAfter: [ '-5', 'garbage', '86400', '0' ][ round % 4 ],
					faultsAfterWork: round % 2 === 0,
					seed: 100 + round,
				} );
				for ( let i = 0; i < 20; i++ ) {
					const sku = `B${ ( round * 37 + i * 11 ) % 240 }`;
					const id = h.shop.bySku( sku )?.id ?? 0;
					h.shop.update( id, { stock: ( round + i ) % 23 } );
				}
				await clock.sleep( 20_000 );
				if ( round % 3 === 2 ) {
					worker.kill();
					await running;
					worker = h.worker( opts, log );
					running = worker.run().catch( ( e: unknown ) => e );
				}
			}
			h.emulator.faults.set( {} );
			await until( () => h.shop.dirtyCount() === 0, clock, {
				within: 3_600_000,
				step: 1000,
				what: 'an empty outbox',
			} );
			worker.stop();
			expect( await running ).toBeUndefined();
			const injected = h.emulator.stats().faults;
			const kinds = [
				'html',
				'truncated',
				'wrongShape',
				'drip',
				'429',
			] as const;
			expect( kinds.filter( ( k ) => injected[ k ] === 0 ) ).toEqual(
				[]
			);
			const mismatches = compareShopWithKeyCrm( h.shop, h.emulator );
			expect( mismatches ).toEqual( [] );
			expect( h.emulator.store.counters.duplicateSkusCreated ).toBe( 0 );
			expect(
				[ ...h.shop.rows.values() ].filter(
					( r ) => r.state === 'dead' || r.state === 'failed'
				)
			).toEqual( [] );
			for ( const k of kinds ) {
				record( {
					boundary:
						'keyCRM answers: sender run (240 SKUs, 8 rounds, kills)',
					input: `${ k } × ${ injected[ k ] }`,
					answer: 'recovered',
					lost: mismatches.length,
					items: 240,
				} );
			}
		} finally {
			h.close();
		}
	}, 180_000 );
} );
