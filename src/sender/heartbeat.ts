/**
 * What the worker tells about itself: the heartbeat sent with every claim,
 * the ETA derived from the rate budget, and the progress line for a terminal.
 */
import type { Heartbeat } from '../contract/plugin-rest.js';
import type { WorkerMetrics } from './metrics.js';
import type { WorkerOptions } from './worker-options.js';

/** The numbers an ETA is computed from. */
export interface WorkLeft {
	/** Dirty rows the plugin still holds. */
	backlog: number;
	/** SKUs the worker holds. */
	inHand: number;
	/** Request budget per minute (settings). */
	ratePerMinute: number;
}

/**
 * Seconds until the work left is done at the measured requests per SKU, or null before any
 * measurement.
 *
 * @param left    Work left.
 * @param metrics Worker counters.
 */
export function etaSeconds(
	left: WorkLeft,
	metrics: WorkerMetrics
): number | null {
	const items = left.backlog + left.inHand;
	if ( items === 0 ) {
		return 0;
	}
	const perItem = metrics.requestsPerSynced();
	return perItem === null
		? null
		: Math.round( ( items * perItem * 60 ) / left.ratePerMinute );
}

/**
 * The worker's id (defaults to one per process).
 *
 * @param o Worker options.
 */
export function workerId( o: Pick< WorkerOptions, 'workerId' > ): string {
	return o.workerId ?? `keycrm-sync-${ process.pid }`;
}

/**
 * The heartbeat sent with a claim.
 *
 * @param o       Worker options.
 * @param metrics Worker counters.
 * @param left    Work left.
 */
export function heartbeat(
	o: Pick< WorkerOptions, 'workerId' | 'version' >,
	metrics: WorkerMetrics,
	left: WorkLeft
): Heartbeat {
	return {
		worker_id: workerId( o ),
		version: o.version ?? '0.1.0',
		...metrics.heartbeat( etaSeconds( left, metrics ) ),
	};
}

/**
 * The terminal progress line.
 *
 * @param metrics Worker counters.
 * @param left    Work left.
 */
export function progressLine( metrics: WorkerMetrics, left: WorkLeft ): string {
	const eta = etaSeconds( left, metrics );
	const m = metrics.heartbeat( eta );
	const etaText =
		eta === null
			? '?'
			: `${ Math.floor( eta / 60 ) }m${ String( eta % 60 ).padStart( 2, '0' ) }s`;
	return `synced ${ metrics.synced } · in hand ${ left.inHand } · backlog ${ left.backlog } · ${ m.requests_last_minute } req/min · ETA ${ etaText }`;
}
