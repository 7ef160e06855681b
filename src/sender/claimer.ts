/**
 * The claim side of the worker loop: asks the plugin for more SKUs, carries
 * the heartbeat, adopts the settings that come with every claim and keeps
 * one keyCRM client per key and budget.
 *
 * How much to claim: the hand holds at most about a minute of non-bulk
 * calls (creations, lookups, product updates), never more than a third of a lease
 * can cover, so every SKU is sent and acked long before its lease ends. A
 * claim grows by slow start and is cut to what the queue has room for at
 * the calls per SKU measured so far (a backlog of variable products needs
 * ~40× the calls of simple ones). While the queue is full the worker asks
 * for live changes only (an order's stock change goes ahead of the resync
 * backlog); past twice that it skips claiming until the queue drains.
 *
 * A claim that times out (or ends in a 5xx: PHP's `max_execution_time` on a slow host) is asked
 * again at half its size, and the smaller size holds: it grows back by a tenth per claim that
 * arrives, up to four fifths of the smallest size that failed, so a shop that cannot build
 * 2,000 items in one request settles below what it can.
 */
import type {
	ClaimResponse,
	ClaimedItem,
	SenderSettings,
} from '../contract/plugin-rest.js';
import type { KeyCrmClient } from '../keycrm/client.js';
import { heartbeat, workerId } from './heartbeat.js';
import type { WorkerMetrics } from './metrics.js';
import {
	errorMessage,
	WorkerFatalError,
	type WorkerOptions,
} from './worker-options.js';

/** What the rest of the worker reads from the latest claim. */
export interface ClaimView {
	/** Settings of the latest claim (null before the first). */
	readonly settings: SenderSettings | null;
	/** The keyCRM client for the current key and budget (null before the first claim). */
	readonly client: KeyCrmClient | null;
	/** Dirty rows the plugin still holds. */
	readonly backlog: number;
	/** The latest claim got fewer SKUs than asked for (or failed). */
	readonly lastClaimShort: boolean;
}

/** Where claimed SKUs go. */
export interface ClaimTarget {
	/** SKUs in hand. */
	size: () => number;
	/** Non-bulk calls left after the latest slice. */
	queuedCalls: () => number;
	/** Non-bulk calls a claimed SKU has needed lately (null before a measurement). */
	callsPerSku: () => number | null;
	/** Clock ms a keyCRM call has taken lately (null before any). */
	msPerCall: () => number | null;
	/** Take claimed SKUs into hand. */
	take: (
		items: readonly ClaimedItem[],
		token: string,
		leaseMs: number
	) => void;
}

/** See the module docblock. */
export class Claimer implements ClaimView {
	settings: SenderSettings | null = null;
	backlog = 0;
	lastClaimShort = true;
	private keyed: { key: string; rate: number; client: KeyCrmClient } | null =
		null;
	private claimLimit = 250;
	/** Most SKUs per claim since a claim timed out (Infinity: no cap). */
	private claimCap = Infinity;
	/** Smallest claim size that timed out (Infinity: none). */
	private failedSize = Infinity;

	constructor(
		private readonly o: WorkerOptions,
		private readonly metrics: WorkerMetrics,
		private readonly signal: AbortSignal
	) {}

	get client(): KeyCrmClient | null {
		return this.keyed?.client ?? null;
	}

	/**
	 * Claim more SKUs into `hand`; returns how many arrived.
	 *
	 * @param hand Where they go.
	 */
	async claim( hand: ClaimTarget ): Promise< number > {
		const next = this.nextClaim( hand );
		if ( next === null ) {
			return 0;
		}
		const liveOnly = next.liveOnly;
		const limit = Math.max( 1, Math.min( next.limit, this.claimCap ) );
		const leaseSeconds = this.o.leaseSeconds ?? 300;
		let res: ClaimResponse;
		try {
			res = await this.o.plugin.claim( {
				limit,
				lease_seconds: leaseSeconds,
				...( liveOnly ? { live_only: true } : {} ),
				worker_id: workerId( this.o ),
				heartbeat: heartbeat( this.o, this.metrics, {
					backlog: this.backlog,
					inHand: hand.size(),
					ratePerMinute: this.settings?.rate_per_minute ?? 60,
				} ),
			} );
		} catch ( error ) {
			if ( tooSlow( error ) ) {
				this.failedSize = Math.min( this.failedSize, limit );
				this.claimCap = Math.max( 1, Math.floor( limit / 2 ) );
				this.claimLimit = Math.min( this.claimLimit, this.claimCap );
			}
			return this.claimFailed( error );
		}
		if ( limit >= this.claimCap ) {
			this.claimCap = Math.max(
				this.claimCap,
				Math.min(
					Math.ceil( this.claimCap * 1.1 ),
					Math.floor( this.failedSize * 0.8 )
				)
			);
		}
		this.metrics.claims++;
		this.adoptSettings( res.settings );
		hand.take( res.items, res.lease_token ?? '', leaseSeconds * 1000 );
		this.backlog = res.backlog;
		// A short live-only claim says nothing about the backlog.
		this.lastClaimShort =
			res.backlog === 0 || ( ! liveOnly && res.items.length < limit );
		return res.items.length;
	}

	/**
	 * Non-bulk calls the hand may hold: a minute of requests at the budget, at most what a third of
	 * a lease covers at the pace calls really go (429s, a slow keyCRM), at least two slices.
	 *
	 * @param hand SKUs in hand.
	 */
	queueTarget( hand: ClaimTarget ): number {
		const rate = this.settings?.rate_per_minute ?? 60;
		const lease = ( this.o.leaseSeconds ?? 300 ) * 1000;
		const perCall = Math.max( hand.msPerCall() ?? 0, 60_000 / rate );
		return Math.max(
			2 * ( this.o.sliceCalls ?? 4 ),
			Math.min( rate, Math.floor( lease / 3 / perCall ) )
		);
	}

	/**
	 * The next claim's size (see the module docblock), or null to skip claiming.
	 *
	 * @param hand SKUs in hand.
	 */
	private nextClaim(
		hand: ClaimTarget
	): { limit: number; liveOnly: boolean } | null {
		const room = ( this.o.maxInHand ?? 12_000 ) - hand.size();
		const queued = hand.queuedCalls();
		const target = this.queueTarget( hand );
		if ( queued >= 2 * target ) {
			return null;
		}
		if ( queued >= target || room < 50 ) {
			return { limit: 50, liveOnly: true };
		}
		const perSku = hand.callsPerSku();
		if ( perSku === null ) {
			// Nothing measured yet: a probe (50 variations need ~20 calls).
			return {
				limit: Math.min( 50, Math.max( 1, room ) ),
				liveOnly: false,
			};
		}
		this.claimLimit = Math.min(
			this.o.batch ?? 2000,
			Math.max( 500, this.claimLimit * 2 )
		);
		const byCalls =
			perSku > 0 ? Math.floor( ( target - queued ) / perSku ) : Infinity;
		return {
			limit: Math.max( 50, Math.min( this.claimLimit, byCalls, room ) ),
			liveOnly: false,
		};
	}

	/** Most SKUs per claim now (Infinity until a claim timed out). */
	get claimSizeCap(): number {
		return this.claimCap;
	}

	private claimFailed( error: unknown ): number {
		const message = errorMessage( error );
		const name = error instanceof Error ? error.name : '';
		if (
			name === 'PluginAuthError' ||
			name === 'PluginMissingError' ||
			( this.o.once && this.metrics.claims === 0 )
		) {
			throw new WorkerFatalError( message );
		}
		this.metrics.error( message );
		this.o.logger.log( 'warn', 'claim failed', { error: message } );
		this.lastClaimShort = true;
		return 0;
	}

	private adoptSettings( settings: SenderSettings ): void {
		// Keep the same object while nothing changed: the desired records of the SKUs in hand hold per settings object.
		if (
			this.settings === null ||
			JSON.stringify( this.settings ) !== JSON.stringify( settings )
		) {
			this.settings = settings;
		}
		const key = this.o.apiKey ?? settings.api_key;
		if ( key === '' ) {
			throw new WorkerFatalError(
				'No keyCRM API key: set it in the plugin settings or pass --api-key / KEYCRM_API_KEY.'
			);
		}
		if (
			! this.keyed ||
			this.keyed.key !== key ||
			this.keyed.rate !== settings.rate_per_minute
		) {
			this.keyed = {
				key,
				rate: settings.rate_per_minute,
				client: this.o.makeClient(
					key,
					settings.rate_per_minute,
					this.signal
				),
			};
		}
	}
}

/**
 * Whether a failed claim may have been too big for the site: a timeout, or a 5xx (a PHP
 * timeout or memory limit answers 500; a proxy that gave up, 502/504).
 *
 * @param error What the claim threw.
 */
function tooSlow( error: unknown ): boolean {
	if ( ! ( error instanceof Error ) ) {
		return false;
	}
	const status = ( error as { status?: unknown } ).status;
	if ( typeof status === 'number' ) {
		return status >= 500;
	}
	return (
		error.name === 'PluginUnreachableError' &&
		error.cause instanceof Error &&
		error.cause.name === 'TimeoutError'
	);
}
