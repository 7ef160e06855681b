/**
 * `npm run bench`: the sender against the keyCRM emulator and a model shop,
 * both on loopback HTTP in this process; the worker runs in a child process
 * (so its peak RSS is its own) on a scaled clock at keyCRM's 60 requests/min.
 * Prints, per catalogue size and scenario: keyCRM requests vs the API
 * minimum, wall time vs the rate-limit floor (keyCRM clock), the real time
 * the machine needed per request, peak RSS and heap of the worker; then the
 * "live edit during resync" latency. The legend is in report.ts.
 *
 * Usage: npm run bench [-- --sizes 1000,10000,100000] [--ms-per-request 50]
 *        [--scenarios stock,price,renames] [--no-live]; BENCH_VERBOSE=1 adds the child's breakdown per row
 *        (real ms in claims, acks, keyCRM HTTP, sleeping), BENCH_NODE_ARGS
 *        replaces the worker's node options (default
 *        --max-old-space-size=64; e.g. "--expose-gc" samples the heap left
 *        after a full GC every 250 ms as peakLive, "--cpu-prof");
 *        KCS_BENCH_SHOP_PORT / KCS_BENCH_EMULATOR_PORT (8121 / 9421) move the servers.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import {
	startEmulatorServer,
	type EmulatorServer,
} from '../../src/emulator/server';
import { FakeShop, type ShopProduct } from '../../test/helpers/fake-shop';
import { compareShopWithKeyCrm } from '../../test/helpers/fake-shop-harness';
import {
	startFakeShopServer,
	type FakeShopServer,
} from '../../test/helpers/fake-shop-server';
import {
	addCatalogue,
	categoryMismatches,
	minBulk,
	minInitial,
	minRenames,
	VariableClock,
} from './catalogue';
import { liveEditScenario } from './live';
import { formatRow, header, RATE, type ChildResult } from './report';

export type { ChildResult } from './report';

const USER = 'bench';
const APP_PASSWORD = 'bench pass word';
const PORTS = {
	emulator: Number( process.env.KCS_BENCH_EMULATOR_PORT ?? 9421 ),
	shop: Number( process.env.KCS_BENCH_SHOP_PORT ?? 8121 ),
};
/** Scenarios needing at most this many requests run in real time. */
const FEW_REQUESTS = 10;
/** Scenarios after the initial push to run (`--scenarios stock,price,renames`; the initial push always runs). */
const SCENARIOS = new Set(
	arg( '--scenarios', 'stock,price,renames' ).split( ',' ).filter( Boolean )
);

/**
 * Value of a `--name value` argument.
 *
 * @param name     Argument name.
 * @param fallback Default.
 */
function arg( name: string, fallback: string ): string {
	const i = process.argv.indexOf( name );
	return i > 0 ? ( process.argv[ i + 1 ] ?? fallback ) : fallback;
}

/** Real ms each keyCRM request gets in scenarios of many requests. */
const MS_PER_REQUEST = Number( arg( '--ms-per-request', '50' ) );

/**
 * Node options of the worker: its old space capped at 64 MB (its live heap
 * peaks near 30 MB at every size), so peak RSS shows what the worker needs
 * rather than how much garbage V8 chose to keep; a leak would fail the run.
 */
const WORKER_NODE_ARGS =
	process.env.BENCH_NODE_ARGS ?? '--max-old-space-size=64';

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
	const nodeArgs = WORKER_NODE_ARGS.split( ' ' ).filter( Boolean );
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
		}
	);
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
 * Clock speed-up of a scenario: real time for a few requests (the time is
 * then the machine's anyway); else each request gets `MS_PER_REQUEST` real
 * ms, and at least 10 real seconds in all, so the real costs that do not
 * scale with requests (start, first claims) stay small in keyCRM time.
 *
 * @param minRequests API minimum of the scenario.
 */
function scaleFor( minRequests: number ): number {
	if ( minRequests <= FEW_REQUESTS ) {
		return 1;
	}
	const realMs = Math.max( MS_PER_REQUEST, 10_000 / minRequests );
	return 60_000 / RATE / realMs;
}

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
	// The models' garbage of the previous scenario is collected before the worker starts, so
	// the worker's wall time is not the parent's GC (`npm run bench` exposes gc).
	( globalThis as { gc?: () => void } ).gc?.();
	const before = rig.emu.emulator.stats();
	const scale = scaleFor( minimum );
	const child = await runChild( rig, scale ).done;
	const after = rig.emu.emulator.stats();
	const mismatches = compareShopWithKeyCrm( rig.shop, rig.emu.emulator );
	const dups = after.counters.duplicateSkusCreated;
	const rejected =
		( after.byStatus[ 429 ] ?? 0 ) - ( before.byStatus[ 429 ] ?? 0 );
	const ok =
		rig.shop.dirtyCount() === 0 && mismatches.length === 0 && dups === 0;
	const result = ok
		? `converged, 429s ${ rejected }`
		: `NOT CONVERGED (${ mismatches.length } mismatches, dirty ${ rig.shop.dirtyCount() }, duplicates ${ dups })`;
	const row = formatRow( {
		n,
		name,
		requests: after.total - before.total,
		minimum,
		scale,
		child,
		result,
	} );
	process.stdout.write( `${ row }   min = ${ formula }\n` );
	if ( process.env.BENCH_VERBOSE ) {
		const routes = Object.entries( after.byRoute ).map( ( [ k, v ] ) => [
			k,
			v - ( before.byRoute[ k ] ?? 0 ),
		] );
		process.stdout.write(
			`    ${ JSON.stringify( { ...child, routes: Object.fromEntries( routes.filter( ( [ , v ] ) => v !== 0 ) ) } ) }\n`
		);
	}
}

/** A fresh emulator and model shop on one clock. */
async function startRig(): Promise< Rig > {
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
	return { clock, shop, emu, site };
}

/**
 * Stop a rig's servers.
 *
 * @param rig Servers.
 */
async function closeRig( rig: Rig ): Promise< void > {
	await rig.site.close();
	await rig.emu.close();
}

/**
 * All scenarios for one catalogue size.
 *
 * @param n Catalogue size.
 */
async function size( n: number ): Promise< void > {
	const rig = await startRig();
	const { shop } = rig;
	try {
		const shape = addCatalogue( shop, n, 'A' );
		await scenario(
			rig,
			n,
			'initial push',
			minInitial( shape ),
			`1 census + ⌈simple/100⌉ + Σ(1+⌈var/100⌉) per variable product + ⌈N/10000⌉ + 1 category read + ${ shape.categories } category creations`
		);
		const wrong = categoryMismatches( shop, rig.emu.emulator );
		process.stdout.write(
			`    catalogue: ${ shape.simple } simple, ${ shape.variableProducts } variable products (${ shape.variations } variations), ${ shape.categories } categories; products in the wrong keyCRM category: ${ wrong.length }${ wrong.length ? ` (${ wrong.slice( 0, 3 ).join( '; ' ) })` : '' }\n`
		);
		const sellable = [ ...shop.products.values() ].filter(
			( p ) => p.type !== 'variable'
		);
		if ( SCENARIOS.has( 'stock' ) ) {
			await stockScenario( rig, n, sellable );
		}
		if ( SCENARIOS.has( 'price' ) ) {
			await priceScenario( rig, n, sellable );
		}
		if ( SCENARIOS.has( 'renames' ) ) {
			await renameScenario( rig, n, sellable );
		}
	} finally {
		await closeRig( rig );
	}
}

/**
 * Stock-only changes of every sellable SKU.
 *
 * @param rig      Servers.
 * @param n        Catalogue size.
 * @param sellable Simple products and variations.
 */
async function stockScenario(
	rig: Rig,
	n: number,
	sellable: ShopProduct[]
): Promise< void > {
	sellable.forEach( ( p, i ) =>
		rig.shop.update( p.id, { stock: ( i % 7 ) + 1 }, false )
	);
	await scenario(
		rig,
		n,
		'stock only',
		minBulk( sellable.length ),
		'⌈N/10000⌉ PUT /offers/stocks'
	);
}

/**
 * Price changes of every sellable SKU.
 *
 * @param rig      Servers.
 * @param n        Catalogue size.
 * @param sellable Simple products and variations.
 */
async function priceScenario(
	rig: Rig,
	n: number,
	sellable: ShopProduct[]
): Promise< void > {
	sellable.forEach( ( p, i ) =>
		rig.shop.update( p.id, { price: 100 + ( i % 13 ) }, false )
	);
	await scenario(
		rig,
		n,
		'price changes',
		minBulk( sellable.length ),
		'⌈N/10000⌉ PUT /offers'
	);
}

/**
 * Renames of every tenth sellable SKU.
 *
 * @param rig      Servers.
 * @param n        Catalogue size.
 * @param sellable Simple products and variations.
 */
async function renameScenario(
	rig: Rig,
	n: number,
	sellable: ShopProduct[]
): Promise< void > {
	const renamed = sellable.filter( ( _, i ) => i % 10 === 3 );
	renamed.forEach( ( p ) => rig.shop.rename( p.id, `${ p.sku ?? '' }-R` ) );
	const vars = renamed.filter( ( p ) => p.type === 'variation' );
	const parents = new Set( vars.map( ( p ) => p.parentId ) ).size;
	await scenario(
		rig,
		n,
		'10% renames',
		minRenames( renamed.length - vars.length, vars.length, parents ),
		'⌈n/50⌉ lookups + ⌈simple/100⌉ + 1 per product gaining variations + ⌈2n/10000⌉'
	);
}

/** Entry point. */
async function main(): Promise< void > {
	const sizes = arg( '--sizes', '1000,10000,100000' )
		.split( ',' )
		.map( Number );
	process.stdout.write( `${ header( WORKER_NODE_ARGS, MS_PER_REQUEST ) }\n` );
	for ( const n of sizes ) {
		await size( n );
	}
	if ( process.argv.includes( '--no-live' ) ) {
		return;
	}
	const rig = await startRig();
	try {
		await liveEditScenario( rig, runChild );
	} finally {
		await closeRig( rig );
	}
}

main().catch( ( error: unknown ) => {
	process.stderr.write(
		`${ error instanceof Error ? ( error.stack ?? error.message ) : String( error ) }\n`
	);
	process.exitCode = 1;
} );
