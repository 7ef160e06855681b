/**
 * The sender loop (DESIGN §4): claim → plan (pure) → execute under the keyCRM
 * client's rate limiter → ack. SKUs stay "in hand" across slices until all
 * their calls are done, so bulk rows fill whole requests; every slice begins
 * with a claim, and the plugin hands out live changes ahead of resync
 * backlog, so an order's stock change is sent within seconds even while a
 * large push drains. Idle polling slows down gradually; a stop signal lets
 * the call in flight finish, sends rows that only wait for a bulk call, acks
 * what is done and releases the rest.
 */
import type {
	ClaimRequest,
	ClaimResponse,
	ClaimedItem,
	SenderSettings,
} from '../contract/plugin-rest.js';
import type { KeyCrmClient } from '../keycrm/client.js';
import { KeyCrmAuthError } from '../keycrm/errors.js';
import type { Clock } from '../util/clock.js';
import { AckQueue, ackResult, type AckSink } from './acks.js';
import { CensusKeeper } from './census.js';
import { DEFAULT_DESIRED_OPTIONS, type DesiredOptions } from './desired.js';
import { callSkus, execute, type SkuFailure } from './executor.js';
import type { Logger } from './logger.js';
import { existence, plan, type Plan, type PlannedCall } from './plan.js';
import { RunState } from './run-state.js';
import { selectCalls } from './schedule.js';
import { WorkerMetrics } from './metrics.js';

/** The sender's view of the plugin's claim route. */
export interface ClaimSource extends AckSink {
	claim: ( req: ClaimRequest ) => Promise< ClaimResponse >;
}

/** Builds the keyCRM client for a key and budget (called again when they change). */
export type ClientFactory = (
	apiKey: string,
	ratePerMinute: number,
	signal: AbortSignal
) => KeyCrmClient;

/** Worker options. */
export interface WorkerOptions {
	plugin: ClaimSource;
	makeClient: ClientFactory;
	clock: Clock;
	logger: Logger;
	/** Overrides the plugin's API key (KEYCRM_API_KEY). */
	apiKey?: string;
	/** Most SKUs per claim (default 2000). */
	batch?: number;
	/** Most SKUs in hand (default 12000). */
	maxInHand?: number;
	leaseSeconds?: number;
	/** Exit when nothing is left (sync --once). */
	once?: boolean;
	workerId?: string;
	version?: string;
	desired?: DesiredOptions;
	/** Most non-bulk calls between two claims (default 5). */
	sliceCalls?: number;
	stockFlushMs?: number;
	offerFlushMs?: number;
	/** Idle polling bounds (clock ms). */
	pollMinMs?: number;
	pollMaxMs?: number;
	/** Progress line callback (TTY). */
	onProgress?: ( line: string ) => void;
}

/** SKU in hand. */
interface Entry {
	item: ClaimedItem;
	token: string;
	claimedAt: number;
	leaseEndsAt: number;
}

/** Thrown when the worker cannot go on (bad key, bad password): a plain message for the user. */
export class WorkerFatalError extends Error {
	override name = 'WorkerFatalError';
}

/** The sender worker. */
export class Worker {
	readonly metrics: WorkerMetrics;
	private readonly state = new RunState();
	private readonly inHand = new Map< string, Entry >();
	private readonly acks: AckQueue;
	private readonly hard = new AbortController();
	private settings: SenderSettings | null = null;
	private client: { key: string; rate: number; client: KeyCrmClient } | null =
		null;
	private backlog = 0;
	private lastClaimShort = true;
	private readonly census = new CensusKeeper();
	/** Non-bulk calls (creations, lookups, product updates) in the latest plan. */
	private queuedCalls = 0;
	private claimLimit = 250;
	private pollMs: number;
	private stopping = false;

	constructor( private readonly o: WorkerOptions ) {
		this.acks = new AckQueue( o.plugin, o.logger );
		this.metrics = new WorkerMetrics( o.clock );
		this.pollMs = o.pollMinMs ?? 500;
	}

	/** Finish the call in flight, ack what is done, release the rest, then return from `run`. */
	stop(): void {
		this.stopping = true;
	}

	/** Abandon everything at once, like a killed process (tests). */
	kill(): void {
		this.stopping = true;
		this.hard.abort( new Error( 'killed' ) );
	}

	/** SKUs in hand (for tests and progress). */
	inHandCount(): number {
		return this.inHand.size;
	}

	/**
	 * Run until stopped (or, with `once`, until nothing is left).
	 *
	 * @param signal Stops the worker gracefully when aborted.
	 */
	async run( signal?: AbortSignal ): Promise< void > {
		signal?.addEventListener( 'abort', () => this.stop(), { once: true } );
		while ( ! this.stopping ) {
			const claimed = await this.claim();
			if ( this.hard.signal.aborted ) {
				return;
			}
			if ( this.inHand.size === 0 && this.acks.size() === 0 ) {
				if ( this.o.once && claimed === 0 && this.lastClaimShort ) {
					break;
				}
				await this.idle( signal );
				continue;
			}
			this.pollMs = this.o.pollMinMs ?? 500;
			const worked = await this.slice( false );
			if ( this.hard.signal.aborted ) {
				return;
			}
			if ( ! worked && claimed === 0 ) {
				await this.sleep( 50, signal );
			}
		}
		if ( ! this.hard.signal.aborted ) {
			await this.finish();
		}
	}

	private async idle( signal?: AbortSignal ): Promise< void > {
		await this.sleep( this.pollMs, signal );
		this.pollMs = Math.min(
			this.o.pollMaxMs ?? 5000,
			Math.round( this.pollMs * 1.5 )
		);
	}

	private async sleep( ms: number, signal?: AbortSignal ): Promise< void > {
		const both = signal
			? AbortSignal.any( [ signal, this.hard.signal ] )
			: this.hard.signal;
		await this.o.clock.sleep( ms, both ).catch( () => undefined );
	}

	/** Claim more SKUs; returns how many arrived. */
	private async claim(): Promise< number > {
		const room = ( this.o.maxInHand ?? 12_000 ) - this.inHand.size;
		// Enough creations queued for a few slices: only look for live changes. Otherwise grow
		// the claim (slow start), so a first claim never holds more than its lease can cover.
		const busy = this.queuedCalls > 2 * ( this.o.sliceCalls ?? 4 );
		this.claimLimit = busy
			? 50
			: Math.min(
					this.o.batch ?? 2000,
					Math.max( 500, this.claimLimit * 2 )
				);
		const limit = Math.max( 50, Math.min( this.claimLimit, room ) );
		const leaseSeconds = this.o.leaseSeconds ?? 300;
		let res: ClaimResponse;
		try {
			res = await this.o.plugin.claim( {
				limit,
				lease_seconds: leaseSeconds,
				worker_id: this.workerId(),
				heartbeat: this.heartbeat(),
			} );
		} catch ( error ) {
			return this.claimFailed( error );
		}
		this.metrics.claims++;
		this.adoptSettings( res.settings );
		const now = this.o.clock.now();
		for ( const item of res.items ) {
			this.inHand.set( item.sku, {
				item,
				token: res.lease_token ?? '',
				claimedAt: now,
				leaseEndsAt: now + leaseSeconds * 1000,
			} );
		}
		this.backlog = res.backlog;
		this.lastClaimShort = res.items.length < limit || res.backlog === 0;
		return res.items.length;
	}

	private claimFailed( error: unknown ): number {
		const message =
			error instanceof Error ? error.message : String( error );
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
			! this.client ||
			this.client.key !== key ||
			this.client.rate !== settings.rate_per_minute
		) {
			this.client = {
				key,
				rate: settings.rate_per_minute,
				client: this.o.makeClient(
					key,
					settings.rate_per_minute,
					this.hard.signal
				),
			};
		}
	}

	private workerId(): string {
		return this.o.workerId ?? `keycrm-sync-${ process.pid }`;
	}

	private heartbeat() {
		return {
			worker_id: this.workerId(),
			version: this.o.version ?? '0.1.0',
			...this.metrics.heartbeat( this.etaSeconds() ),
		};
	}

	private etaSeconds(): number | null {
		if ( this.backlog + this.inHand.size === 0 ) {
			return 0;
		}
		const rate = this.settings?.rate_per_minute ?? 60;
		const perItem = this.metrics.requestsPerSynced();
		return perItem === null
			? null
			: Math.round(
					( ( this.backlog + this.inHand.size ) * perItem * 60 ) /
						rate
				);
	}

	/**
	 * Plan the SKUs in hand (or only `subset` of them).
	 *
	 * @param subset SKUs to plan.
	 */
	private currentPlan( subset?: ReadonlySet< string > ): Plan {
		const entries = subset
			? [ ...subset ].flatMap( ( sku ) => this.inHand.get( sku ) ?? [] )
			: [ ...this.inHand.values() ];
		return plan( {
			items: entries.map( ( e ) => e.item ),
			settings: this.settings as SenderSettings,
			options: this.o.desired ?? DEFAULT_DESIRED_OPTIONS,
			knowledge: this.state,
		} );
	}

	/**
	 * One slice: plan, send the calls due, ack what is finished.
	 *
	 * @param finalDrain Send every bulk row now and no other call (stopping).
	 */
	private async slice( finalDrain: boolean ): Promise< boolean > {
		await this.ensureCensus();
		const first = this.currentPlan();
		this.queuedCalls = first.calls.filter(
			( c ) => c.kind !== 'stocks' && c.kind !== 'offers'
		).length;
		const calls = this.dueCalls( first, finalDrain );
		const touched = new Set< string >();
		for ( const call of calls ) {
			if ( this.hard.signal.aborted ) {
				return true;
			}
			callSkus( call ).forEach( ( sku ) => touched.add( sku ) );
			await this.perform( call );
		}
		if ( this.hard.signal.aborted ) {
			return true;
		}
		const acked = await this.ackFinished( first, touched );
		this.progress();
		return calls.length > 0 || acked > 0;
	}

	private dueCalls( p: Plan, finalDrain: boolean ): PlannedCall[] {
		const now = this.o.clock.now();
		const lease = ( this.o.leaseSeconds ?? 300 ) * 1000;
		const atCapacity = this.inHand.size >= ( this.o.maxInHand ?? 12_000 );
		const calls = selectCalls( p, {
			now,
			timing: ( sku ) => this.inHand.get( sku ),
			drain: finalDrain || this.lastClaimShort || atCapacity,
			budget: finalDrain ? 0 : ( this.o.sliceCalls ?? 4 ),
			flushAll: finalDrain,
			stockFlushMs: this.o.stockFlushMs ?? 3000,
			offerFlushMs: this.o.offerFlushMs ?? 10_000,
			leaseMarginMs: lease * 0.4,
		} );
		return calls;
	}

	private async perform( call: PlannedCall ): Promise< void > {
		const client = this.client?.client as KeyCrmClient;
		const items = { get: ( sku: string ) => this.inHand.get( sku )?.item };
		try {
			const out = await execute( call, {
				client,
				state: this.state,
				items,
				settings: this.settings as SenderSettings,
				onDuplicate: ( sku, count ) =>
					this.o.logger.log(
						'warn',
						'SKU held by several keyCRM offers',
						{ sku, count }
					),
			} );
			this.metrics.request( out.requests );
			out.failed.forEach( ( f ) => this.settle( f, 'failed' ) );
			out.retry.forEach( ( f ) => this.settle( f, 'retry' ) );
			if ( out.failed.length + out.retry.length === 0 ) {
				this.metrics.success();
			}
		} catch ( error ) {
			if ( error instanceof KeyCrmAuthError ) {
				throw new WorkerFatalError(
					`keyCRM rejected the API key: ${ error.message }`
				);
			}
			throw error;
		}
	}

	/**
	 * Take a SKU out of hand with a failure outcome.
	 *
	 * @param f       Failure.
	 * @param outcome failed or retry.
	 */
	private settle( f: SkuFailure, outcome: 'failed' | 'retry' ): void {
		const entry = this.inHand.get( f.sku );
		if ( ! entry ) {
			return;
		}
		this.acks.add(
			entry.token,
			ackResult( entry.item, this.state, outcome, f )
		);
		this.o.logger.log(
			outcome === 'failed' ? 'error' : 'warn',
			outcome === 'failed' ? 'SKU failed' : 'SKU will be retried',
			{
				sku: f.sku,
				code: f.code,
				error: f.message,
			}
		);
		this.metrics.error( f.message );
		this.metrics.outcome( outcome );
		this.inHand.delete( f.sku );
		this.state.forget( f.sku, true );
	}

	/**
	 * Ack SKUs with nothing left to send (and blocked ones). Returns how many.
	 * @param first
	 * @param touched
	 */
	private async ackFinished(
		first: Plan,
		touched: ReadonlySet< string >
	): Promise< number > {
		const p = this.currentPlan( touched );
		const done = [ ...first.done, ...p.done ];
		const blocked = [ ...first.blocked, ...p.blocked ];
		for ( const sku of done ) {
			const entry = this.inHand.get( sku );
			if ( entry ) {
				this.acks.add(
					entry.token,
					ackResult( entry.item, this.state, 'synced' )
				);
				this.metrics.outcome( 'synced' );
				this.inHand.delete( sku );
			}
		}
		blocked.forEach( ( b ) => this.settle( b, 'failed' ) );
		const n = this.acks.size();
		if ( n === 0 ) {
			return 0;
		}
		const { delivered, dropped } = await this.acks.flush();
		delivered.forEach( ( r ) => this.state.forget( r.sku ) );
		dropped.forEach( ( r ) => this.state.forget( r.sku, true ) );
		this.o.logger.log( 'info', 'batch', {
			...this.metrics.batchCounts(),
			in_hand: this.inHand.size,
			backlog: this.backlog,
		} );
		return n;
	}

	/** Start or advance the offer census (see census.ts). */
	private async ensureCensus(): Promise< void > {
		if ( ! this.client ) {
			return;
		}
		const client = this.client.client;
		if ( this.census.settled() ) {
			return;
		}
		const candidates = [ ...this.inHand.values() ]
			.filter( ( e ) => ! e.item.retired && e.item.type !== 'variable' )
			.map( ( e ) => ( {
				unknown:
					existence(
						e.item,
						this.state.skus.get( e.item.sku ),
						this.state
					) === 'unknown',
				evidence:
					e.item.pushed_offer_hash !== null ||
					e.item.keycrm_offer_id !== null,
			} ) );
		const before = client.stats().total;
		try {
			await this.census.tick(
				client,
				candidates,
				this.backlog,
				this.state,
				2
			);
		} catch ( error ) {
			if ( error instanceof KeyCrmAuthError ) {
				throw new WorkerFatalError(
					`keyCRM rejected the API key: ${ error.message }`
				);
			}
			this.state.censusPending = false;
			this.o.logger.log(
				'warn',
				'offer census failed; looking SKUs up instead',
				{
					error:
						error instanceof Error
							? error.message
							: String( error ),
				}
			);
		}
		this.metrics.request( client.stats().total - before );
	}

	/** Stopping: send rows that only wait for a bulk call, ack, release the rest. */
	private async finish(): Promise< void > {
		if ( this.inHand.size > 0 && this.settings && this.client ) {
			await this.slice( true ).catch( ( error: unknown ) => {
				this.o.logger.log( 'warn', 'final flush failed', {
					error:
						error instanceof Error
							? error.message
							: String( error ),
				} );
			} );
		}
		for ( const [ sku ] of this.inHand ) {
			this.settle(
				{
					sku,
					code: 'released',
					message: 'The sender stopped before this SKU was sent.',
				},
				'retry'
			);
		}
		const { dropped } = await this.acks.flush();
		if ( dropped.length === 0 && this.acks.size() > 0 ) {
			await this.acks.flush();
		}
	}

	private progress(): void {
		if ( ! this.o.onProgress ) {
			return;
		}
		const eta = this.etaSeconds();
		const m = this.metrics.heartbeat( eta );
		const etaText =
			eta === null
				? '?'
				: `${ Math.floor( eta / 60 ) }m${ String( eta % 60 ).padStart( 2, '0' ) }s`;
		this.o.onProgress(
			`synced ${ this.metrics.synced } · in hand ${ this.inHand.size } · backlog ${ this.backlog } · ${ m.requests_last_minute } req/min · ETA ${ etaText }`
		);
	}
}
