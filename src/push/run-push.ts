/**
 * `keycrm-sync push`: an ERP export → keyCRM, through the keyCRM client.
 *
 * Reads keyCRM's current stock and prices (and product data when the file
 * has names, barcodes or units), plans the changes, prints them with every
 * planned request, and — unless it is a dry run — sends them in this order:
 * new products (`POST /products/import`, 100 per request), prices
 * (`PUT /offers`, 10,000), names/barcodes/units (`PUT /products/{id}`, one per
 * changed product), stock last (`PUT /offers/stocks`, 10,000 per warehouse).
 */
import type { KeyCrmClient } from '../keycrm/client.js';
import { resolveCategories } from './categories.js';
import type { ErpRow } from './erp-row.js';
import { erpWriteRequests, planErpPush, type ErpPlan } from './plan-erp.js';
import { printPlan, summaryLine, where } from './push-report.js';
import { plannedRequests } from './push-requests.js';
import { readRemoteProducts } from './read-remote-products.js';
import {
	readRemoteStock,
	type ReadProgress,
	type RemoteStockRead,
} from './read-remote-stock.js';
import type { StockRow } from './stock-row.js';

/** The client calls a push needs. */
export type PushClient = Pick<
	KeyCrmClient,
	| 'listStocks'
	| 'updateStocks'
	| 'updateOffers'
	| 'listOffers'
	| 'importProducts'
	| 'updateProduct'
	| 'listCategories'
	| 'createCategory'
	| 'findOffersBySku'
>;

export interface PushOptions {
	client: PushClient;
	/** Rows: the simple form (one warehouse: `warehouseId`) or ERP rows (`warehouseIds`). */
	rows: readonly StockRow[] | readonly ErpRow[];
	/** The warehouse of simple rows. */
	warehouseId?: number;
	/** Warehouses aligned with each ERP row's `stock`. */
	warehouseIds?: readonly number[];
	/** Create SKUs keyCRM does not know (`--create`). */
	create?: boolean;
	/** New SKUs without a name are skipped (and listed) instead of stopping the push. */
	skipInvalid?: boolean;
	/** Compare names, barcodes and units (the file has such a column). Default: when any row has one. */
	compareProducts?: boolean;
	dryRun: boolean;
	/** Writes one line of output. */
	print: ( line: string ) => void;
	/** Print every change (default true). */
	listChanges?: boolean;
	/** Milliseconds clock for the timing line (default Date.now). */
	now?: () => number;
}

export interface PushSummary {
	rows: number;
	/** SKUs whose stock changes (in any warehouse). */
	stockChanges: number;
	/** SKUs whose price or purchase price changes. */
	priceChanges: number;
	/** Products renamed or given a new barcode/unit. */
	productChanges: number;
	created: number;
	/** New SKUs that cannot be created (no name); nothing is sent when there are any. */
	nameless: ErpRow[];
	unchanged: number;
	unknown: number;
	duplicatesInKeyCrm: number;
	readRequests: number;
	writeRequests: number;
	readStrategy: 'scan' | 'lookup';
	dryRun: boolean;
	plan: ErpPlan;
}

/**
 * ERP rows from simple rows.
 *
 * @param rows Rows.
 */
function toErpRows( rows: readonly StockRow[] ): ErpRow[] {
	return rows.map( ( r ) => ( {
		line: r.line,
		sku: r.sku,
		name: null,
		price: r.price,
		purchasePrice: null,
		barcode: null,
		unit: null,
		category: null,
		stock: [ r.quantity ],
	} ) );
}

/** Requests a push has made so far. */
interface Tally {
	reads: number;
	writes: number;
}

/**
 * Runs a push.
 *
 * @param opts Options.
 */
export async function runPush( opts: PushOptions ): Promise< PushSummary > {
	const now = opts.now ?? Date.now;
	// eslint-disable-next-line @wordpress/no-unused-vars-before-return -- the run's start time.
	const started = now();
	const simple = opts.warehouseIds === undefined;
	const rows: readonly ErpRow[] = simple
		? toErpRows( opts.rows as readonly StockRow[] )
		: ( opts.rows as readonly ErpRow[] );
	const warehouseIds = opts.warehouseIds ?? [ opts.warehouseId ?? 0 ];
	const { read, plan, reads } = await readAndPlan( opts, rows, warehouseIds );
	opts.print(
		opts.dryRun ? 'Would change (dry run, nothing is sent):' : 'Changes:'
	);
	printPlan( plan, opts.print, opts.listChanges ?? true );
	for ( const sku of read.duplicates ) {
		opts.print( `  warning: keyCRM holds SKU ${ sku } more than once` );
	}
	const tally: Tally = { reads, writes: 0 };
	if ( plan.nameless.length > 0 && ! opts.skipInvalid ) {
		for ( const r of plan.nameless ) {
			opts.print(
				`  ${ where( r ) }: ${ r.sku }  cannot be created: the file gives no name`
			);
		}
		const s = summarize( opts, rows, read, plan, tally );
		opts.print(
			`Nothing sent: ${ plan.nameless.length } new SKU(s) without a name.`
		);
		return s;
	}
	await sendPlan( opts, plan, tally );
	const s = summarize( opts, rows, read, plan, tally );
	opts.print( summaryLine( s, now() - started ) );
	return s;
}

/**
 * Reads keyCRM's stock and prices (and product data when compared) and plans
 * the push.
 *
 * @param opts         Options.
 * @param rows         Rows.
 * @param warehouseIds Warehouses aligned with each row's `stock`.
 * @return The stock read, the plan and the read requests made.
 */
async function readAndPlan(
	opts: PushOptions,
	rows: readonly ErpRow[],
	warehouseIds: readonly number[]
): Promise< { read: RemoteStockRead; plan: ErpPlan; reads: number } > {
	const read = await readRemoteStock(
		opts.client,
		rows.map( ( r ) => r.sku ),
		warehouseIds,
		readProgress( opts.print )
	);
	const compare =
		opts.compareProducts ??
		rows.some(
			( r ) => r.name !== null || r.barcode !== null || r.unit !== null
		);
	const known = compare
		? rows.map( ( r ) => r.sku ).filter( ( s ) => read.offers.has( s ) )
		: [];
	const productRead = compare
		? await readRemoteProducts( opts.client, known, read.accountPages )
		: null;
	const plan = planErpPush(
		rows,
		warehouseIds,
		read.offers,
		productRead?.products ?? null,
		opts.create ?? false
	);
	return {
		read,
		plan,
		reads: read.requests + ( productRead?.requests ?? 0 ),
	};
}

/**
 * Prints the stock read's progress every 10 requests and at the end.
 *
 * @param print Writes one line.
 */
function readProgress(
	print: ( line: string ) => void
): ( p: ReadProgress ) => void {
	let lastShown = 0;
	return ( p ) => {
		if (
			p.requests === p.plannedRequests ||
			p.requests - lastShown >= 10
		) {
			lastShown = p.requests;
			print(
				`reading keyCRM stock: ${ p.requests }/${ p.plannedRequests } requests`
			);
		}
	};
}

/**
 * Resolves the new products' categories, then sends (or, in a dry run,
 * lists) the plan's write requests in order.
 *
 * @param opts  Options.
 * @param plan  The plan.
 * @param tally Requests made (updated).
 */
async function sendPlan(
	opts: PushOptions,
	plan: ErpPlan,
	tally: Tally
): Promise< void > {
	const categoryPaths = new Set(
		plan.creates.flatMap( ( r ) =>
			r.category === null ? [] : [ r.category ]
		)
	);
	const categories = await resolveCategories(
		opts.client,
		categoryPaths,
		opts.dryRun,
		( path ) => {
			tally.writes += opts.dryRun ? 0 : 1;
			opts.print(
				`${ opts.dryRun ? 'would send' : 'sent' }: POST /products/categories "${ path }"`
			);
		}
	);
	tally.reads += categories.reads;
	const planned = plannedRequests( opts.client, plan, categories.ids );
	const total = planned.length;
	if ( opts.dryRun ) {
		opts.print(
			`Planned keyCRM write requests: ${ erpWriteRequests( plan ) + categories.created.length }`
		);
	}
	let done = 0;
	for ( const r of planned ) {
		done++;
		if ( opts.dryRun ) {
			opts.print( `  ${ done }/${ total }: ${ r.label }` );
			continue;
		}
		await r.send();
		tally.writes++;
		opts.print( `sent ${ done }/${ total }: ${ r.label }` );
	}
}

/**
 * The push's summary.
 *
 * @param opts  Options.
 * @param rows  Rows.
 * @param read  The stock read.
 * @param plan  The plan.
 * @param tally Requests made.
 */
function summarize(
	opts: PushOptions,
	rows: readonly ErpRow[],
	read: RemoteStockRead,
	plan: ErpPlan,
	tally: Tally
): PushSummary {
	const createdSkus = new Set( plan.creates.map( ( r ) => r.sku ) );
	const stockSkus = new Set< string >();
	for ( const w of plan.stock ) {
		for ( const c of w.changes ) {
			if ( ! createdSkus.has( c.sku ) ) {
				stockSkus.add( c.sku );
			}
		}
	}
	return {
		rows: rows.length,
		stockChanges: stockSkus.size,
		priceChanges: plan.offers.length,
		productChanges: plan.products.length,
		created: plan.creates.length,
		nameless: plan.nameless,
		unchanged: plan.unchanged,
		unknown: plan.unknown.length,
		duplicatesInKeyCrm: read.duplicates.length,
		readRequests: tally.reads,
		writeRequests: tally.writes,
		readStrategy: read.strategy,
		dryRun: opts.dryRun,
		plan,
	};
}
