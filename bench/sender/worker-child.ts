/**
 * Benchmark worker process: runs one `Worker --once` against the shop and
 * emulator servers of the parent (bench/sender/run.ts) on a scaled clock, and
 * prints one JSON line: requests, synced, wall time (clock ms) and its own
 * peak RSS, so the sender's memory is measured apart from the models.
 * Input: the BENCH_CHILD environment variable (JSON).
 */
import { createKeyCrmClient } from '../../src/keycrm/client';
import { memoryLogger } from '../../src/sender/logger';
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
const phase = { claimMs: 0, ackMs: 0, keycrmMs: 0, sleepMs: 0, claims: 0 };
const clock = {
	now: base.now,
	sleep: async ( ms: number, signal?: AbortSignal ) => {
		const t = performance.now();
		try {
			await base.sleep( ms, signal );
		} finally {
			phase.sleepMs += performance.now() - t;
		}
	},
};
const plugin = new PluginClient( {
	siteUrl: input.site,
	user: input.user,
	appPassword: input.appPassword,
} );
const timed = async < T >( key: 'claimMs' | 'ackMs', p: Promise< T > ) => {
	const t = performance.now();
	try {
		return await p;
	} finally {
		phase[ key ] += performance.now() - t;
	}
};
const fetchTimed: typeof fetch = async ( a, b ) => {
	const t = performance.now();
	try {
		return await fetch( a, b );
	} finally {
		phase.keycrmMs += performance.now() - t;
	}
};
let peakRss = process.memoryUsage().rss;
let peakHeap = 0;
const sampler = setInterval( () => {
	const m = process.memoryUsage();
	peakRss = Math.max( peakRss, m.rss );
	peakHeap = Math.max( peakHeap, m.heapUsed );
}, 20 );

const worker = new Worker( {
	plugin: {
		claim: ( r ) => timed( 'claimMs', plugin.claim( r ) ),
		ack: ( r ) => timed( 'ackMs', plugin.ack( r ) ),
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
	logger: memoryLogger(),
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
				peakRss,
				peakHeap,
				phase,
				mem: process.memoryUsage(),
			} ) }\n`
		);
	} )
	.catch( ( error: unknown ) => {
		process.stderr.write( `${ String( error ) }\n` );
		process.exitCode = 1;
	} );
