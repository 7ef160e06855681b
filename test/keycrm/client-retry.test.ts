/** @jest-environment node */
/**
 * Retries, rate limiting and failure handling of the keyCRM client, against
 * the emulator (msw) on a fast shared clock.
 */
import { http, HttpResponse } from 'msw';

import {
	KeyCrmRateLimitedError,
	KeyCrmTransientError,
	KeyCrmUnexpectedResponseError,
	KeyCrmUnknownOutcomeError,
} from '../../src/keycrm/errors';
import type { RequestInfo } from '../../src/keycrm/client';
import { MAX_RETRY_AFTER_MS } from '../../src/keycrm/retry';
import { MAX_BODY_BYTES } from '../../src/keycrm/response-body';
import { KEYCRM_TEST_URL, useKeyCrmEmulator } from '../helpers/keycrm';

// Virtual time (the helper's default): sleeping moves the shared clock at once, so timings are exact.
const env = useKeyCrmEmulator();

/**
 * A client recording every attempt.
 * @param overrides Client option overrides.
 */
function recordingClient(
	overrides: Parameters< typeof env.client >[ 0 ] = {}
) {
	const attempts: ( RequestInfo & { at: number } )[] = [];
	const client = env.client( {
		onRequest: ( info ) =>
			attempts.push( { ...info, at: env.clock.now() } ),
		...overrides,
	} );
	return { client, attempts };
}

describe( '429 and Retry-After', () => {
	it( "waits for Retry-After past keyCRM's window, then succeeds", async () => {
		// Client budget 600/min against an emulator that allows 60/min: the 61st request gets 429.
		const { client, attempts } = recordingClient( { ratePerMinute: 6000 } );
		for ( let i = 0; i < 61; i++ ) {
			await client.listStocks( { limit: 1 } );
		}
		const limited = attempts.findIndex( ( a ) => a.status === 429 );
		expect( limited ).toBe( 60 );
		const retry = attempts[ limited + 1 ];
		expect( retry?.status ).toBe( 200 );
		// Retry-After is whole seconds to the end of the 60 s window that started at the first request.
		const windowEnd = ( attempts[ 0 ]?.at ?? 0 ) + 60_000;
		expect( retry?.at ).toBeGreaterThanOrEqual( windowEnd - 5 );
		expect( env.emulator.stats().rateLimited ).toBe( 1 );
	} );

	it( "at the default budget (60/min) never hits keyCRM's limit", async () => {
		const { client, attempts } = recordingClient();
		for ( let i = 0; i < 130; i++ ) {
			await client.listStocks( { limit: 1 } );
		}
		expect( attempts.every( ( a ) => a.status === 200 ) ).toBe( true );
		const span =
			( attempts.at( -1 )?.at ?? 0 ) - ( attempts[ 0 ]?.at ?? 0 );
		// 130 requests at 1/s: 129 s of clock time.
		expect( span ).toBe( 129_000 );
	} );

	it( 'gives up with KeyCrmRateLimitedError after maxRetries, with retryAfterMs', async () => {
		env.server.use(
			http.get( `${ KEYCRM_TEST_URL }/offers/stocks`, () =>
				HttpResponse.json(
					{ message: 'Too Many Attempts.' },
					{ status: 429, headers: { 'Retry-After': '7' } }
				)
			)
		);
		const { client, attempts } = recordingClient( { maxRetries: 2 } );
		const error = await client.listStocks().catch( ( e: unknown ) => e );
		expect( error ).toBeInstanceOf( KeyCrmRateLimitedError );
		expect( error ).toMatchObject( {
			retryAfterMs: 7000,
			retryable: true,
		} );
		expect( attempts ).toHaveLength( 3 );
		expect(
			( attempts[ 1 ]?.at ?? 0 ) - ( attempts[ 0 ]?.at ?? 0 )
		).toBeGreaterThanOrEqual( 7000 - 5 );
	} );

	it( 'honours Retry-After given as an HTTP date', async () => {
		let calls = 0;
		env.server.use(
			http.get( `${ KEYCRM_TEST_URL }/offers/stocks`, () => {
				calls++;
				const date = new Date( env.clock.now() + 3000 ).toUTCString();
				return calls === 1
					? HttpResponse.json(
							{ message: 'Too Many Attempts.' },
							{ status: 429, headers: { 'Retry-After': date } }
						)
					: undefined;
			} )
		);
		const { client, attempts } = recordingClient();
		await client.listStocks();
		expect( attempts.map( ( a ) => a.status ) ).toEqual( [ 429, 200 ] );
		// HTTP dates have 1 s resolution.
		expect(
			( attempts[ 1 ]?.at ?? 0 ) - ( attempts[ 0 ]?.at ?? 0 )
		).toBeGreaterThanOrEqual( 2000 );
	} );

	it( 'waits at most 10 minutes whatever Retry-After says', async () => {
		let calls = 0;
		env.server.use(
			http.get( `${ KEYCRM_TEST_URL }/offers/stocks`, () => {
				calls++;
				return calls === 1
					? HttpResponse.json(
							{ message: 'Too Many Attempts.' },
							{ status: 429, headers: { 'Retry-After': '86400' } }
						)
					: undefined;
			} )
		);
		const { client, attempts } = recordingClient();
		await client.listStocks();
		expect( attempts.map( ( a ) => a.status ) ).toEqual( [ 429, 200 ] );
		const waited = ( attempts[ 1 ]?.at ?? 0 ) - ( attempts[ 0 ]?.at ?? 0 );
		expect( waited ).toBeGreaterThanOrEqual( MAX_RETRY_AFTER_MS - 5 );
		expect( waited ).toBeLessThanOrEqual( MAX_RETRY_AFTER_MS + 1000 );
		expect( MAX_RETRY_AFTER_MS ).toBe( 600_000 );
	} );

	it( 'retries a 429 on a create (nothing was done) without duplicating', async () => {
		let calls = 0;
		env.server.use(
			http.post( `${ KEYCRM_TEST_URL }/products/import`, () => {
				calls++;
				return calls === 1
					? HttpResponse.json(
							{ message: 'Too Many Attempts.' },
							{ status: 429, headers: { 'Retry-After': '1' } }
						)
					: undefined;
			} )
		);
		const { client, attempts } = recordingClient();
		await client.importProducts( [ { name: 'A', sku: 'A' } ] );
		expect( attempts.map( ( a ) => a.status ) ).toEqual( [ 429, 201 ] );
		expect( env.emulator.stats().counters ).toMatchObject( {
			productsCreated: 1,
			duplicateSkusCreated: 0,
		} );
	} );
} );

describe( '5xx, timeouts and network errors', () => {
	it( 'retries a 500 on PUT with full-jitter exponential back-off, then succeeds', async () => {
		const { client, attempts } = recordingClient( { random: () => 0.5 } );
		await client.importProducts( [ { name: 'A', sku: 'A' } ] );
		let failures = 0;
		// The first two PUTs fail with 500 before keyCRM does anything; then requests reach the emulator.
		env.server.use(
			http.put( `${ KEYCRM_TEST_URL }/offers/stocks`, () =>
				failures++ < 2
					? HttpResponse.json(
							{ message: 'Server Error' },
							{ status: 500 }
						)
					: undefined
			)
		);
		await client.updateStocks( 1, [ { sku: 'A', quantity: 3 } ] );
		expect( attempts.slice( 1 ).map( ( a ) => a.status ) ).toEqual( [
			500, 500, 202,
		] );
		const gaps = attempts
			.slice( 2 )
			.map( ( a, i ) => a.at - ( attempts[ i + 1 ]?.at ?? 0 ) );
		// Full jitter with random 0.5: 500 ms, then 1000 ms (base 1000 ms, doubling).
		expect( gaps[ 0 ] ).toBeGreaterThanOrEqual( 500 - 5 );
		expect( gaps[ 1 ] ).toBeGreaterThanOrEqual( 1000 - 5 );
		expect(
			( await client.listStocks( { filter: { offers_sku: 'A' } } ) )
				.data[ 0 ]?.quantity
		).toBe( 3 );
	} );

	it( 'gives up on an idempotent call with KeyCrmTransientError after maxRetries', async () => {
		env.emulator.faults.set( { rateReset: 1 } );
		const { client, attempts } = recordingClient( { maxRetries: 3 } );
		const error = await client.listOffers().catch( ( e: unknown ) => e );
		expect( error ).toBeInstanceOf( KeyCrmTransientError );
		expect( error ).toMatchObject( { retryable: true } );
		expect( attempts.map( ( a ) => a.status ) ).toEqual( [ 0, 0, 0, 0 ] );
	} );

	it( 'retries a timed-out GET (per-attempt timeout)', async () => {
		env.emulator.faults.set( { rateTimeout: 1 } );
		const { client, attempts } = recordingClient( {
			maxRetries: 1,
			timeoutMs: 150,
		} );
		await expect( client.listOffers() ).rejects.toThrow( /TimeoutError/ );
		expect( attempts ).toHaveLength( 2 );
	} );

	it( 'a body that never ends is a timeout of its attempt, retried for a GET', async () => {
		const encoder = new TextEncoder();
		env.server.use(
			http.get(
				`${ KEYCRM_TEST_URL }/offers`,
				() =>
					new HttpResponse(
						new ReadableStream( {
							start( controller ) {
								// Headers and the start of the body, then nothing more.
								controller.enqueue(
									encoder.encode( '{"data":[' )
								);
							},
						} ),
						{ headers: { 'Content-Type': 'application/json' } }
					)
			)
		);
		const { client, attempts } = recordingClient( {
			maxRetries: 1,
			timeoutMs: 150,
		} );
		await expect( client.listOffers() ).rejects.toThrow(
			/response body not received within 150 ms \(after 2 attempts\)/
		);
		expect( attempts.map( ( a ) => a.status ) ).toEqual( [ 0, 0 ] );
	} );

	it( 'a body over the size limit fails its attempt instead of filling memory', async () => {
		const chunk = new Uint8Array( 1024 * 1024 ).fill( 32 );
		let sent = 0;
		env.server.use(
			http.get(
				`${ KEYCRM_TEST_URL }/offers`,
				() =>
					new HttpResponse(
						new ReadableStream( {
							pull( controller ) {
								sent += chunk.byteLength;
								controller.enqueue( chunk );
							},
						} ),
						{ headers: { 'Content-Type': 'application/json' } }
					)
			)
		);
		const { client } = recordingClient( { maxRetries: 0 } );
		await expect( client.listOffers() ).rejects.toThrow(
			/over the limit of 16777216 bytes/
		);
		expect( sent ).toBeLessThan( MAX_BODY_BYTES + 8 * chunk.byteLength );
	} );

	it( 'never retries a create after a transport failure: KeyCrmUnknownOutcomeError, one request', async () => {
		// The reset happens after keyCRM did the work: the product exists, the client cannot know.
		env.emulator.faults.set( { rateReset: 1, faultsAfterWork: true } );
		const { client, attempts } = recordingClient();
		const error = await client
			.importProducts( [ { name: 'A', sku: 'A' } ] )
			.catch( ( e: unknown ) => e );
		expect( error ).toBeInstanceOf( KeyCrmUnknownOutcomeError );
		expect( error ).toMatchObject( { retryable: false } );
		expect( attempts ).toHaveLength( 1 );
		env.emulator.faults.set( {} );
		// The caller's recovery: look the SKU up before trying again.
		expect(
			( await client.findOffersBySku( [ 'A' ] ) ).get( 'A' )
		).toHaveLength( 1 );
		expect( env.emulator.stats().counters.duplicateSkusCreated ).toBe( 0 );
	} );

	it( 'treats a 500 on a create as an unknown outcome too', async () => {
		env.emulator.faults.set( { rate500: 1 } );
		const { client, attempts } = recordingClient();
		await expect(
			client.createProduct( { name: 'A', sku: 'A' } )
		).rejects.toThrow( KeyCrmUnknownOutcomeError );
		await expect(
			client.createOffers( 1, [ { sku: 'A-1' } ] )
		).rejects.toThrow( KeyCrmUnknownOutcomeError );
		await expect( client.createCategory( { name: 'C' } ) ).rejects.toThrow(
			KeyCrmUnknownOutcomeError
		);
		expect( attempts ).toHaveLength( 3 );
	} );

	it( 'every attempt passes the rate limiter (retries included)', async () => {
		env.emulator.faults.set( { rate500: 0.5, seed: 7 } );
		const { client, attempts } = recordingClient( {
			ratePerMinute: 60,
			random: () => 0,
			maxRetries: 10,
		} );
		for ( let i = 0; i < 10; i++ ) {
			await client.listStocks();
		}
		expect( attempts.length ).toBeGreaterThan( 10 );
		const gaps = attempts
			.slice( 1 )
			.map( ( a, i ) => a.at - ( attempts[ i ]?.at ?? 0 ) );
		expect( Math.min( ...gaps ) ).toBeGreaterThanOrEqual( 1000 - 5 );
	} );
} );

describe( 'invalid responses', () => {
	it( 'a body that does not match the schema is a KeyCrmUnexpectedResponseError naming the field', async () => {
		env.server.use(
			http.get( `${ KEYCRM_TEST_URL }/offers`, () =>
				HttpResponse.json( {
					current_page: 1,
					data: [ { id: 'x', product_id: 1, sku: 'A' } ],
					first_page_url: '',
					from: 1,
					last_page: 1,
					last_page_url: '',
					next_page_url: null,
					path: '',
					per_page: 15,
					prev_page_url: null,
					to: 1,
					total: 1,
				} )
			)
		);
		const { client, attempts } = recordingClient();
		const error = await client.listOffers().catch( ( e: unknown ) => e );
		expect( error ).toBeInstanceOf( KeyCrmUnexpectedResponseError );
		expect( error ).toMatchObject( {
			issuePath: 'data.0.id',
			retryable: false,
		} );
		expect( attempts ).toHaveLength( 1 );
	} );

	it( "a paginator wrapped in `meta` (not keyCRM's shape) is refused", async () => {
		env.server.use(
			http.get( `${ KEYCRM_TEST_URL }/offers/stocks`, () =>
				HttpResponse.json( { data: [], meta: { last_page: 1 } } )
			)
		);
		await expect( env.client().listStocks() ).rejects.toMatchObject( {
			name: 'KeyCrmUnexpectedResponseError',
			issuePath: 'current_page',
		} );
	} );

	it( 'a non-JSON 2xx body and a bulk answer other than {status:true} are refused', async () => {
		env.server.use(
			http.get(
				`${ KEYCRM_TEST_URL }/products/1`,
				() =>
					new HttpResponse( '<html>maintenance</html>', {
						status: 200,
					} )
			),
			http.put( `${ KEYCRM_TEST_URL }/offers/stocks`, () =>
				HttpResponse.json( { status: false }, { status: 202 } )
			)
		);
		const client = env.client();
		await expect( client.getProduct( 1 ) ).rejects.toThrow( /not JSON/ );
		await expect(
			client.updateStocks( 1, [ { sku: 'A', quantity: 1 } ] )
		).rejects.toMatchObject( { issuePath: 'status' } );
	} );
} );
