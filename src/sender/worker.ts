/**
 * The sender loop (DESIGN §4): claim (claimer.ts) → slices of plan, send and
 * ack (hand.ts). Every slice begins with a claim, and the plugin hands out
 * live changes ahead of resync backlog, so an order's stock change is sent
 * within seconds even while a large push drains. Idle polling slows down
 * gradually; a stop signal lets the call in flight finish, sends rows that
 * only wait for a bulk call, acks what is done and releases the rest. Along
 * the way the periodic keyCRM → shop stock pull is served in the background
 * (stock-pull-hook.ts).
 */
import { Claimer } from './claimer.js';
import { Hand } from './hand.js';
import { progressLine } from './heartbeat.js';
import { WorkerMetrics } from './metrics.js';
import { StockPullHook } from './stock-pull-hook.js';
import type { WorkerOptions } from './worker-options.js';

export {
	WorkerFatalError,
	type ClaimSource,
	type ClientFactory,
	type SiteAccess,
	type WorkerOptions,
} from './worker-options.js';

/** The sender worker. */
export class Worker {
	readonly metrics: WorkerMetrics;
	private readonly hard = new AbortController();
	private readonly stopped = new AbortController();
	private readonly claims: Claimer;
	private readonly hand: Hand;
	private readonly pull: StockPullHook;
	private pollMs: number;
	private stopping = false;

	constructor( private readonly o: WorkerOptions ) {
		this.metrics = new WorkerMetrics( o.clock );
		this.claims = new Claimer( o, this.metrics, this.hard.signal );
		this.hand = new Hand( o, this.metrics, this.claims, this.hard.signal );
		this.pull = new StockPullHook( {
			o,
			claims: this.claims,
			hard: this.hard.signal,
			stopping: this.stopped.signal,
		} );
		this.pollMs = o.pollMinMs ?? 500;
	}

	/** Finish the call in flight, ack what is done, release the rest, then return from `run`. */
	stop(): void {
		this.stopping = true;
		this.stopped.abort();
	}

	/** Abandon everything at once, like a killed process (tests). */
	kill(): void {
		this.stop();
		this.hard.abort( new Error( 'killed' ) );
	}

	/** SKUs in hand (for tests and progress). */
	inHandCount(): number {
		return this.hand.size();
	}

	/**
	 * Run until stopped (or, with `once`, until nothing is left; a stock pull that is due runs
	 * before it returns).
	 *
	 * @param signal Stops the worker gracefully when aborted.
	 */
	async run( signal?: AbortSignal ): Promise< void > {
		signal?.addEventListener( 'abort', () => this.stop(), { once: true } );
		try {
			await this.loop( signal );
		} catch ( error ) {
			this.stop();
			throw error;
		} finally {
			await this.pull.settled();
		}
	}

	private async loop( signal?: AbortSignal ): Promise< void > {
		while ( ! this.stopping ) {
			const claimed = await this.claims.claim( this.hand );
			if ( this.hard.signal.aborted ) {
				return;
			}
			this.pull.poke();
			if ( this.hand.empty() ) {
				if (
					this.o.once &&
					claimed === 0 &&
					this.claims.lastClaimShort
				) {
					break;
				}
				await this.idle( signal );
				continue;
			}
			this.pollMs = this.o.pollMinMs ?? 500;
			const worked = await this.hand.slice( false );
			if ( this.hard.signal.aborted ) {
				return;
			}
			this.progress();
			if ( ! worked && claimed === 0 ) {
				await this.sleep( 50, signal );
			}
		}
		if ( ! this.hard.signal.aborted ) {
			await this.hand.finish( () => this.progress() );
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

	private progress(): void {
		this.o.onProgress?.(
			progressLine( this.metrics, {
				backlog: this.claims.backlog,
				inHand: this.hand.size(),
				ratePerMinute: this.claims.settings?.rate_per_minute ?? 60,
			} )
		);
	}
}
