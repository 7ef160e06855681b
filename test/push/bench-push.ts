/**
 * Benchmark of `keycrm-sync push` on a large 1C/BAS report: a Windows-1251
 * CSV with title rows, `1 234,50` prices and two per-warehouse columns
 * (default 100,000 rows), pushed with `--create` against the keyCRM emulator
 * (a child process, 60 requests/min per key) whose account already holds 95 %
 * of the SKUs. Reports:
 *
 * - reading: time and the heap the rows take, for the full file and for a
 *   tenth of it (the file is streamed: memory grows with the rows kept, a
 *   compact record each, never with the file's text);
 * - the push: requests (read + write) against the floor
 *   ⌈new/100⌉ + ⌈changed/10,000⌉ + one stock request per warehouse, its time
 *   in clock seconds against the rate-limit floor (requests ÷ 60 a minute),
 *   wall time, and peak heap / RSS sampled every 20 ms.
 *
 * Usage: npm run bench:push -- [rows=100000] [clock-scale=50] [port=9501]
 * (clock-scale F runs the emulator's and the client's clocks F times faster;
 * times are reported in clock seconds, so ratios stay comparable.)
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { createKeyCrmClient } from '../../src/keycrm/client';
import { pushFiles } from '../../src/push/push-files';
import { readExport } from '../../src/push/read-export';
import { scaledClock } from '../../src/util/clock';
import { makeItems, oneCReport, type FixtureItem } from './erp-fixtures';

const [ rowsArg = '100000', scaleArg = '50', portArg = '9501' ] =
	process.argv.slice( 2 );
const ROWS = Number( rowsArg );
const SCALE = Number( scaleArg );
const RATE = 60;
const WAREHOUSES = [
	{ source: 'Склад Київ', id: 1 },
	{ source: 'Склад Львів', id: 2 },
];
const MB = 1024 * 1024;

const gc = () => ( globalThis as { gc?: () => void } ).gc?.();

/**
 * Samples heap and RSS while `fn` runs.
 *
 * @param fn The work.
 */
async function measured< T >( fn: () => Promise< T > ): Promise< {
	value: T;
	ms: number;
	heapPeak: number;
	rssPeak: number;
	heapBase: number;
	/** Heap still used after a GC while the result is held. */
	retained: number;
} > {
	gc();
	const heapBase = process.memoryUsage().heapUsed;
	let heapPeak = heapBase;
	let rssPeak = process.memoryUsage().rss;
	// eslint-disable-next-line @wordpress/no-unused-vars-before-return -- sampling runs while fn does.
	const timer = setInterval( () => {
		const m = process.memoryUsage();
		heapPeak = Math.max( heapPeak, m.heapUsed );
		rssPeak = Math.max( rssPeak, m.rss );
	}, 20 );
	const started = performance.now();
	try {
		const value = await fn();
		const ms = performance.now() - started;
		heapPeak = Math.max( heapPeak, process.memoryUsage().heapUsed );
		gc();
		const retained = process.memoryUsage().heapUsed - heapBase;
		return { value, ms, heapPeak, rssPeak, heapBase, retained };
	} finally {
		clearInterval( timer );
	}
}

/**
 * keyCRM already holds 95 %: every 20th with an old price, every 7th with old stock.
 *
 * @param items The export's items.
 */
function seed( items: readonly FixtureItem[] ) {
	const known = items.slice( 0, Math.floor( items.length * 0.95 ) );
	const fresh = items.slice( known.length );
	return {
		known: known.length,
		changedPrices: known.filter( ( _, i ) => i % 20 === 0 ).length,
		stockRows: [
			known.filter( ( it, i ) => i % 7 === 0 && it.kyiv !== 999 ).length +
				fresh.filter( ( it ) => it.kyiv !== 0 ).length,
			fresh.filter( ( it ) => it.lviv !== 0 ).length,
		],
		data: {
			products: known.map( ( it, i ) => ( {
				name: it.name,
				sku: it.sku,
				barcode: it.barcode,
				price: i % 20 === 0 ? 1 : it.price,
				stock: { 1: i % 7 === 0 ? 999 : it.kyiv, 2: it.lviv },
			} ) ),
		},
	};
}

async function startEmulator( dir: string, seedFile: string ) {
	const child = spawn(
		process.execPath,
		[
			'--import',
			'tsx',
			resolve( 'src/cli.ts' ),
			'emulator',
			'--port',
			portArg,
			'--api-key',
			'bench',
			'--warehouse',
			'1',
			'--warehouse',
			'2',
			'--rate-per-minute',
			String( RATE ),
			'--clock-scale',
			String( SCALE ),
			'--seed-file',
			seedFile,
		],
		{ cwd: process.cwd(), stdio: [ 'ignore', 'pipe', 'inherit' ] }
	);
	const url = `http://127.0.0.1:${ portArg }`;
	for ( let i = 0; i < 600; i++ ) {
		try {
			await fetch( `${ url }/__emulator/stats` );
			return { child, url };
		} catch {
			await sleep( 100 );
		}
	}
	child.kill();
	throw new Error( `emulator did not start (${ dir })` );
}

async function main(): Promise< void > {
	const dir = await mkdtemp( join( tmpdir(), 'kcs-bench-push-' ) );
	let emulator: Awaited< ReturnType< typeof startEmulator > > | null = null;
	try {
		const file = join( dir, 'report.csv' );
		const small = join( dir, 'small.csv' );
		const seedFile = join( dir, 'seed.json' );
		let s: ReturnType< typeof seed >;
		{
			const items = makeItems( ROWS );
			await writeFile( file, oneCReport( items ) );
			await writeFile( small, oneCReport( items.slice( 0, ROWS / 10 ) ) );
			s = seed( items );
			await writeFile( seedFile, JSON.stringify( s.data ) );
		}
		const bytes = ( await stat( file ) ).size;
		const created = ROWS - s.known;
		process.stdout.write(
			`file: ${ ROWS } rows, ${ ( bytes / MB ).toFixed( 1 ) } MB (Windows-1251, 2 warehouses); keyCRM holds ${ s.known } of the SKUs\n`
		);
		for ( const [ label, path, rows ] of [
			[ 'read 1/10', small, ROWS / 10 ],
			[ 'read full', file, ROWS ],
		] as const ) {
			const r = await measured( () =>
				readExport( [ path ], { warehouses: WAREHOUSES } )
			);
			if ( r.value.errors.length > 0 || r.value.rows.length !== rows ) {
				throw new Error(
					`${ label }: ${ JSON.stringify( r.value.errors.slice( 0, 3 ) ) }`
				);
			}
			const held = r.heapPeak - r.heapBase;
			process.stdout.write(
				`${ label }: ${ rows } rows in ${ ( r.ms / 1000 ).toFixed( 2 ) } s; heap peak +${ ( held / MB ).toFixed( 1 ) } MB, rows held after GC ${ ( r.retained / MB ).toFixed( 1 ) } MB (${ Math.round( r.retained / rows ) } B/row)\n`
			);
		}
		emulator = await startEmulator( dir, seedFile );
		const clock = scaledClock( SCALE );
		const client = createKeyCrmClient( {
			baseUrl: `${ emulator.url }/v1`,
			apiKey: 'bench',
			ratePerMinute: RATE,
			clock,
		} );
		const startedClock = clock.now();
		const out: string[] = [];
		const r = await measured( () =>
			pushFiles( [ file ], {
				warehouses: WAREHOUSES,
				create: true,
				dryRun: false,
				skipInvalid: false,
				listChanges: false,
				client,
				out: ( l ) => out.push( l ),
				err: ( l ) => out.push( l ),
				now: () => clock.now(),
			} )
		);
		const seconds = ( clock.now() - startedClock ) / 1000;
		const stats = ( await (
			await fetch( `${ emulator.url }/__emulator/stats` )
		).json() ) as {
			total: number;
			byRoute: Record< string, number >;
			rateLimited: number;
		};
		const summary = r.value.summary;
		if ( r.value.code !== 0 || ! summary ) {
			throw new Error(
				`push failed (${ r.value.code }): ${ out.slice( -5 ).join( '\n' ) }`
			);
		}
		const floorWrites =
			Math.ceil( created / 100 ) +
			Math.ceil( s.changedPrices / 10_000 ) +
			s.stockRows.reduce(
				( n, rows ) => n + Math.ceil( rows / 10_000 ),
				0
			);
		const requests = stats.total;
		const floorSeconds = ( ( requests - 1 ) * 60 ) / RATE;
		process.stdout.write(
			`push: created ${ summary.created }, prices ${ summary.priceChanges }, stock of ${ summary.stockChanges } existing SKUs; ` +
				`requests ${ requests } = read ${ summary.readRequests } + write ${ summary.writeRequests } (write floor ${ floorWrites }); 429s ${ stats.rateLimited }\n` +
				`push: ${ seconds.toFixed( 0 ) } clock s, rate-limit floor ${ floorSeconds.toFixed( 0 ) } s, ratio ${ ( seconds / Math.max( floorSeconds, 1 ) ).toFixed( 2 ) }; ` +
				`wall ${ ( r.ms / 1000 ).toFixed( 1 ) } s (clock ×${ SCALE }); heap peak +${ ( ( r.heapPeak - r.heapBase ) / MB ).toFixed( 1 ) } MB, RSS peak ${ ( r.rssPeak / MB ).toFixed( 0 ) } MB\n`
		);
		const ok =
			summary.writeRequests === floorWrites &&
			summary.created === created;
		process.stdout.write( ok ? 'ok: writes at the floor\n' : 'FAIL\n' );
		process.exitCode = ok ? 0 : 1;
	} finally {
		emulator?.child.kill();
		await rm( dir, { recursive: true, force: true } );
	}
}

main().catch( ( e: unknown ) => {
	process.stderr.write(
		`${ e instanceof Error ? ( e.stack ?? e.message ) : String( e ) }\n`
	);
	process.exitCode = 1;
} );
