/** @jest-environment node */
/**
 * A claim the site could not build in time is asked again smaller, and the
 * smaller size holds until claims arrive again.
 */
import { TimeoutError } from 'ky';

import type {
	ClaimRequest,
	ClaimResponse,
	ClaimedItem,
} from '@keycrm-sync/contract';
import type { KeyCrmClient } from '../../src/keycrm/client';
import { Claimer, type ClaimTarget } from '../../src/sender/claimer';
import { memoryLogger } from '../../src/sender/logger';
import { WorkerMetrics } from '../../src/sender/metrics';
import { virtualClock } from '../../src/util/clock';
import {
	PluginHttpError,
	PluginUnreachableError,
} from '../../src/wordpress/plugin-request';
import { makeItem, makeSettings } from '../helpers/fake-shop-items';

/**
 * A site that cannot answer a claim of more than `most` items in time.
 *
 * @param most  Largest claim the site can build.
 * @param fails How a too-big claim fails.
 */
function slowSite( most: number, fails: 'timeout' | '500' ) {
	const limits: number[] = [];
	const claim = async ( req: ClaimRequest ): Promise< ClaimResponse > => {
		const limit = req.limit ?? 500;
		limits.push( limit );
		if ( limit > most ) {
			throw fails === 'timeout'
				? new PluginUnreachableError(
						'Cannot reach http://shop.test: timed out',
						{
							cause: new TimeoutError(
								new Request( 'http://shop.test/claim' )
							),
						}
					)
				: new PluginHttpError( 'The site answered 500: HTTP 500', {
						status: 500,
					} );
		}
		const items: ClaimedItem[] = Array.from( { length: limit }, ( _, i ) =>
			makeItem( `S${ limits.length }-${ i }` )
		);
		return {
			lease_token: 't',
			lease_expires_at: null,
			settings: makeSettings(),
			items,
			backlog: 100_000,
		};
	};
	return {
		limits,
		plugin: { claim, ack: async () => ( { acknowledged: 0, stale: 0 } ) },
	};
}

/** A hand that takes everything; its SKUs need no non-bulk calls. */
const hand: ClaimTarget = {
	size: () => 0,
	queuedCalls: () => 0,
	callsPerSku: () => 0,
	msPerCall: () => 1000,
	take: () => {},
};

describe.each( [ 'timeout', '500' ] as const )(
	'a claim that fails with %s',
	( fails ) => {
		it( 'is retried at half the size until it fits, and stays near that size', async () => {
			const clock = virtualClock();
			const site = slowSite( 300, fails );
			const claimer = new Claimer(
				{
					plugin: site.plugin,
					makeClient: () => ( {} ) as KeyCrmClient,
					clock,
					logger: memoryLogger(),
					batch: 2000,
				},
				new WorkerMetrics( clock ),
				new AbortController().signal
			);
			let got = 0;
			for ( let i = 0; i < 30; i++ ) {
				got += await claimer.claim( hand );
			}
			// Slow start asks 500: too big; then half, growing by a tenth per claim that arrives.
			expect( site.limits.slice( 0, 4 ) ).toEqual( [
				500, 250, 275, 303,
			] );
			// 303 failed too: from then on at most four fifths of it, and no more failures.
			expect( Math.max( ...site.limits.slice( 4 ) ) ).toBe( 242 );
			expect( site.limits.filter( ( l ) => l > 300 ) ).toHaveLength( 2 );
			expect( claimer.claimSizeCap ).toBe( 242 );
			expect( got ).toBeGreaterThan( 25 * 151 );
		} );
	}
);
