/**
 * The claim side of the worker loop: asks the plugin for more SKUs (a claim
 * that grows by slow start, and shrinks to live changes only while enough
 * creations are queued), carries the heartbeat, adopts the settings that
 * come with every claim and keeps one keyCRM client per key and budget.
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
	/** Non-bulk calls in the latest plan. */
	queuedCalls: () => number;
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
		const limit = this.nextLimit( hand );
		const leaseSeconds = this.o.leaseSeconds ?? 300;
		let res: ClaimResponse;
		try {
			res = await this.o.plugin.claim( {
				limit,
				lease_seconds: leaseSeconds,
				worker_id: workerId( this.o ),
				heartbeat: heartbeat( this.o, this.metrics, {
					backlog: this.backlog,
					inHand: hand.size(),
					ratePerMinute: this.settings?.rate_per_minute ?? 60,
				} ),
			} );
		} catch ( error ) {
			return this.claimFailed( error );
		}
		this.metrics.claims++;
		this.adoptSettings( res.settings );
		hand.take( res.items, res.lease_token ?? '', leaseSeconds * 1000 );
		this.backlog = res.backlog;
		this.lastClaimShort = res.items.length < limit || res.backlog === 0;
		return res.items.length;
	}

	/**
	 * Enough creations queued for a few slices: only look for live changes. Otherwise grow the
	 * claim (slow start), so a first claim never holds more than its lease can cover.
	 *
	 * @param hand SKUs in hand.
	 */
	private nextLimit( hand: ClaimTarget ): number {
		const room = ( this.o.maxInHand ?? 12_000 ) - hand.size();
		const busy = hand.queuedCalls() > 2 * ( this.o.sliceCalls ?? 4 );
		this.claimLimit = busy
			? 50
			: Math.min(
					this.o.batch ?? 2000,
					Math.max( 500, this.claimLimit * 2 )
				);
		return Math.max( 50, Math.min( this.claimLimit, room ) );
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
		this.settings = settings;
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
