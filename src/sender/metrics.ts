/**
 * Worker counters and the heartbeat sent with every claim: last keyCRM
 * success and error, requests and synced SKUs in the last minute (clock time).
 */
import type { Heartbeat } from '../contract/plugin-rest.js';
import type { Clock } from '../util/clock.js';
import { cutChars } from '../util/text.js';

/** Events within a sliding minute, counted per second (bounded however many events come). */
class MinuteWindow {
	private events: Array< { at: number; n: number } > = [];

	constructor( private readonly clock: Clock ) {}

	add( n: number ): void {
		if ( n <= 0 ) {
			return;
		}
		const at = this.clock.now();
		const last = this.events[ this.events.length - 1 ];
		if ( last && at - last.at < 1000 ) {
			last.n += n;
		} else {
			this.events.push( { at, n } );
		}
	}

	total(): number {
		const since = this.clock.now() - 60_000;
		this.events = this.events.filter( ( e ) => e.at > since );
		return this.events.reduce( ( s, e ) => s + e.n, 0 );
	}
}

/** Counters of one worker. */
export class WorkerMetrics {
	claims = 0;
	requests = 0;
	synced = 0;
	failed = 0;
	retried = 0;
	private lastSuccessAt: number | null = null;
	private lastError: string | null = null;
	private lastErrorAt: number | null = null;
	private readonly requestWindow: MinuteWindow;
	private readonly syncedWindow: MinuteWindow;
	private batch = { synced: 0, failed: 0, retried: 0, requests: 0 };

	constructor( private readonly clock: Clock ) {
		this.requestWindow = new MinuteWindow( clock );
		this.syncedWindow = new MinuteWindow( clock );
	}

	/**
	 * Count keyCRM requests.
	 *
	 * @param n Requests.
	 */
	request( n: number ): void {
		this.requests += n;
		this.batch.requests += n;
		this.requestWindow.add( n );
	}

	/** A keyCRM call succeeded. */
	success(): void {
		this.lastSuccessAt = this.clock.now();
	}

	/**
	 * Remember the last error (shown in the admin UI through the heartbeat).
	 *
	 * @param message Error message (never contains secrets).
	 */
	error( message: string ): void {
		this.lastError = cutChars( message, 1000 );
		this.lastErrorAt = this.clock.now();
	}

	/**
	 * Count one SKU outcome.
	 *
	 * @param outcome Outcome.
	 */
	outcome( outcome: 'synced' | 'failed' | 'retry' ): void {
		if ( outcome === 'synced' ) {
			this.synced++;
			this.batch.synced++;
			this.syncedWindow.add( 1 );
		} else if ( outcome === 'failed' ) {
			this.failed++;
			this.batch.failed++;
		} else {
			this.retried++;
			this.batch.retried++;
		}
	}

	/** Counts since the previous call (one log line per batch). */
	batchCounts(): {
		synced: number;
		failed: number;
		retried: number;
		requests: number;
	} {
		const b = this.batch;
		this.batch = { synced: 0, failed: 0, retried: 0, requests: 0 };
		return b;
	}

	/** keyCRM requests per synced SKU so far (null before any). */
	requestsPerSynced(): number | null {
		return this.synced === 0 ? null : this.requests / this.synced;
	}

	/**
	 * Heartbeat fields.
	 *
	 * @param eta ETA in seconds (null unknown).
	 */
	heartbeat( eta: number | null ): Omit<
		Heartbeat,
		'worker_id' | 'version'
	> & {
		requests_last_minute: number;
	} {
		const iso = ( t: number | null ) =>
			t === null ? null : new Date( t ).toISOString();
		return {
			last_success_at: iso( this.lastSuccessAt ),
			last_error: this.lastError,
			last_error_at: iso( this.lastErrorAt ),
			requests_last_minute: this.requestWindow.total(),
			synced_last_minute: this.syncedWindow.total(),
			eta_seconds: eta,
		};
	}
}
