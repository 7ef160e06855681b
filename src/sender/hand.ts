/**
 * The SKUs in hand and the slices that send them (DESIGN §4): plan (pure) →
 * send the calls due under the keyCRM client's rate limiter → ack what is
 * finished. SKUs stay in hand across slices until all their calls are done,
 * so bulk rows fill whole requests.
 *
 * One SKU's way through: claimed item → its desired record (desired.ts,
 * computed once and kept here) → its work (plan/work.ts) → buckets
 * (plan/route.ts) → planned calls that carry the hashes they establish
 * (plan/assemble.ts, plan-categories.ts) → the calls due (schedule.ts) →
 * one handler per call kind (executor.ts, execute/) → its ack (acks.ts).
 */
import type {
	AckResult,
	ClaimedItem,
	SenderSettings,
} from '../contract/plugin-rest.js';
import type { KeyCrmClient } from '../keycrm/client.js';
import { KeyCrmAuthError } from '../keycrm/errors.js';
import { AckQueue, ackResult, releaseOf } from './acks.js';
import type { ClaimTarget, ClaimView } from './claimer.js';
import { advanceCensus } from './census-step.js';
import { CensusKeeper } from './census.js';
import { DEFAULT_DESIRED_OPTIONS, desiredOf, type Desired } from './desired.js';
import { callSkus, execute, type SkuFailure } from './executor.js';
import type { WorkerMetrics } from './metrics.js';
import { plan, type Plan, type PlannedCall } from './plan.js';
import { HandCost } from './hand-cost.js';
import { isRowResult, ParentRecords } from './parent-records.js';
import { RunState } from './run-state.js';
import { selectCalls } from './schedule.js';
import {
	errorMessage,
	WorkerFatalError,
	type WorkerOptions,
} from './worker-options.js';

export { IDS_ONLY_TOKEN } from './parent-records.js';

/** SKU in hand. */
interface Entry {
	item: ClaimedItem;
	token: string;
	claimedAt: number;
	leaseEndsAt: number;
	/** Its desired record, computed once under the settings it holds for. */
	desired?: { settings: SenderSettings; record: Desired };
}

/** See the module docblock. */
export class Hand implements ClaimTarget {
	private readonly state = new RunState();
	private readonly entries = new Map< string, Entry >();
	private readonly acks: AckQueue;
	private readonly census = new CensusKeeper();
	private readonly cost = new HandCost();
	private readonly parents: ParentRecords;
	constructor(
		private readonly o: WorkerOptions,
		private readonly metrics: WorkerMetrics,
		private readonly claims: ClaimView,
		private readonly hard: AbortSignal
	) {
		this.acks = new AckQueue( o.plugin, o.logger );
		this.parents = new ParentRecords( this.acks );
	}

	size(): number {
		return this.entries.size;
	}

	queuedCalls(): number {
		return this.cost.queuedCalls(
			this.entries.size,
			this.census.settled()
		);
	}

	callsPerSku(): number | null {
		return this.cost.callsPerSku(
			this.entries.size,
			this.census.settled()
		);
	}

	msPerCall(): number | null {
		return this.cost.msPerCall();
	}

	/** Nothing in hand and no ack waiting. */
	empty(): boolean {
		return this.entries.size === 0 && this.acks.size() === 0;
	}

	take(
		items: readonly ClaimedItem[],
		token: string,
		leaseMs: number
	): void {
		const now = this.o.clock.now();
		for ( const item of items ) {
			this.entries.set( item.sku, {
				item,
				token,
				claimedAt: now,
				leaseEndsAt: now + leaseMs,
			} );
		}
	}

	/**
	 * One slice: plan, send the calls due, ack what is finished.
	 *
	 * @param finalDrain Send every bulk row now and no other call (stopping).
	 * @return Whether anything was sent or acked.
	 */
	async slice( finalDrain: boolean ): Promise< boolean > {
		await this.ensureCensus();
		const first = this.currentPlan();
		const calls = this.dueCalls( first, finalDrain );
		this.cost.sliced( first, calls );
		const touched = await this.send( calls );
		if ( touched === null ) {
			return true;
		}
		const acked = await this.ackFinished( first, touched );
		return calls.length > 0 || acked > 0;
	}

	/**
	 * Perform calls in order and time them. Returns the SKUs they touched, or null when killed.
	 *
	 * @param calls Calls due.
	 */
	private async send(
		calls: readonly PlannedCall[]
	): Promise< Set< string > | null > {
		const started = this.o.clock.now();
		const touched = await this.performAll( calls );
		this.cost.timed( this.o.clock.now() - started, calls.length );
		return this.hard.aborted ? null : touched;
	}

	/**
	 * Perform calls in order until killed. Returns the SKUs they touched.
	 *
	 * @param calls Calls due.
	 */
	private async performAll(
		calls: readonly PlannedCall[]
	): Promise< Set< string > > {
		const touched = new Set< string >();
		for ( const call of calls ) {
			if ( this.hard.aborted ) {
				break;
			}
			callSkus( call ).forEach( ( sku ) => touched.add( sku ) );
			await this.perform( call );
		}
		return touched;
	}

	/**
	 * Stopping: send rows that only wait for a bulk call, ack, release the rest.
	 *
	 * @param onSliced Called after the final slice (progress).
	 */
	async finish( onSliced: () => void ): Promise< void > {
		if (
			this.entries.size > 0 &&
			this.claims.settings &&
			this.claims.client
		) {
			await this.slice( true )
				.then( onSliced )
				.catch( ( error: unknown ) => {
					this.o.logger.log( 'warn', 'final flush failed', {
						error: errorMessage( error ),
					} );
				} );
		}
		for ( const entry of this.entries.values() ) {
			this.settle( releaseOf( entry.item, this.state ), 'retry' );
		}
		const { dropped } = await this.acks.flush();
		if ( dropped.length === 0 && this.acks.size() > 0 ) {
			await this.acks.flush();
		}
	}

	/**
	 * Plan the SKUs in hand (or only `subset` of them).
	 *
	 * @param subset SKUs to plan.
	 */
	private currentPlan( subset?: ReadonlySet< string > ): Plan {
		const entries = subset
			? [ ...subset ].flatMap( ( sku ) => this.entries.get( sku ) ?? [] )
			: [ ...this.entries.values() ];
		const settings = this.claims.settings as SenderSettings;
		const options = this.o.desired ?? DEFAULT_DESIRED_OPTIONS;
		return plan( {
			items: entries.map( ( e ) => e.item ),
			settings,
			options,
			knowledge: this.state,
			desired: ( item ) => {
				const entry = this.entries.get( item.sku );
				if ( entry?.item !== item ) {
					return desiredOf( item, settings, options );
				}
				// Computed again only when the plugin sends other settings.
				if ( entry.desired?.settings !== settings ) {
					entry.desired = {
						settings,
						record: desiredOf( item, settings, options ),
					};
				}
				return entry.desired.record;
			},
		} );
	}

	private dueCalls( p: Plan, finalDrain: boolean ): PlannedCall[] {
		const lease = ( this.o.leaseSeconds ?? 300 ) * 1000;
		const atCapacity = this.entries.size >= ( this.o.maxInHand ?? 12_000 );
		return selectCalls( p, {
			now: this.o.clock.now(),
			timing: ( sku ) => this.entries.get( sku ),
			drain: finalDrain || this.claims.lastClaimShort || atCapacity,
			budget: finalDrain ? 0 : ( this.o.sliceCalls ?? 4 ),
			flushAll: finalDrain,
			stockFlushMs: this.o.stockFlushMs ?? 3000,
			offerFlushMs: this.o.offerFlushMs ?? 10_000,
			leaseMarginMs: lease * 0.4,
			// Variations wait until WordPress has recorded their new product's id.
			held: ( c ) =>
				c.kind === 'createOffers' && this.parents.waiting( c.parentId ),
		} );
	}

	private async perform( call: PlannedCall ): Promise< void > {
		const items = {
			get: ( sku: string ) => this.entries.get( sku )?.item,
		};
		try {
			const out = await execute( call, {
				client: this.claims.client as KeyCrmClient,
				state: this.state,
				items,
				onCategories: ( records ) => this.acks.addCategories( records ),
				onDuplicate: ( sku, count ) =>
					this.o.logger.log(
						'warn',
						'SKU held by several keyCRM offers',
						{ sku, count }
					),
			} );
			this.metrics.request( out.requests );
			if ( call.kind === 'createParent' ) {
				this.parents.record(
					call.parentId,
					this.state.parents.get( call.parentId ),
					call.parentSku
				);
			}
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
		const entry = this.entries.get( f.sku );
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
			{ sku: f.sku, code: f.code, error: f.message }
		);
		this.metrics.error( f.message );
		this.metrics.outcome( outcome );
		this.entries.delete( f.sku );
		this.cost.left();
		this.state.forget( f.sku, true );
	}

	/**
	 * Ack SKUs with nothing left to send (and blocked ones). Returns how many.
	 *
	 * @param first   The slice's plan.
	 * @param touched SKUs of the calls sent in this slice.
	 */
	private async ackFinished(
		first: Plan,
		touched: ReadonlySet< string >
	): Promise< number > {
		const p = this.currentPlan( touched );
		for ( const sku of [ ...first.done, ...p.done ] ) {
			const entry = this.entries.get( sku );
			if ( entry ) {
				this.acks.add(
					entry.token,
					ackResult( entry.item, this.state, 'synced' )
				);
				this.metrics.outcome( 'synced' );
				this.entries.delete( sku );
				this.cost.left();
			}
		}
		[ ...first.blocked, ...p.blocked ].forEach( ( b ) =>
			this.settle( b, 'failed' )
		);
		for ( const n of [ ...first.notSent, ...p.notSent ] ) {
			const entry = this.entries.get( n.sku );
			if ( entry ) {
				// Nothing to send by the settings: done, with the reason on the Items screen.
				this.acks.add(
					entry.token,
					ackResult( entry.item, this.state, 'synced', n )
				);
				this.metrics.outcome( 'synced' );
				this.entries.delete( n.sku );
				this.cost.left();
			}
		}
		const n = this.acks.size();
		if ( n === 0 ) {
			return 0;
		}
		const { delivered, dropped } = await this.acks.flush();
		this.parents.settle( delivered, dropped );
		const rows = ( list: AckResult[] ) => list.filter( isRowResult );
		rows( delivered ).forEach( ( r ) => this.state.forget( r.sku ) );
		rows( dropped ).forEach( ( r ) => this.state.forget( r.sku, true ) );
		this.o.logger.log( 'info', 'batch', {
			...this.metrics.batchCounts(),
			in_hand: this.entries.size,
			backlog: this.claims.backlog,
		} );
		return n;
	}

	/** Start or advance the offer census (see census.ts). */
	private async ensureCensus(): Promise< void > {
		const client = this.claims.client;
		if ( ! client || this.census.settled() ) {
			return;
		}
		await advanceCensus( {
			census: this.census,
			client,
			items: [ ...this.entries.values() ].map( ( e ) => e.item ),
			state: this.state,
			backlog: this.claims.backlog,
			metrics: this.metrics,
			logger: this.o.logger,
		} );
	}
}
