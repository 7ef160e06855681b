/**
 * Benchmark worker process: runs one `Worker --once` against the shop and
 * emulator servers of the parent (bench/sender/run.ts) on a scaled clock, and
 * prints one JSON line: requests, synced, wall time (clock ms), where the
 * real time went (claims, acks, keyCRM HTTP, sleeping) and its own peak RSS
 * and heap, so the sender's memory is measured apart from the models.
 * Input: the BENCH_CHILD environment variable (JSON).
 */
import { createKeyCrmClient } from '../../src/keycrm/client';
import type { Logger } from '../../src/sender/logger';
import { Worker } from '../../src/sender/worker';
import { scaledClock } from '../../src/util/clock';
import { PluginClient } from '../../src/wordpress/plugin-client';

interface ChildInput {
	site: string;
	keycrm: string;
	user: string;
	appPassword: string;
	scale: number;
	batch: number;
	once: boolean;
}

const input = JSON.parse( process.env.BENCH_CHILD ?? '{}' ) as ChildInput;
const base = scaledClock( input.scale );
/** Real ms spent in plugin claims, acks, keyCRM HTTP (until the headers) and sleeping. */
const phase = { claimMs: 0, ackMs: 0, keycrmMs: 0, sleepMs: 0 };
const clock = {
	now: base.now,
	sleep: ( ms: number, signal?: AbortSignal ) =>
		timed( 'sleepMs', () => base.sleep( ms, signal ) ),
};
const plugin = new PluginClient( {
	siteUrl: input.site,
	user: input.user,
	appPassword: input.appPassword,
} );
/**
 * Add the real time `run` takes to `phase[ key ]`.
 *
 * @param key Phase.
 * @param run Work.
 */
function timed< T >( key: keyof typeof phase, run: () => Promise< T > ) {
	const t = performance.now();
	return run().finally( () => ( phase[ key ] += performance.now() - t ) );
}
const fetchTimed: typeof fetch = ( a, b ) =>
	timed( 'keycrmMs', () => fetch( a, b ) );
/** Log lines per level (the CLI writes them out; keeping them would grow with the catalogue). */
const logged: Record< string, number > = {};
const logger: Logger = {
	log: ( level ) => {
		logged[ level ] = ( logged[ level ] ?? 0 ) + 1;
	},
};
const startRss = process.memoryUsage().rss;
let peakRss = startRss;
let peakHeap = 0;
/** With BENCH_NODE_ARGS=--expose-gc: the largest heap left after a full GC (sampled every 250 ms). */
let peakLive = 0;
const gc = ( globalThis as { gc?: () => void } ).gc;
let sampled = 0;
const sampler = setInterval( () => {
	if ( gc && ++sampled % 12 === 0 ) {
		gc();
		peakLive = Math.max( peakLive, process.memoryUsage().heapUsed );
	}
	const m = process.memoryUsage();
	peakRss = Math.max( peakRss, m.rss );
	peakHeap = Math.max( peakHeap, m.heapUsed );
}, 20 );

const worker = new Worker( {
	plugin: {
		claim: ( r ) => timed( 'claimMs', () => plugin.claim( r ) ),
		ack: ( r ) => timed( 'ackMs', () => plugin.ack( r ) ),
	},
	makeClient: ( apiKey, ratePerMinute, signal ) =>
		createKeyCrmClient( {
			baseUrl: input.keycrm,
			apiKey,
			ratePerMinute,
			clock,
			signal,
			timeoutMs: 120_000,
			fetch: fetchTimed,
		} ),
	clock,
	logger,
	batch: input.batch,
	// The clock runs up to ~100× faster than real time here: keep leases beyond any stall of this loaded machine.
	leaseSeconds: 3600,
	once: input.once,
	pollMinMs: 200,
	pollMaxMs: 1000,
} );

const controller = new AbortController();
process.on( 'SIGTERM', () => controller.abort() );
const start = clock.now();
const realStart = Date.now();
worker
	.run( controller.signal )
	.then( () => {
		clearInterval( sampler );
		peakRss = Math.max( peakRss, process.memoryUsage().rss );
		process.stdout.write(
			`${ JSON.stringify( {
				requests: worker.metrics.requests,
				synced: worker.metrics.synced,
				failed: worker.metrics.failed,
				retried: worker.metrics.retried,
				clockMs: clock.now() - start,
				realMs: Date.now() - realStart,
				cpuMs: Math.round(
					( process.cpuUsage().user + process.cpuUsage().system ) /
						1000
				),
				sleepMs: phase.sleepMs,
				logged,
				startRss,
				peakRss,
				peakHeap,
				peakLive,
				phase: Object.fromEntries(
					Object.entries( phase ).map( ( [ k, v ] ) => [
						k,
						Math.round( v ),
					] )
				),
			} ) }\n`
		);
	} )
	.catch( ( error: unknown ) => {
		process.stderr.write( `${ String( error ) }\n` );
		process.exitCode = 1;
	} );
