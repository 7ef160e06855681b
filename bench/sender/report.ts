/**
 * The benchmark's table: one row per scenario with requests vs the API
 * minimum, wall time vs the rate-limit floor (both in keyCRM-clock seconds),
 * the real time the machine needed per request, and the worker's memory.
 */

/** keyCRM's budget (requests per minute). */
export const RATE = 60;

/** Targets of the issue. */
export const TARGET = { requests: 1.1, wall: 1.2 };

/** A floor below this (s) says nothing about the rate limit: the wall ratio is not judged. */
export const MIN_JUDGED_FLOOR_S = 5;

/** What the worker child reports (worker-child.ts). */
export interface ChildResult {
	requests: number;
	synced: number;
	failed: number;
	/** Wall time in keyCRM-clock ms. */
	clockMs: number;
	realMs: number;
	cpuMs: number;
	/** Real ms spent sleeping (rate-limiter waits, idle polls). */
	sleepMs: number;
	/** RSS once the modules are loaded, before the worker starts. */
	startRss: number;
	peakRss: number;
	peakHeap: number;
	phase: Record< string, number >;
}

/** One measured scenario. */
export interface Row {
	n: number;
	name: string;
	requests: number;
	minimum: number;
	scale: number;
	child: ChildResult;
	/** Converged, no duplicates, nothing left dirty (or what went wrong). */
	result: string;
}

/**
 * The rate-limit floor of `requests` requests in seconds: the first goes at
 * once (keyCRM's window starts with it, the client's bucket starts full),
 * every further one waits its 1/RATE minute.
 *
 * @param requests Requests sent.
 */
export function floorSeconds( requests: number ): number {
	return ( Math.max( 0, requests - 1 ) * 60 ) / RATE;
}

const mb = ( b: number ) => `${ ( b / 1024 / 1024 ).toFixed( 0 ) }`;
const sec = ( s: number ) =>
	s >= 100 ? s.toFixed( 0 ) : s.toFixed( s >= 10 ? 1 : 2 );

/**
 * The table's header and legend.
 *
 * @param nodeArgs     Node options of the worker.
 * @param msPerRequest Real ms per keyCRM request in scenarios of many requests.
 */
export function header( nodeArgs: string, msPerRequest: number ): string {
	return [
		`keyCRM sender benchmark: the worker (a child process) against the keyCRM emulator and a model shop on loopback, keyCRM budget ${ RATE } requests/min.`,
		'Times are keyCRM-clock seconds. Scenarios of many requests run the clock ×scale (each keyCRM request then gets 1000/scale real ms; "real/req"',
		'  shows what the machine actually needed per request, so scale is chosen well above it); scenarios of a few requests run in real time (×1).',
		`floor = (requests − 1) ÷ ${ RATE }/min: the first request goes at once, each further one waits 1 s. over = wall − floor (claim, plan, ack, HTTP).`,
		`Targets: requests ≤ ${ TARGET.requests }× the API minimum; wall ≤ ${ TARGET.wall }× floor (judged when floor ≥ ${ MIN_JUDGED_FLOOR_S } s; below, wall is the time to move the rows).`,
		'RSS/heap: peak of the worker process in MB (start = RSS with node, tsx and the modules loaded, before any work; heap = V8 heap used, garbage included).',
		`Worker: node ${ nodeArgs || '(defaults)' }; ${ msPerRequest } real ms per keyCRM request (at least 10 real s per scenario).`,
		'',
		'   SKUs scenario         requests  ratio     wall    floor  wall/fl   over scale real/req  RSS start heap  targets  result',
	].join( '\n' );
}

/**
 * Verdict of a ratio against a target.
 *
 * @param ratio  Measured.
 * @param target Target.
 */
const verdict = ( ratio: number, target: number ) =>
	ratio <= target ? 'ok' : 'MISS';

/**
 * One table row.
 *
 * @param r Measured scenario.
 */
export function formatRow( r: Row ): string {
	const c = r.child;
	const wall = c.clockMs / 1000;
	const floor = floorSeconds( r.requests );
	const reqRatio = r.requests / r.minimum;
	const judged = floor >= MIN_JUDGED_FLOOR_S;
	const wallRatio = floor > 0 ? wall / floor : NaN;
	const realPerReq = ( c.realMs - c.sleepMs ) / Math.max( 1, r.requests );
	const cells = [
		String( r.n ).padStart( 7 ),
		r.name.padEnd( 14 ),
		`${ r.requests }/${ r.minimum }`.padStart( 11 ),
		`${ reqRatio.toFixed( 3 ) }`.padStart( 6 ),
		sec( wall ).padStart( 8 ),
		sec( floor ).padStart( 8 ),
		( Number.isNaN( wallRatio ) ? '—' : wallRatio.toFixed( 2 ) ).padStart(
			8
		),
		sec( wall - floor ).padStart( 6 ),
		`×${ r.scale.toFixed( r.scale < 10 ? 1 : 0 ) }`.padStart( 5 ),
		`${ realPerReq.toFixed( 0 ) }/${ ( 1000 / r.scale ).toFixed( 0 ) }ms`.padStart(
			9
		),
		mb( c.peakRss ).padStart( 4 ),
		mb( c.startRss ).padStart( 5 ),
		mb( c.peakHeap ).padStart( 4 ),
		`${ verdict( reqRatio, TARGET.requests ) }/${ judged ? verdict( wallRatio, TARGET.wall ) : 'n/a' }`.padStart(
			8
		),
		` ${ r.result }`,
	];
	return cells.join( ' ' );
}
