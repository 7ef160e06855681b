/** @jest-environment node */
/**
 * Token bucket, clocks and Retry-After parsing.
 */
import { TokenBucket } from '../../src/keycrm/rate-limiter';
import { backoffDelay, parseRetryAfter } from '../../src/keycrm/retry';
import {
	manualClock,
	scaledClock,
	simulatedClock,
	virtualClock,
} from '../../src/util/clock';
import { until } from '../helpers/wait';

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
		// The wall clock and its timers are jest's fakes: no real time, no load, enters the result.
		jest.useFakeTimers( { now: 1_700_000_000_000 } );
		try {
			const clock = scaledClock( 100 );
			const start = clock.now();
			let woke = false;
			const sleeping = clock.sleep( 2000 ).then( () => {
				woke = true;
			} );
			await jest.advanceTimersByTimeAsync( 19 );
			expect( woke ).toBe( false );
			expect( clock.now() - start ).toBe( 1900 );
			await jest.advanceTimersByTimeAsync( 1 );
			await sleeping;
			expect( woke ).toBe( true );
			expect( clock.now() - start ).toBe( 2000 );
		} finally {
			jest.useRealTimers();
		}
		expect( () => scaledClock( 0 ) ).toThrow( RangeError );
	} );
} );

describe( 'simulatedClock', () => {
	it( 'moves time only when everything sleeps, to the earliest deadline, waking in order', async () => {
		const clock = simulatedClock( 0 );
		const woke: string[] = [];
		const sleeper = async ( name: string, ms: number ) => {
			await clock.sleep( ms );
			woke.push( `${ name }@${ clock.now() }` );
		};
		// Work that takes event-loop turns but no clock time.
		const busy = async () => {
			for ( let i = 0; i < 5; i++ ) {
				await flush();
			}
			woke.push( `busy@${ clock.now() }` );
		};
		await Promise.all( [
			sleeper( 'b', 2000 ),
			sleeper( 'a', 1000 ),
			sleeper( 'c', 1000 ),
			busy(),
		] );
		expect( woke ).toEqual( [ 'busy@0', 'a@1000', 'c@1000', 'b@2000' ] );
		expect( clock.pendingSleeps() ).toBe( 0 );
	} );

	it( 'forgets an aborted sleep, which then does not move time', async () => {
		const clock = simulatedClock( 0 );
		const ac = new AbortController();
		const aborted = clock.sleep( 60_000, ac.signal );
		ac.abort( new Error( 'stop' ) );
		await expect( aborted ).rejects.toThrow( 'stop' );
		await clock.sleep( 10 );
		expect( clock.now() ).toBe( 10 );
		await expect(
			clock.sleep( 1, AbortSignal.abort( new Error( 'early' ) ) )
		).rejects.toThrow( 'early' );
	} );

	it( 'lets `until` wait on it, and fail with a message when the bound passes', async () => {
		const clock = simulatedClock( 0 );
		let done = false;
		void clock.sleep( 4500 ).then( () => {
			done = true;
		} );
		expect(
			await until( () => done, clock, { within: 10_000, step: 1000 } )
		).toBe( 5000 );
		await expect(
			until( () => false, clock, { within: 3000, what: 'never' } )
		).rejects.toThrow( 'never did not hold within 3000 ms of clock time' );
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
