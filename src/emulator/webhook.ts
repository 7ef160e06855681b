/**
 * keyCRM's stock webhook: after any stock change (API writes included), a
 * POST of a bare JSON array `[{offer_id, sku, in_stock, in_reserve}]` with
 * totals over all warehouses (API-NOTES (c)1). Delivered asynchronously, up
 * to 3 attempts (one source says keyCRM tries 3 times); failures are counted,
 * never thrown into the request that caused the change.
 */
import type { Clock } from '../util/clock.js';
import type { EmulatorStore } from './store.js';

export interface WebhookItem {
	offer_id: number;
	sku: string | null;
	in_stock: number;
	in_reserve: number;
}

export interface WebhookStats {
	/** Deliveries answered 2xx. */
	delivered: number;
	/** Deliveries that failed every attempt. */
	failed: number;
	/** Attempts made (including retries). */
	attempts: number;
	/** Last failure message. */
	lastError: string | null;
}

const ATTEMPTS = 3;
const RETRY_DELAY_MS = 1000;

/** Sends stock webhooks. */
export class StockWebhook {
	url: string | null = null;
	readonly stats: WebhookStats = {
		delivered: 0,
		failed: 0,
		attempts: 0,
		lastError: null,
	};
	private pending = new Set< Promise< void > >();

	constructor(
		private readonly getStore: () => EmulatorStore,
		private readonly clock: Clock,
		private readonly fetchImpl?: typeof globalThis.fetch
	) {}

	/**
	 * Queue one delivery for the offers whose stock changed (no-op without a URL or changes).
	 *
	 * @param offerIds Changed offers.
	 */
	notify( offerIds: Iterable< number > ): void {
		const url = this.url;
		const store = this.getStore();
		const items: WebhookItem[] = [];
		for ( const id of offerIds ) {
			const offer = store.offers.get( id );
			if ( offer ) {
				const t = store.totals( id );
				items.push( {
					offer_id: id,
					sku: offer.sku,
					in_stock: t.quantity,
					in_reserve: t.reserve,
				} );
			}
		}
		if ( url === null || items.length === 0 ) {
			return;
		}
		const p = this.deliver( url, items ).finally( () =>
			this.pending.delete( p )
		);
		this.pending.add( p );
	}

	/** Zero the counters (pending deliveries still finish). */
	resetStats(): void {
		Object.assign( this.stats, {
			delivered: 0,
			failed: 0,
			attempts: 0,
			lastError: null,
		} );
	}

	/** Resolves when every queued delivery has finished (tests). */
	async idle(): Promise< void > {
		while ( this.pending.size ) {
			await Promise.all( [ ...this.pending ] );
		}
	}

	private async deliver(
		url: string,
		items: WebhookItem[]
	): Promise< void > {
		const doFetch = this.fetchImpl ?? globalThis.fetch;
		for ( let attempt = 1; attempt <= ATTEMPTS; attempt++ ) {
			this.stats.attempts++;
			try {
				const res = await doFetch( url, {
					method: 'POST',
					headers: {
						'Content-Type': 'application/json',
						'User-Agent': 'keyCRM-emulator',
					},
					body: JSON.stringify( items ),
					signal: AbortSignal.timeout( 10_000 ),
				} );
				await res.arrayBuffer().catch( () => undefined );
				if ( res.ok ) {
					this.stats.delivered++;
					return;
				}
				this.stats.lastError = `HTTP ${ res.status }`;
			} catch ( error ) {
				this.stats.lastError =
					error instanceof Error ? error.message : String( error );
			}
			if ( attempt < ATTEMPTS ) {
				await this.clock.sleep( RETRY_DELAY_MS );
			}
		}
		this.stats.failed++;
	}
}
