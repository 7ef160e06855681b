/**
 * Benchmark of `keycrm-sync push` on a 10,000-line ERP export against the
 * keyCRM emulator's HTTP server (10,000 offers, 60 requests/min per key):
 * a dry run (reads only, must send nothing), then the real push, then a second
 * dry run that must find nothing left to change. Prints requests, time and the
 * ratio to the rate-limit floor (requests ÷ 60 per minute).
 *
 * Usage: npx tsx test/push/bench-push.ts [port=9462] [clock-scale=1]
 * (clock-scale F runs the emulator's and the client's clock F times faster;
 * times are reported in clock seconds, so ratios stay comparable).
 */
import { startEmulatorServer } from '../../src/emulator/server';
import { createKeyCrmClient } from '../../src/keycrm/client';
import { parseStockFile } from '../../src/push/parse-stock-file';
import { runPush, type PushSummary } from '../../src/push/run-push';
import { scaledClock } from '../../src/util/clock';

const [ portArg = '9462', scaleArg = '1' ] = process.argv.slice( 2 );
const LINES = 10_000;
const RATE = 60;

function exportFile(): string {
	const lines = [ '\uFEFFsku;quantity;price' ];
	for ( let i = 0; i < LINES - 5; i++ ) {
		const quantity = ( i % 50 ) + ( i % 10 === 0 ? 5 : 0 );
		lines.push(
			`ERP-${ i };${ quantity };${ i % 20 === 0 ? '99,50' : '100' }`
		);
	}
	for ( let j = 0; j < 5; j++ ) {
		lines.push( `NEW-${ j };1;` );
	}
	return lines.join( '\r\n' );
}

async function main(): Promise< void > {
	const clock = scaledClock( Number( scaleArg ) );
	const products = Array.from( { length: LINES }, ( _, i ) => ( {
		name: `P${ i }`,
		sku: `ERP-${ i }`,
		price: 100,
		stock: { 1: i % 50 },
	} ) );
	const server = await startEmulatorServer( {
		port: Number( portArg ),
		apiKeys: [ 'bench' ],
		ratePerMinute: RATE,
		clock,
	} );
	try {
		await fetch( `${ server.url }/__emulator/seed`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify( { products } ),
		} );
		const parsed = parseStockFile( exportFile(), 'csv' );
		if ( parsed.errors.length > 0 ) {
			throw new Error(
				`invalid file: ${ JSON.stringify( parsed.errors.slice( 0, 3 ) ) }`
			);
		}
		const client = createKeyCrmClient( {
			baseUrl: `${ server.url }/v1`,
			apiKey: 'bench',
			ratePerMinute: RATE,
			clock,
		} );
		const stats = async () =>
			( await (
				await fetch( `${ server.url }/__emulator/stats` )
			).json() ) as { total: number };
		const run = async (
			label: string,
			dryRun: boolean
		): Promise< PushSummary > => {
			const before = ( await stats() ).total;
			const started = clock.now();
			const s = await runPush( {
				client,
				rows: parsed.rows,
				warehouseId: 1,
				dryRun,
				print: () => {},
				listChanges: false,
			} );
			const seconds = ( clock.now() - started ) / 1000;
			const requests = ( await stats() ).total - before;
			const floor = ( ( requests - 1 ) * 60 ) / RATE;
			process.stdout.write(
				`${ label }: ${ s.rows } rows, stock changes ${ s.stockChanges }, price changes ${ s.priceChanges }, unknown ${ s.unknown }; ` +
					`requests ${ requests } (read ${ s.readRequests } ${ s.readStrategy }, write ${ s.writeRequests }); ` +
					`${ seconds.toFixed( 1 ) } s, floor ${ floor.toFixed( 0 ) } s, ratio ${ ( seconds / Math.max( floor, 1 ) ).toFixed( 2 ) }\n`
			);
			return s;
		};
		const dry = await run( 'dry run   ', true );
		const push = await run( 'push      ', false );
		const after = await run( 'dry again ', true );
		const ok =
			dry.writeRequests === 0 &&
			push.writeRequests === 2 &&
			after.stockChanges === 0 &&
			after.priceChanges === 0;
		process.stdout.write(
			ok
				? 'ok: dry run sent nothing; push used 2 writes; nothing left to change\n'
				: 'FAIL\n'
		);
		process.exitCode = ok ? 0 : 1;
	} finally {
		await server.close();
	}
}

main().catch( ( e: unknown ) => {
	process.stderr.write(
		`${ e instanceof Error ? ( e.stack ?? e.message ) : String( e ) }\n`
	);
	process.exitCode = 1;
} );
