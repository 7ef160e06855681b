/**
 * The periodic stock pull: pages through keyCRM's `GET /offers/stocks` and
 * hands every SKU's numbers to the plugin in batches. In keyCRM mode the
 * plugin applies the differences (the webhook can be missed: it only fires
 * after changes and not for balances that existed before it was set up); in
 * WooCommerce mode the same scan lists drift (keyCRM ≠ shop) for the UI.
 *
 * Memory stays flat: one page and one batch at a time.
 */
import type { StockItem } from '../contract/plugin-rest.js';
import type { KeyCrmClient } from '../keycrm/client.js';
import { KEYCRM_LIMITS } from '../keycrm/schemas.js';
import type { StockSourceApi } from './stock-source-client.js';
import { stockNumbers } from './warehouse-stock.js';
import { cutChars } from '../util/text.js';

/** Dependencies of a pull. */
export interface StockPullDeps {
	keycrm: Pick< KeyCrmClient, 'listStocks' >;
	plugin: StockSourceApi;
	/** Warehouse to read (`filter[details]=true`), or null for account-wide totals. */
	warehouseId: number | null;
	/** Items per `POST /worker/stock-apply` (default 200, ≤ 1000: applying changed stock costs ~0.1 s per SKU on a small host). */
	batchSize?: number;
	/** Stops between pages. */
	signal?: AbortSignal;
	log?: ( message: string ) => void;
}

export interface StockPullSummary {
	pages: number;
	scanned: number;
	/** Outcome → SKUs (applied, unchanged, unknown, drift, …). */
	counts: Record< string, number >;
	complete: boolean;
	error: string | null;
}

function add(
	into: Record< string, number >,
	counts: Record< string, number >
): void {
	for ( const [ k, v ] of Object.entries( counts ) ) {
		into[ k ] = ( into[ k ] ?? 0 ) + v;
	}
}

async function scan(
	deps: StockPullDeps,
	summary: StockPullSummary
): Promise< void > {
	const size = Math.min( Math.max( deps.batchSize ?? 200, 1 ), 1000 );
	let batch: StockItem[] = [];
	const flush = async () => {
		if ( batch.length > 0 ) {
			const res = await deps.plugin.applyStock( { items: batch } );
			add( summary.counts, res.counts );
			batch = [];
		}
	};
	const filter = deps.warehouseId === null ? {} : { details: true };
	for ( let page = 1; ; page++ ) {
		deps.signal?.throwIfAborted();
		const p = await deps.keycrm.listStocks( {
			filter,
			limit: KEYCRM_LIMITS.pageSize,
			page,
		} );
		summary.pages++;
		for ( const row of p.data ) {
			const numbers = stockNumbers( row, deps.warehouseId );
			if ( numbers ) {
				summary.scanned++;
				batch.push( numbers );
			}
			if ( batch.length >= size ) {
				await flush();
			}
		}
		if (
			p.next_page_url === null ||
			p.current_page >= p.last_page ||
			p.data.length === 0
		) {
			break;
		}
	}
	await flush();
}

/**
 * Runs one full pull now, reporting its start and end to the plugin.
 *
 * @param deps Dependencies.
 */
export async function runStockPull(
	deps: StockPullDeps
): Promise< StockPullSummary > {
	const summary: StockPullSummary = {
		pages: 0,
		scanned: 0,
		counts: {},
		complete: false,
		error: null,
	};
	await deps.plugin.reportPull( { event: 'start' } );
	try {
		await scan( deps, summary );
		summary.complete = true;
	} catch ( error ) {
		summary.error = cutChars(
			error instanceof Error ? error.message : String( error ),
			1000
		);
		throw error;
	} finally {
		const { pages, scanned, counts, complete, error } = summary;
		await deps.plugin
			.reportPull( {
				event: 'finish',
				complete,
				pages,
				scanned,
				counts,
				error,
			} )
			.catch( ( e: unknown ) =>
				deps.log?.(
					`stock pull: could not report the end: ${ String( e ) }`
				)
			);
		deps.log?.(
			`stock pull: ${ pages } pages, ${ scanned } SKUs, ${ JSON.stringify( counts ) }${ error ? `, error: ${ error }` : '' }`
		);
	}
	return summary;
}

/**
 * The worker's hook: asks the plugin whether a pull is due (interval elapsed or
 * "Pull stock now" pressed) and runs it when it is. Cheap when nothing is due
 * (one plugin request, no keyCRM request).
 *
 * @param deps Dependencies; `warehouseId` should come from the sender settings.
 * @return The pull's summary, or null when none was due.
 */
export async function maybeRunStockPull(
	deps: StockPullDeps
): Promise< StockPullSummary | null > {
	const state = await deps.plugin.pullState();
	if ( ! state.due ) {
		return null;
	}
	return runStockPull( deps );
}
