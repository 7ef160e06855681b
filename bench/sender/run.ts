/**
 * `npm run bench`: the sender against the keyCRM emulator and a model shop,
 * both on loopback HTTP in this process; the worker runs in a child process
 * (so its peak RSS is its own) on a scaled clock at keyCRM's 60 requests/min.
 * Prints, per catalogue size and scenario: keyCRM requests vs the API
 * minimum, wall time (keyCRM clock) vs the rate-limit floor (requests ÷
 * 60/min), peak RSS of the worker; then the "live edit during resync" latency.
 *
 * Usage: npm run bench [-- --sizes 1000,10000,100000]
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import {
	startEmulatorServer,
	type EmulatorServer,
} from '../../src/emulator/server';
import { FakeShop } from '../../test/helpers/fake-shop';
import { compareShopWithKeyCrm } from '../../test/helpers/fake-shop-harness';
import {
	startFakeShopServer,
	type FakeShopServer,
} from '../../test/helpers/fake-shop-server';
import {
	addCatalogue,
	minBulk,
	minInitial,
	minRenames,
	VariableClock,
} from './catalogue';
import { liveEditScenario } from './live';

const RATE = 60;
const USER = 'bench';
const APP_PASSWORD = 'bench pass word';
const PORTS = { emulator: 9421, shop: 8121 };

/** What the child reports. */
export interface ChildResult {
	requests: number;
	synced: number;
	failed: number;
	clockMs: number;
	realMs: number;
	cpuMs: number;
	peakRss: number;
}

/** The servers of one catalogue size. */
export interface Rig {
	clock: VariableClock;
	shop: FakeShop;
	emu: EmulatorServer;
	site: FakeShopServer;
}

/**
 * Run the worker child until it drains the outbox.
 *
 * @param rig   Servers.
 * @param scale Clock speed-up.
 * @param once  Exit when drained.
 */
export function runChild(
	rig: Rig,
	scale: number,
	once = true
): { done: Promise< ChildResult >; kill: () => void } {
	rig.clock.setFactor( scale );
	const script = fileURLToPath(
		new URL( './worker-child.ts', import.meta.url )
	);
	const nodeArgs = ( process.env.BENCH_NODE_ARGS ?? '' )
		.split( ' ' )
		.filter( Boolean );
	const child = spawn(
		process.execPath,
		[ ...nodeArgs, '--import', 'tsx', script ],
		{
		env: {
			...process.env,
			BENCH_CHILD: JSON.stringify( {
				site: rig.site.url,
				keycrm: `${ rig.emu.url }/v1`,
				user: USER,
				appPassword: APP_PASSWORD,
				scale,
				batch: 2000,
				once,
			} ),
		},
		stdio: [ 'ignore', 'pipe', 'inherit' ],
	} );
	let out = '';
	child.stdout.on( 'data', ( d: Buffer ) => ( out += d.toString() ) );
	const done = new Promise< ChildResult >( ( resolve, reject ) => {
		child.on( 'exit', ( code ) =>
			code === 0
				? resolve(
						JSON.parse(
							out.trim().split( '\n' ).pop() ?? '{}'
						) as ChildResult
					)
				: reject( new Error( `worker exited ${ code }` ) )
		);
	} );
	return { done, kill: () => child.kill( 'SIGTERM' ) };
}

/**
 * Clock speed-up giving a floor of about `targetRealS` real seconds.
 *
 * @param minRequests Expected requests.
 * @param targetRealS Target real seconds.
 */
function scaleFor( minRequests: number, targetRealS: number ): number {
	return Math.max( 1, ( minRequests * 60 ) / RATE / targetRealS );
}

const mb = ( b: number ) => `${ ( b / 1024 / 1024 ).toFixed( 0 ) } MB`;

/**
 * Run one scenario and print its row.
 *
 * @param rig     Servers.
 * @param n       Catalogue size.
 * @param name    Scenario name.
 * @param minimum API minimum.
 * @param formula Minimum formula (printed once).
 */
async function scenario(
	rig: Rig,
	n: number,
	name: string,
	minimum: number,
	formula: string
): Promise< void > {
	const before = rig.emu.emulator.stats();
	const targetReal = 3 + n / 2000;
	const r = await runChild( rig, scaleFor( minimum, targetReal ) ).done;
	const after = rig.emu.emulator.stats();
	const requests = after.total - before.total;
	const floorS = ( requests * 60 ) / RATE;
	const wallS = r.clockMs / 1000;
	const mismatches = compareShopWithKeyCrm( rig.shop, rig.emu.emulator );
	const ok =
		rig.shop.dirtyCount() === 0 &&
		mismatches.length === 0 &&
		after.counters.duplicateSkusCreated === 0;
	const row = [
		String( n ).padStart( 7 ),
		name.padEnd( 14 ),
		`${ requests }/${ minimum }`.padStart( 11 ),
		`${ ( requests / minimum ).toFixed( 3 ) }×`.padStart( 7 ),
		`${ wallS.toFixed( 0 ) }s/${ floorS.toFixed( 0 ) }s`.padStart( 13 ),
		`${ ( wallS / Math.max( floorS, 1 ) ).toFixed( 2 ) }×`.padStart( 6 ),
		mb( r.peakRss ).padStart( 7 ),
		`${ ( r.realMs / 1000 ).toFixed( 1 ) }s/${ ( r.cpuMs / 1000 ).toFixed( 1 ) }s`.padStart(
			11
		),
		ok
			? 'converged'
			: `NOT CONVERGED (${ mismatches.length } mismatches, dirty ${ rig.shop.dirtyCount() })`,
		`429s ${ ( after.byStatus[ 429 ] ?? 0 ) - ( before.byStatus[ 429 ] ?? 0 ) }`,
	];
	process.stdout.write( `${ row.join( ' ' ) }   min = ${ formula }\n` );
	if ( process.env.BENCH_VERBOSE ) {
		process.stdout.write( `    ${ JSON.stringify( r ) }\n` );
	}
}

/**
 * All scenarios for one catalogue size.
 *
 * @param n Catalogue size.
 */
async function size( n: number ): Promise< void > {
	const clock = new VariableClock();
	const shop = new FakeShop( {
		clock,
		settings: { api_key: 'bench', rate_per_minute: RATE },
	} );
	const emu = await startEmulatorServer( {
		port: PORTS.emulator,
		clock,
		apiKeys: [ 'bench' ],
		ratePerMinute: RATE,
	} );
	const site = await startFakeShopServer( shop, PORTS.shop, {
		user: USER,
		appPassword: APP_PASSWORD,
	} );
	const rig: Rig = { clock, shop, emu, site };
	try {
		const shape = addCatalogue( shop, n, 'A' );
		await scenario(
			rig,
			n,
			'initial push',
			minInitial( shape ),
			'1 census + ⌈simple/100⌉ + Σ(1+⌈var/100⌉) per variable product + ⌈N/10000⌉'
		);
		const sellable = [ ...shop.products.values() ].filter(
			( p ) => p.type !== 'variable'
		);
		sellable.forEach( ( p, i ) =>
			shop.update( p.id, { stock: ( i % 7 ) + 1 }, false )
		);
		await scenario(
			rig,
			n,
			'stock only',
			minBulk( sellable.length ),
			'⌈N/10000⌉ PUT /offers/stocks'
		);
		sellable.forEach( ( p, i ) =>
			shop.update( p.id, { price: 100 + ( i % 13 ) }, false )
		);
		await scenario(
			rig,
			n,
			'price changes',
			minBulk( sellable.length ),
			'⌈N/10000⌉ PUT /offers'
		);
		const renamed = sellable.filter( ( _, i ) => i % 10 === 3 );
		renamed.forEach( ( p ) => shop.rename( p.id, `${ p.sku ?? '' }-R` ) );
		const vars = renamed.filter( ( p ) => p.type === 'variation' );
		const parents = new Set( vars.map( ( p ) => p.parentId ) ).size;
		await scenario(
			rig,
			n,
			'10% renames',
			minRenames( renamed.length - vars.length, vars.length, parents ),
			'⌈n/50⌉ lookups + ⌈simple/100⌉ + 1 per product gaining variations + ⌈2n/10000⌉'
		);
	} finally {
		await site.close();
		await emu.close();
	}
}

/** Entry point. */
async function main(): Promise< void > {
	const arg = process.argv.indexOf( '--sizes' );
	const sizes =
		arg > 0
			? ( process.argv[ arg + 1 ] ?? '' ).split( ',' ).map( Number )
			: [ 1000, 10_000, 100_000 ];
	process.stdout.write(
		'keyCRM sender benchmark (emulator + model shop on loopback; keyCRM budget 60 requests/min on a scaled clock)\n'
	);
	process.stdout.write(
		'   SKUs scenario       req/min    ratio   wall/floor  ratio peakRSS  real/cpu   result\n'
	);
	for ( const n of sizes ) {
		await size( n );
	}
	const clock = new VariableClock();
	const shop = new FakeShop( {
		clock,
		settings: { api_key: 'bench', rate_per_minute: RATE },
	} );
	const emu = await startEmulatorServer( {
		port: PORTS.emulator,
		clock,
		apiKeys: [ 'bench' ],
		ratePerMinute: RATE,
	} );
	const site = await startFakeShopServer( shop, PORTS.shop, {
		user: USER,
		appPassword: APP_PASSWORD,
	} );
	try {
		await liveEditScenario( { clock, shop, emu, site }, runChild );
	} finally {
		await site.close();
		await emu.close();
	}
}

main().catch( ( error: unknown ) => {
	process.stderr.write(
		`${ error instanceof Error ? ( error.stack ?? error.message ) : String( error ) }\n`
	);
	process.exitCode = 1;
} );
