/** @jest-environment node */
/**
 * The Node sender fed the answers a broken keyCRM or a proxy in front of it
 * gives: a 502 HTML page, a 200 whose JSON is cut in half, a 200 of the wrong
 * shape, a body that trickles and stalls, and 429s whose `Retry-After` is huge,
 * negative, garbage or a date. The emulator's fault hooks inject them.
 *
 * Each answer once, to one read, one idempotent write and one create of the
 * client: a read or write is retried and succeeds, a create (which may have
 * landed) is reported as an unknown outcome, a 200 that cannot be read is a
 * clear error. The sender under a steady mix of them: keycrm-answers-sender.test.ts.
 */
import type { FaultSettings } from '../../src/emulator/faults';
import type { RequestInfo } from '../../src/keycrm/client';
import { MAX_RETRY_AFTER_MS } from '../../src/keycrm/retry';
import { useKeyCrmEmulator } from '../helpers/keycrm';
import { record, type Answer } from './figures';

const env = useKeyCrmEmulator();
const BOUNDARY = 'keyCRM answers (Node sender)';

/**
 * A client whose first attempt meets `fault`; later attempts are answered normally.
 *
 * @param fault Fault settings for the first attempt.
 */
function faultOnce( fault: FaultSettings ) {
	const attempts: ( RequestInfo & { at: number } )[] = [];
	env.emulator.faults.set( fault );
	const client = env.client( {
		maxRetries: 2,
		timeoutMs: 150, // Real ms allowed for a body (the drip).
		onRequest: ( info ) => {
			attempts.push( { ...info, at: env.clock.now() } );
			env.emulator.faults.set( {} );
		},
	} );
	return { client, attempts };
}

const seedOne = () =>
	env.emulator.store.createProduct( {
		name: 'Shirt',
		sku: 'A-1',
		price: 10,
	} );

type Call = 'read' | 'write' | 'create';
const calls: Record<
	Call,
	( c: ReturnType< typeof env.client > ) => Promise< unknown >
> = {
	read: ( c ) => c.listOffers( { limit: 10 } ),
	write: ( c ) => c.updateStocks( 1, [ { sku: 'A-1', quantity: 7 } ] ),
	create: ( c ) =>
		c.importProducts( [ { name: 'New', sku: 'N-1', price: 5 } ] ),
};

interface Case {
	input: string;
	fault: FaultSettings;
	/** Per call: retried to success, or the error expected. */
	expect: Record< Call, 'recovered' | RegExp >;
}

const broken: Case[] = [
	{
		input: "a proxy's 502 HTML page",
		fault: { rateHtml: 1, faultsAfterWork: false },
		expect: {
			read: 'recovered',
			write: 'recovered',
			create: /answered 502; the create may or may not have happened/,
		},
	},
	{
		input: '200 with truncated JSON',
		fault: { rateTruncated: 1 },
		expect: {
			read: /response 200 is not JSON/,
			write: /response 200 is not JSON/,
			create: /response 200 is not JSON/,
		},
	},
	{
		input: '200 with JSON of the wrong shape',
		fault: { rateWrongShape: 1 },
		expect: {
			read: /unexpected response shape/,
			write: /unexpected response shape at "status"/,
			create: /unexpected response shape at "status"/,
		},
	},
	{
		input: 'a body that trickles and stalls',
		fault: { rateDrip: 1 },
		expect: {
			read: 'recovered',
			write: 'recovered',
			create: /response body not received within 150 ms; the create may or may not have happened/,
		},
	},
];

describe( 'each broken answer, once, to a read, a write and a create', () => {
	it.each( broken )( '$input', async ( c ) => {
		for ( const call of [ 'read', 'write', 'create' ] as const ) {
			seedOne();
			const { client, attempts } = faultOnce( c.fault );
			const want = c.expect[ call ];
			const got = await calls[ call ]( client ).then(
				() => 'recovered',
				( e: unknown ) =>
					e instanceof Error ? e.message : String( e )
			);
			const ok =
				want === 'recovered'
					? got === 'recovered'
					: got !== 'recovered' && want.test( got );
			expect( { call, got, ok } ).toEqual( { call, got, ok: true } );
			// A retried call took a second attempt; a refused one never more than one.
			expect( attempts ).toHaveLength( want === 'recovered' ? 2 : 1 );
			const offer = env.emulator.store.findBySku( 'A-1' )[ 0 ];
			const stock = env.emulator.store.cell( offer?.id ?? 0, 1 ).quantity;
			expect( call === 'write' && want === 'recovered' ? stock : 7 ).toBe(
				7
			);
			const answer: Answer = want === 'recovered' ? 'recovered' : 'error';
			record( {
				boundary: BOUNDARY,
				input: `${ c.input } (${ call })`,
				answer,
				lost: 0,
			} );
			env.emulator.reset();
		}
	} );
} );

describe( 'Retry-After of every kind is honoured within bounds', () => {
	const now = () => env.clock.now();
	it.each( [
		{
			input: 'Retry-After: 86400',
			header: () => '86400',
			min: MAX_RETRY_AFTER_MS,
			max: MAX_RETRY_AFTER_MS,
		},
		{
			input: 'Retry-After: 1e999',
			header: () => '1e999',
			min: 1000,
			max: 60_000,
		},
		{
			input: 'Retry-After: -5',
			header: () => '-5',
			min: 1000,
			max: 60_000,
		},
		{
			input: 'Retry-After: garbage',
			header: () => 'soon, please',
			min: 1000,
			max: 60_000,
		},
		{
			input: 'Retry-After: empty',
			header: () => '',
			min: 1000,
			max: 60_000,
		},
		{
			input: 'Retry-After: HTTP date 30 s ahead',
			header: () => new Date( now() + 30_000 ).toUTCString(),
			min: 29_000,
			max: 31_000,
		},
		{
			input: 'Retry-After: HTTP date in the past',
			header: () => new Date( now() - 3_600_000 ).toUTCString(),
			min: 0,
			max: 1000,
		},
		{
			input: 'Retry-After: HTTP date in year 9999',
			header: () => 'Fri, 31 Dec 9999 23:59:59 GMT',
			min: MAX_RETRY_AFTER_MS,
			max: MAX_RETRY_AFTER_MS,
		},
	] )( '$input', async ( c ) => {
		seedOne();
		const { client, attempts } = faultOnce( {
			rate429: 1,
			retryAfter: c.header(),
		} );
		await client.listOffers( { limit: 10 } );
		expect( attempts.map( ( a ) => a.status ) ).toEqual( [ 429, 200 ] );
		const waited = ( attempts[ 1 ]?.at ?? 0 ) - ( attempts[ 0 ]?.at ?? 0 );
		expect( waited ).toBeGreaterThanOrEqual( c.min );
		expect( waited ).toBeLessThanOrEqual( c.max );
		record( {
			boundary: BOUNDARY,
			input: c.input,
			answer: 'recovered',
			lost: 0,
		} );
	} );
} );
