/**
 * Benchmark (not a test): how close the keyCRM client's request pacing gets
 * to the rate-limit floor over real HTTP against the emulator server, with
 * client and emulator on one scaled clock.
 *
 * Run: node --import tsx test/keycrm/rate-floor.bench.ts [clockScale=10] [requests=120] [ratePerMinute=60]
 * Prints requests, elapsed clock time, the floor ((n-1) × 60000 / rate), their
 * ratio, and the 429s keyCRM (the emulator) answered.
 */
import { createKeyCrmClient } from '../../src/keycrm/client';
import { startEmulatorServer } from '../../src/emulator/server';
import { scaledClock } from '../../src/util/clock';

const [ scale = 10, count = 120, rate = 60 ] = process.argv
	.slice( 2 )
	.map( Number );
const PORT = 9410;

const clock = scaledClock( scale );
const server = await startEmulatorServer( {
	port: PORT,
	clock,
	apiKeys: [ 'bench' ],
	ratePerMinute: rate,
} );
try {
	const client = createKeyCrmClient( {
		baseUrl: `${ server.url }/v1`,
		apiKey: 'bench',
		clock,
		ratePerMinute: rate,
	} );
	const start = clock.now();
	const realStart = performance.now();
	for ( let i = 0; i < count; i++ ) {
		await client.listStocks( { limit: 50 } );
	}
	const elapsed = clock.now() - start;
	const floor = ( ( count - 1 ) * 60_000 ) / rate;
	const limited = server.emulator.stats().byStatus[ 429 ] ?? 0;
	process.stdout.write(
		`clock_scale=${ scale } requests=${ count } rate_per_min=${ rate } elapsed_ms=${ Math.round( elapsed ) } ` +
			`floor_ms=${ floor } ratio=${ ( elapsed / floor ).toFixed( 3 ) } keycrm_429=${ limited } ` +
			`real_ms=${ Math.round( performance.now() - realStart ) }\n`
	);
} finally {
	await server.close();
}
