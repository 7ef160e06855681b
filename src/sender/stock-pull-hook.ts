/**
 * The worker's side of the periodic keyCRM → shop stock pull (src/pull): one
 * StockPullTicker per worker, fed with the worker's own keyCRM client (so a
 * pull and the pushes share one rate limiter and the 60-a-minute budget), a
 * StockSourceClient for the site and the warehouse of the latest claim.
 *
 * A pull runs in the background: the loop only pokes the ticker (it asks the
 * plugin at most every `checkEveryMs`) and carries on claiming and pushing,
 * so live stock changes keep going out while a long pull pages through
 * keyCRM; the shared limiter interleaves their requests. A failing pull is
 * logged and never stops the worker; the next check retries.
 */
import type { StockPullDeps } from '../pull/run-stock-pull.js';
import { StockPullTicker } from '../pull/stock-pull-ticker.js';
import { StockSourceClient } from '../pull/stock-source-client.js';
import type { ClaimView } from './claimer.js';
import {
	errorMessage,
	type SiteAccess,
	type WorkerOptions,
} from './worker-options.js';

/** What the hook needs from the worker. */
export interface StockPullHookOptions {
	o: WorkerOptions;
	/** The latest claim's settings and the worker's keyCRM client. */
	claims: ClaimView;
	/** Aborts requests in flight (the worker was killed). */
	hard: AbortSignal;
	/** Stops a pull between pages (the worker is stopping). */
	stopping: AbortSignal;
}

/** See the module docblock. */
export class StockPullHook {
	private readonly ticker: StockPullTicker;
	private pending: Promise< void > | null = null;

	constructor( private readonly h: StockPullHookOptions ) {
		this.ticker = new StockPullTicker( {
			deps: () => this.deps(),
			clock: h.o.clock,
			checkEveryMs: h.o.pullCheckEveryMs,
			onError: ( error ) =>
				h.o.logger.log( 'warn', 'stock pull failed', {
					error: errorMessage( error ),
				} ),
		} );
	}

	/** Ask whether a pull is due (when it is time to ask) and start it in the background. */
	poke(): void {
		if ( this.pending || ! this.h.o.site ) {
			return;
		}
		this.pending = this.ticker
			.tick()
			.then( () => undefined )
			.catch( ( error: unknown ) =>
				this.h.o.logger.log( 'warn', 'stock pull failed', {
					error: errorMessage( error ),
				} )
			)
			.finally( () => {
				this.pending = null;
			} );
	}

	/** Wait for a pull in progress (it stops between pages once the worker stops). */
	async settled(): Promise< void > {
		await this.pending;
	}

	/**
	 * Dependencies of the next pull, or null to skip: no site, no claim or no API key yet, or
	 * WooCommerce mode without a warehouse (drift cannot be judged).
	 */
	private deps(): StockPullDeps | null {
		const { settings, client } = this.h.claims;
		const site: SiteAccess | undefined = this.h.o.site;
		if ( ! site || ! settings || ! client ) {
			return null;
		}
		if (
			settings.stock_source === 'woocommerce' &&
			settings.warehouse_id === null
		) {
			return null;
		}
		const logger = this.h.o.logger;
		return {
			keycrm: client,
			plugin: new StockSourceClient( { ...site, signal: this.h.hard } ),
			warehouseId: settings.warehouse_id,
			signal: AbortSignal.any( [ this.h.stopping, this.h.hard ] ),
			log: ( message ) => logger.log( 'info', message ),
		};
	}
}
