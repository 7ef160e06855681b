/** @jest-environment node */
/**
 * Token bucket, clocks and Retry-After parsing.
 */
import { TokenBucket } from '../../src/keycrm/rate-limiter';
import { backoffDelay, parseRetryAfter } from '../../src/keycrm/retry';
import { manualClock, scaledClock, virtualClock } from '../../src/util/clock';

const flush = () => new Promise( ( resolve ) => setImmediate( resolve ) );

describe( 'TokenBucket', () => {
	it( 'spaces requests evenly at the configured rate, first one immediately', async () => {
		const clock = virtualClock( 0 );
		const bucket = new TokenBucket( { ratePerMinute: 60, clock } );
		const times: number[] = [];
		for ( let i = 0; i < 5; i++ ) {
			await bucket.acquire();
			times.push( clock.now() );
		}
		expect( times ).toEqual( [ 0, 1000, 2000, 3000, 4000 ] );
	} );

	it( 'allows a burst after idle time when configured, never more than the burst', async () => {
		const clock = virtualClock( 0 );
		const bucket = new TokenBucket( {
			ratePerMinute: 120,
			burst: 3,
			clock,
		} );
		const times: number[] = [];
		for ( let i = 0; i < 5; i++ ) {
			await bucket.acquire();
			times.push( clock.now() );
		}
		expect( times ).toEqual( [ 0, 0, 0, 500, 1000 ] );
	} );

	it( 'serves concurrent waiters in order and honours blockUntil', async () => {
		const clock = manualClock( 0 );
		const bucket = new TokenBucket( { ratePerMinute: 60, clock } );
		const order: number[] = [];
		await bucket.acquire();
		bucket.blockUntil( 5000 );
		const waiters = [ 1, 2 ].map( ( n ) =>
			bucket.acquire().then( () => order.push( n ) )
		);
		await flush();
		await clock.advance( 4999 );
		expect( order ).toEqual( [] );
		await clock.advance( 1 );
		expect( order ).toEqual( [ 1 ] );
		await clock.advance( 999 );
		expect( order ).toEqual( [ 1 ] );
		await clock.advance( 1 );
		await Promise.all( waiters );
		expect( order ).toEqual( [ 1, 2 ] );
	} );

	it( 'an aborted waiter rejects and does not take a token', async () => {
		const clock = manualClock( 0 );
		const bucket = new TokenBucket( { ratePerMinute: 60, clock } );
		await bucket.acquire();
		const controller = new AbortController();
		const aborted = bucket.acquire( controller.signal );
		controller.abort( new Error( 'stop' ) );
		await expect( aborted ).rejects.toThrow( 'stop' );
		await clock.advance( 1000 );
		expect( bucket.waitTimeMs() ).toBe( 0 );
	} );

	it( 'rejects a non-positive rate', () => {
		expect(
			() => new TokenBucket( { ratePerMinute: 0, clock: virtualClock() } )
		).toThrow( RangeError );
	} );
} );

describe( 'scaledClock', () => {
	it( 'runs time faster by the factor', async () => {
		const clock = scaledClock( 100 );
		const start = clock.now();
		const realStart = Date.now();
		await clock.sleep( 2000 );
		expect( Date.now() - realStart ).toBeLessThan( 200 );
		expect( clock.now() - start ).toBeGreaterThanOrEqual( 1900 );
		expect( () => scaledClock( 0 ) ).toThrow( RangeError );
	} );
} );

describe( 'retry helpers', () => {
	it( 'parses Retry-After in seconds and as an HTTP date', () => {
		const now = Date.parse( 'Fri, 27 Nov 2026 15:00:00 GMT' );
		expect( parseRetryAfter( '30', now ) ).toBe( 30_000 );
		expect( parseRetryAfter( ' 1.5 ', now ) ).toBe( 1500 );
		expect( parseRetryAfter( 'Fri, 27 Nov 2026 15:00:12 GMT', now ) ).toBe(
			12_000
		);
		expect( parseRetryAfter( 'Fri, 27 Nov 2026 14:00:00 GMT', now ) ).toBe(
			0
		);
		expect( parseRetryAfter( 'soon', now ) ).toBeUndefined();
		expect( parseRetryAfter( null, now ) ).toBeUndefined();
	} );

	it( 'backs off exponentially with full jitter, capped', () => {
		const opts = { baseMs: 1000, capMs: 8000 };
		expect(
			[ 1, 2, 3, 4, 5 ].map( ( n ) =>
				backoffDelay( n, { ...opts, random: () => 0.999999 } )
			)
		).toEqual( [ 999, 1999, 3999, 7999, 7999 ] );
		expect( backoffDelay( 3, { ...opts, random: () => 0 } ) ).toBe( 0 );
	} );
} );
