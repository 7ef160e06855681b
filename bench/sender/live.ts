/**
 * Benchmark scenario "live edit during resync": 2,000 SKUs already in keyCRM,
 * 10,000 new SKUs being pushed (resync backlog) at keyCRM's real budget of 60
 * requests/min (scaled clock); meanwhile an order changes the stock of a
 * synced SKU every few seconds. Prints the latency from the shop edit until
 * the emulator holds the new stock, in keyCRM-clock seconds (p50/p95/max).
 */
import type { ChildResult, Rig } from './run';
import { addCatalogue } from './catalogue';

/** One live edit being tracked. */
interface Pending {
	sku: string;
	qty: number;
	at: number;
}

/**
 * Percentile of sorted values.
 *
 * @param sorted Sorted values.
 * @param p      Percentile 0..1.
 */
function percentile( sorted: number[], p: number ): number {
	return (
		sorted[
			Math.min( sorted.length - 1, Math.ceil( p * sorted.length ) - 1 )
		] ?? NaN
	);
}

/**
 * Run the scenario and print its line.
 *
 * @param rig      Servers.
 * @param runChild Starts the worker child.
 */
export async function liveEditScenario(
	rig: Rig,
	runChild: (
		rig: Rig,
		scale: number,
		once?: boolean
	) => { done: Promise< ChildResult >; kill: () => void }
): Promise< void > {
	addCatalogue( rig.shop, 2000, 'L' );
	await runChild( rig, 200 ).done;
	const synced = [ ...rig.shop.products.values() ].filter(
		( p ) => p.type !== 'variable'
	);
	addCatalogue( rig.shop, 10_000, 'B' );
	const scale = 15;
	const before = rig.emu.emulator.stats().total;
	const child = runChild( rig, scale, true );
	const pending = new Map< string, Pending >();
	const latencies: number[] = [];
	let finished = false;
	child.done.finally( () => ( finished = true ) ).catch( () => undefined );
	let nextEdit = rig.clock.now() + 3000;
	let i = 0;
	while ( ! finished ) {
		await new Promise( ( r ) => setTimeout( r, 2 ) );
		const now = rig.clock.now();
		checkLanded( rig, pending, latencies, now );
		if ( now >= nextEdit && rig.shop.dirtyCount() > 1500 ) {
			const p = synced[ ( i++ * 7919 ) % synced.length ];
			if ( p?.sku ) {
				const qty = 1000 + i;
				rig.shop.update( p.id, { stock: qty }, true );
				pending.set( p.sku, { sku: p.sku, qty, at: now } );
			}
			nextEdit = now + 2000 + ( ( i * 7 ) % 5 ) * 1000;
		}
	}
	const r = await child.done;
	checkLanded( rig, pending, latencies, rig.clock.now() );
	const sorted = latencies.sort( ( a, b ) => a - b );
	const s = ( v: number ) => `${ ( v / 1000 ).toFixed( 1 ) }s`;
	process.stdout.write(
		`\nlive edit during resync (2,000 synced + 10,000 new SKUs, 60 req/min, clock ×${ scale }): ` +
			`${ sorted.length } order edits, latency p50 ${ s( percentile( sorted, 0.5 ) ) }, p95 ${ s( percentile( sorted, 0.95 ) ) }, ` +
			`max ${ s( sorted[ sorted.length - 1 ] ?? NaN ) } (keyCRM clock); never landed: ${ pending.size }; ` +
			`resync ${ rig.emu.emulator.stats().total - before } requests in ${ ( r.clockMs / 1000 ).toFixed( 0 ) }s; ` +
			`target p95 ≤ 15 s: ${ percentile( sorted, 0.95 ) <= 15_000 && pending.size === 0 ? 'ok' : 'MISS' }\n`
	);
}

/**
 * Record edits that keyCRM now holds.
 *
 * @param rig       Servers.
 * @param pending   Edits in flight.
 * @param latencies Output.
 * @param now       Clock time.
 */
function checkLanded(
	rig: Rig,
	pending: Map< string, Pending >,
	latencies: number[],
	now: number
): void {
	const store = rig.emu.emulator.store;
	for ( const [ sku, p ] of pending ) {
		const offer = store.findBySku( sku )[ 0 ];
		if ( offer && store.cell( offer.id, 1 ).quantity === p.qty ) {
			latencies.push( now - p.at );
			pending.delete( sku );
		}
	}
}
