/** @jest-environment node */
/**
 * The emulator over real HTTP: the server module with the keyCRM client,
 * and the `keycrm-sync emulator` CLI as a child process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { createKeyCrmClient } from '../../src/keycrm/client';
import { KeyCrmAuthError } from '../../src/keycrm/errors';
import {
	startEmulatorServer,
	type EmulatorServer,
} from '../../src/emulator/server';
import { waitForOutput } from '../helpers/process';

const ROOT = path.resolve( __dirname, '../..' );
describe( 'startEmulatorServer', () => {
	let server: EmulatorServer;
	beforeAll( async () => {
		// Any free port: tests running side by side never meet on one.
		server = await startEmulatorServer( {
			port: 0,
			apiKeys: [ 'k1' ],
			warehouses: [ 1, 2 ],
		} );
	} );
	afterAll( () => server.close() );

	it( 'binds loopback and serves the API under /v1 to the client', async () => {
		expect( server.url ).toMatch( /^http:\/\/127\.0\.0\.1:[1-9]\d*$/ );
		const client = createKeyCrmClient( {
			baseUrl: `${ server.url }/v1`,
			apiKey: 'k1',
			ratePerMinute: 6000,
		} );
		await client.importProducts( [
			{ name: 'A', sku: 'A' },
			{ name: 'B', sku: 'B' },
		] );
		await client.updateStocks( 2, [ { sku: 'B', quantity: 4 } ] );
		const page = await client.listStocks( {
			filter: { details: true },
			limit: 1,
		} );
		expect( page.next_page_url ).toBe(
			`${ server.url }/v1/offers/stocks?limit=1&filter%5Bdetails%5D=true&page=2`
		);
		const all = [];
		for await ( const row of client.paginate( ( p ) =>
			client.listStocks( { limit: 1, page: p } )
		) ) {
			all.push( row );
		}
		expect( all.map( ( r ) => [ r.sku, r.quantity ] ) ).toEqual( [
			[ 'A', 0 ],
			[ 'B', 4 ],
		] );
		await expect(
			createKeyCrmClient( {
				baseUrl: `${ server.url }/v1`,
				apiKey: 'bad',
			} ).listStocks()
		).rejects.toThrow( KeyCrmAuthError );
	} );

	it( 'resets the connection and times out for real when told to', async () => {
		server.emulator.faults.set( { rateReset: 1 } );
		const reset = await fetch( `${ server.url }/v1/offers`, {
			headers: { Authorization: 'Bearer k1' },
		} ).catch( ( e: unknown ) => e );
		// Node's fetch reports a reset connection as TypeError('fetch failed') (from another realm than jest's).
		expect( reset ).toMatchObject( {
			name: 'TypeError',
			message: 'fetch failed',
		} );
		server.emulator.faults.set( { rateTimeout: 1 } );
		const timeout = await fetch( `${ server.url }/v1/offers`, {
			headers: { Authorization: 'Bearer k1' },
			signal: AbortSignal.timeout( 200 ),
		} ).catch( ( e: unknown ) => e );
		expect( ( timeout as Error ).name ).toBe( 'TimeoutError' );
		server.emulator.faults.set( {} );
	} );

	it( 'serves the control API and the HTML page', async () => {
		const stats = ( await (
			await fetch( `${ server.url }/__emulator/stats` )
		).json() ) as { byRoute: Record< string, number > };
		expect( stats.byRoute[ 'PUT /offers/stocks' ] ).toBe( 1 );
		const page = await fetch( `${ server.url }/` );
		expect( page.headers.get( 'content-type' ) ).toMatch( /text\/html/ );
		expect( await page.text() ).toContain( '<h1>keyCRM emulator</h1>' );
	} );
} );

describe( 'keycrm-sync emulator (CLI)', () => {
	let child: ChildProcess;
	let output = '';
	let base = '';

	beforeAll( async () => {
		const dir = mkdtempSync( path.join( tmpdir(), 'keycrm-emu-' ) );
		const seed = path.join( dir, 'seed.json' );
		writeFileSync(
			seed,
			JSON.stringify( {
				products: [ { name: 'Seeded', sku: 'SEED-1', stock: 3 } ],
			} )
		);
		child = spawn(
			process.execPath,
			[
				'--import',
				'tsx',
				'src/cli.ts',
				'emulator',
				'--port',
				'0',
				'--api-key',
				'test',
				'--rate-per-minute',
				'3',
				'--seed-file',
				seed,
			],
			{ cwd: ROOT, stdio: [ 'ignore', 'pipe', 'pipe' ] }
		);
		child.stdout?.on( 'data', ( d: Buffer ) => ( output += d.toString() ) );
		child.stderr?.on( 'data', ( d: Buffer ) => ( output += d.toString() ) );
		// Any free port: the emulator names it once it listens.
		const listening = await waitForOutput(
			child,
			/listening on (http:\/\/\S+) /
		);
		base = listening[ 1 ] ?? '';
	}, 30_000 );

	afterAll( async () => {
		if ( child.exitCode === null ) {
			const exited = new Promise( ( r ) => child.once( 'exit', r ) );
			child.kill( 'SIGTERM' );
			await exited;
		}
	} );

	it( 'answers the paginator with the key, 401 without, 429 past the rate', async () => {
		const url = `${ base }/v1/offers/stocks?limit=50`;
		const ok = await fetch( url, {
			headers: { Authorization: 'Bearer test' },
		} );
		expect( ok.status ).toBe( 200 );
		expect( await ok.json() ).toMatchObject( {
			current_page: 1,
			per_page: 50,
			total: 1,
			data: [ { sku: 'SEED-1', quantity: 3, reserve: 0 } ],
			next_page_url: null,
		} );
		expect( ( await fetch( url ) ).status ).toBe( 401 );
		const statuses = [];
		for ( let i = 0; i < 3; i++ ) {
			statuses.push(
				(
					await fetch( url, {
						headers: { Authorization: 'Bearer test' },
					} )
				).status
			);
		}
		expect( statuses ).toEqual( [ 200, 200, 429 ] );
		expect( output ).toContain( 'seeded 1 products, 1 offers' );
	} );

	it( 'stops cleanly on SIGTERM', async () => {
		const exited = new Promise< number | null >( ( r ) =>
			child.once( 'exit', ( code ) => r( code ) )
		);
		child.kill( 'SIGTERM' );
		expect( await exited ).toBe( 0 );
		expect( output ).toContain( 'keyCRM emulator stopped' );
	} );
} );

describe( 'CLI usage errors', () => {
	const run = ( args: string[] ) =>
		new Promise< { code: number | null; out: string; err: string } >(
			( resolve ) => {
				const p = spawn(
					process.execPath,
					[ '--import', 'tsx', 'src/cli.ts', ...args ],
					{ cwd: ROOT }
				);
				let out = '';
				let err = '';
				p.stdout.on( 'data', ( d: Buffer ) => ( out += d.toString() ) );
				p.stderr.on( 'data', ( d: Buffer ) => ( err += d.toString() ) );
				p.on( 'exit', ( code ) => resolve( { code, out, err } ) );
			}
		);

	it( 'prints help with exit 0 and rejects bad flags with exit 2', async () => {
		const [ top, help, bad, noPort, badWarehouse, unknown ] =
			await Promise.all( [
				run( [ '--help' ] ),
				run( [ 'emulator', '--help' ] ),
				run( [ 'emulator', '--port', '9', '--nope' ] ),
				run( [ 'emulator' ] ),
				run( [ 'emulator', '--port', '9403', '--warehouse', 'x' ] ),
				run( [ 'frobnicate' ] ),
			] );
		expect( [ top.code, top.out ] ).toEqual( [
			0,
			expect.stringContaining( 'emulator' ),
		] );
		expect( [ help.code, help.out ] ).toEqual( [
			0,
			expect.stringContaining( '--rate-per-minute' ),
		] );
		expect( [ bad.code, bad.err ] ).toEqual( [
			2,
			expect.stringContaining( "Unknown option '--nope'" ),
		] );
		expect( [ noPort.code, noPort.err ] ).toEqual( [
			2,
			expect.stringContaining( '--port is required' ),
		] );
		expect( [ badWarehouse.code, badWarehouse.err ] ).toEqual( [
			2,
			expect.stringContaining( '--warehouse expects a positive integer' ),
		] );
		expect( [ unknown.code, unknown.err ] ).toEqual( [
			2,
			expect.stringContaining( 'unknown command "frobnicate"' ),
		] );
	}, 60_000 );
} );
