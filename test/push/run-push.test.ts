/** @jest-environment node */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';

import { applySeed } from '../../src/emulator/seed';
import { runCli } from '../../src/cli/main';
import { runPush } from '../../src/push/run-push';
import { parseStockFile } from '../../src/push/parse-stock-file';
import {
	KEYCRM_TEST_KEY,
	KEYCRM_TEST_URL,
	useKeyCrmEmulator,
} from '../helpers/keycrm';

const env = useKeyCrmEmulator( { warehouses: [ 1, 2 ] } );

function seed( n: number ): void {
	applySeed( env.emulator.store, {
		products: Array.from( { length: n }, ( _, i ) => ( {
			name: `P${ i }`,
			sku: `SKU-${ i }`,
			price: 10,
			stock: { 1: i % 5, 2: 100 },
		} ) ),
	} );
}

const writes = () => {
	const by = env.emulator.stats().byRoute;
	return ( by[ 'PUT /offers/stocks' ] ?? 0 ) + ( by[ 'PUT /offers' ] ?? 0 );
};
const warehouse1 = ( sku: string ) => {
	const offer = env.emulator.store.findBySku( sku )[ 0 ];
	return offer ? env.emulator.store.cell( offer.id, 1 ).quantity : undefined;
};

describe( 'runPush with the emulator', () => {
	const file = [
		'sku;quantity;price',
		'SKU-0;7;10',
		'SKU-1;1;12,5',
		'SKU-2;2',
		'NOPE;3',
	].join( '\n' );

	it( 'dry run: lists the changes and unknown SKUs, sends nothing', async () => {
		seed( 3 );
		const lines: string[] = [];
		const { rows } = parseStockFile( file, 'csv' );
		const summary = await runPush( {
			client: env.client(),
			rows,
			warehouseId: 1,
			dryRun: true,
			print: ( l ) => lines.push( l ),
		} );
		expect( summary ).toMatchObject( {
			stockChanges: 1,
			priceChanges: 1,
			unchanged: 1,
			unknown: 1,
			writeRequests: 0,
		} );
		expect( lines ).toContain( '  line 2: SKU-0  stock 0 → 7' );
		expect( lines ).toContain( '  line 3: SKU-1  price 10 → 12.5' );
		expect( lines ).toContain( '  line 5: NOPE  not in keyCRM (skipped)' );
		expect( lines.at( -1 ) ).toMatch(
			/^Dry run: 4 rows; would change stock of 1 and price of 1 SKUs; 1 unchanged; 1 not in keyCRM/
		);
		expect( writes() ).toBe( 0 );
		expect( warehouse1( 'SKU-0' ) ).toBe( 0 );
	} );

	it( 'push: sets the warehouse stock and prices, leaves other warehouses alone', async () => {
		seed( 3 );
		const { rows } = parseStockFile( file, 'csv' );
		const summary = await runPush( {
			client: env.client(),
			rows,
			warehouseId: 1,
			dryRun: false,
			print: () => {},
		} );
		expect( summary.writeRequests ).toBe( 2 );
		expect( writes() ).toBe( 2 );
		expect( warehouse1( 'SKU-0' ) ).toBe( 7 );
		const offer1 = env.emulator.store.findBySku( 'SKU-1' )[ 0 ];
		expect( offer1?.price ).toBe( 12.5 );
		const offer0 = env.emulator.store.findBySku( 'SKU-0' )[ 0 ];
		expect( env.emulator.store.cell( offer0?.id ?? 0, 2 ).quantity ).toBe(
			100
		);
		// A second run finds nothing to do and sends nothing.
		const again = await runPush( {
			client: env.client(),
			rows,
			warehouseId: 1,
			dryRun: false,
			print: () => {},
		} );
		expect( again ).toMatchObject( {
			stockChanges: 0,
			priceChanges: 0,
			writeRequests: 0,
		} );
		expect( writes() ).toBe( 2 );
	} );

	it( 'reads by SKU lookup when the account is much larger than the file', async () => {
		seed( 260 ); // 6 pages of 50.
		const { rows } = parseStockFile( 'SKU-259,9\nSKU-3,3\n', 'csv' );
		const summary = await runPush( {
			client: env.client(),
			rows,
			warehouseId: 1,
			dryRun: true,
			print: () => {},
		} );
		expect( summary.readStrategy ).toBe( 'lookup' );
		expect( summary.readRequests ).toBe( 2 ); // first scan page (holds SKU-3) + one lookup.
		expect( summary.stockChanges ).toBe( 1 );
	} );
} );

describe( 'keycrm-sync push (CLI)', () => {
	let dir: string;
	beforeAll( async () => {
		dir = await mkdtemp( join( tmpdir(), 'kcs-push-' ) );
	} );
	afterAll( async () => {
		await rm( dir, { recursive: true, force: true } );
	} );

	async function cli( args: string[] ) {
		let out = '';
		let err = '';
		const sink = ( add: ( s: string ) => void ) =>
			new Writable( {
				write( chunk, _enc, cb ) {
					add( String( chunk ) );
					cb();
				},
			} );
		const code = await runCli( [ 'push', ...args ], {
			stdout: sink( ( s ) => ( out += s ) ),
			stderr: sink( ( s ) => ( err += s ) ),
			signal: new AbortController().signal,
			env: {
				KEYCRM_API_KEY: KEYCRM_TEST_KEY,
				KEYCRM_API_URL: KEYCRM_TEST_URL,
			},
		} );
		return { code, out, err };
	}

	it( 'refuses an invalid file with line numbers and sends nothing', async () => {
		seed( 2 );
		const path = join( dir, 'bad.csv' );
		await writeFile(
			path,
			'\uFEFFsku;quantity\nSKU-0;x\nSKU-1;2\nSKU-1;3\n'
		);
		const r = await cli( [
			'--file',
			path,
			'--warehouse',
			'1',
			'--rate-per-minute',
			'600',
		] );
		expect( r.code ).toBe( 2 );
		expect( r.err ).toContain(
			`${ path }:2: quantity "x" is not a number`
		);
		expect( r.err ).toContain(
			`${ path }:4: duplicate SKU "SKU-1" (first on line 3)`
		);
		expect( r.err ).toContain( '2 error(s); nothing was sent.' );
		expect( env.emulator.stats().total ).toBe( 0 );
	} );

	it( 'pushes a JSON file', async () => {
		seed( 2 );
		const path = join( dir, 'stock.json' );
		await writeFile(
			path,
			JSON.stringify( [ { sku: 'SKU-1', quantity: 42 } ] )
		);
		const r = await cli( [
			'--file',
			path,
			'--warehouse',
			'1',
			'--rate-per-minute',
			'600',
		] );
		expect( r.err ).toBe( '' );
		expect( r.code ).toBe( 0 );
		expect( r.out ).toContain( 'line 1: SKU-1  stock 1 → 42' );
		expect( r.out ).toMatch( /Done: 1 rows; changed stock of 1/ );
		expect( warehouse1( 'SKU-1' ) ).toBe( 42 );
	} );

	it( 'requires --warehouse and an API key', async () => {
		expect( ( await cli( [ '--file', 'x.csv' ] ) ).err ).toContain(
			'--warehouse is required'
		);
		const r = await runCli(
			[ 'push', '--file', 'x.csv', '--warehouse', '1' ],
			{
				stdout: new Writable( { write: ( _c, _e, cb ) => cb() } ),
				stderr: new Writable( { write: ( _c, _e, cb ) => cb() } ),
				signal: new AbortController().signal,
				env: {},
			}
		);
		expect( r ).toBe( 2 );
	} );
} );
