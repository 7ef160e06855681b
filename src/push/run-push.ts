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
import { KeyCrmUnknownOutcomeError } from '../keycrm/errors.js';
import { KEYCRM_LIMITS, type ProductCreate } from '../keycrm/schemas.js';
import { resolveCategories } from './categories.js';
import type { ErpRow } from './erp-row.js';
import { chunk } from '../util/chunk.js';
import type { Change } from './plan-push.js';
import {
	erpWriteRequests,
	planErpPush,
	type ErpPlan,
	type FieldChange,
} from './plan-erp.js';
import { readRemoteProducts } from './read-remote-products.js';
import { readRemoteStock } from './read-remote-stock.js';
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

const fmt = ( n: number | string | null ): string => {
	if ( n === null ) {
		return '—';
	}
	return typeof n === 'string'
		? `"${ n }"`
		: String( Math.round( n * 10000 ) / 10000 );
};

/**
 * Formats one change line.
 *
 * @param kind   What changes ('stock', 'price', …, or 'stock in warehouse N').
 * @param change The change.
 */
export function changeLine( kind: string, change: Change ): string {
	return `  line ${ change.line }: ${ change.sku }  ${ kind } ${ fmt( change.from ) } → ${ fmt( change.to ) }`;
}

const where = ( row: { line: number; file?: string } ) =>
	row.file ? `${ row.file }:${ row.line }` : `line ${ row.line }`;

const fieldLine = ( row: ErpRow, c: FieldChange ) =>
	`  ${ where( row ) }: ${ row.sku }  ${ c.field } ${ fmt( c.from ) } → ${ fmt( c.to ) }`;

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

function printPlan(
	plan: ErpPlan,
	print: ( line: string ) => void,
	listChanges: boolean
): void {
	const many = plan.stock.length > 1;
	if ( listChanges ) {
		for ( const r of plan.creates ) {
			print(
				`  ${ where( r ) }: ${ r.sku }  new: ${ fmt( r.name ) }${ r.price === null ? '' : `, price ${ fmt( r.price ) }` }`
			);
		}
		for ( const w of plan.stock ) {
			const kind = many
				? `stock in warehouse ${ w.warehouseId }`
				: 'stock';
			for ( const c of w.changes ) {
				print(
					c.file
						? `  ${ c.file }:${ c.line }: ${ c.sku }  ${ kind } ${ fmt( c.from ) } → ${ fmt( c.to ) }`
						: changeLine( kind, c )
				);
			}
		}
		for ( const o of plan.offers ) {
			o.changes.forEach( ( c ) => print( fieldLine( o.row, c ) ) );
		}
		for ( const p of plan.products ) {
			p.changes.forEach( ( c ) => print( fieldLine( p.row, c ) ) );
		}
	}
	for ( const n of plan.notes ) {
		print( `  ${ where( n.row ) }: ${ n.message }` );
	}
	for ( const r of plan.unknown ) {
		print( `  ${ where( r ) }: ${ r.sku }  not in keyCRM (skipped)` );
	}
	if ( plan.unknown.length > 0 ) {
		print(
			`  (${ plan.unknown.length } SKU(s) not in keyCRM: --create creates them)`
		);
	}
}

/** One planned write request. */
interface PlannedRequest {
	label: string;
	send: () => Promise< void >;
}

const lineRange = ( rows: readonly { line: number }[] ) => {
	const first = rows[ 0 ]?.line;
	const last = rows.at( -1 )?.line;
	return first === last ? `line ${ first }` : `lines ${ first }–${ last }`;
};

/**
 * The write requests of a plan, in sending order (stock last).
 *
 * @param opts        Options.
 * @param plan        The plan.
 * @param categoryIds Category path → id.
 */
function requests(
	opts: PushOptions,
	plan: ErpPlan,
	categoryIds: Map< string, number | null >
): PlannedRequest[] {
	const out: PlannedRequest[] = [];
	const client = opts.client;
	for ( const part of chunk( plan.creates, KEYCRM_LIMITS.importProducts ) ) {
		out.push( {
			label: `POST /products/import: ${ part.length } new products (${ lineRange( part ) })`,
			send: () =>
				importBatch(
					client,
					part.map( ( r ) => productBody( r, categoryIds ) )
				),
		} );
	}
	for ( const part of chunk( plan.offers, KEYCRM_LIMITS.updateOffers ) ) {
		const prices = part.filter(
			( o ) => o.update.price !== undefined
		).length;
		const purchase = part.filter(
			( o ) => o.update.purchased_price !== undefined
		).length;
		out.push( {
			label: `PUT /offers: ${ part.length } rows (price ${ prices }, purchase price ${ purchase })`,
			send: () => client.updateOffers( part.map( ( o ) => o.update ) ),
		} );
	}
	for ( const p of plan.products ) {
		out.push( {
			label: `PUT /products/${ p.productId }: ${ p.changes.map( ( c ) => c.field ).join( ', ' ) } of ${ p.row.sku } (${ where( p.row ) })`,
			send: async () => {
				await client.updateProduct( p.productId, p.update );
			},
		} );
	}
	for ( const w of plan.stock ) {
		for ( const part of chunk( w.changes, KEYCRM_LIMITS.updateStocks ) ) {
			out.push( {
				label: `PUT /offers/stocks warehouse ${ w.warehouseId }: ${ part.length } rows`,
				send: () =>
					client.updateStocks(
						w.warehouseId,
						part.map( ( c ) => ( { sku: c.sku, quantity: c.to } ) )
					),
			} );
		}
	}
	return out;
}

/**
 * The `POST /products/import` item of a row.
 *
 * @param r   Row.
 * @param ids Category path → id.
 */
function productBody(
	r: ErpRow,
	ids: Map< string, number | null >
): ProductCreate {
	const body: ProductCreate = { name: r.name ?? r.sku, sku: r.sku };
	if ( r.price !== null ) {
		body.price = r.price;
	}
	if ( r.purchasePrice !== null ) {
		body.purchased_price = r.purchasePrice;
	}
	if ( r.barcode !== null ) {
		body.barcode = r.barcode;
	}
	if ( r.unit !== null ) {
		body.unit_type = r.unit;
	}
	const category = r.category === null ? null : ids.get( r.category );
	if ( category ) {
		body.category_id = category;
	}
	return body;
}

/**
 * Sends one import batch. keyCRM answers no ids, so after an unknown outcome
 * (a 5xx or a lost connection after sending) the SKUs are looked up and only
 * the missing ones are sent again: a retry never makes duplicates.
 *
 * @param client   keyCRM client.
 * @param products Products.
 */
async function importBatch(
	client: PushClient,
	products: ProductCreate[]
): Promise< void > {
	try {
		await client.importProducts( products );
	} catch ( error ) {
		if ( ! ( error instanceof KeyCrmUnknownOutcomeError ) ) {
			throw error;
		}
		const found = await client.findOffersBySku(
			products.map( ( p ) => p.sku as string )
		);
		const missing = products.filter(
			( p ) => ! found.has( p.sku as string )
		);
		if ( missing.length > 0 ) {
			await client.importProducts( missing );
		}
	}
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
	let lastShown = 0;
	const read = await readRemoteStock(
		opts.client,
		rows.map( ( r ) => r.sku ),
		warehouseIds,
		( p ) => {
			if (
				p.requests === p.plannedRequests ||
				p.requests - lastShown >= 10
			) {
				lastShown = p.requests;
				opts.print(
					`reading keyCRM stock: ${ p.requests }/${ p.plannedRequests } requests`
				);
			}
		}
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
	let readRequests = read.requests + ( productRead?.requests ?? 0 );
	opts.print(
		opts.dryRun ? 'Would change (dry run, nothing is sent):' : 'Changes:'
	);
	printPlan( plan, opts.print, opts.listChanges ?? true );
	for ( const sku of read.duplicates ) {
		opts.print( `  warning: keyCRM holds SKU ${ sku } more than once` );
	}
	let writes = 0;
	const createdSkus = new Set( plan.creates.map( ( r ) => r.sku ) );
	const stockSkus = new Set< string >();
	for ( const w of plan.stock ) {
		for ( const c of w.changes ) {
			if ( ! createdSkus.has( c.sku ) ) {
				stockSkus.add( c.sku );
			}
		}
	}
	const summary = (): PushSummary => ( {
		rows: rows.length,
		stockChanges: stockSkus.size,
		priceChanges: plan.offers.length,
		productChanges: plan.products.length,
		created: plan.creates.length,
		nameless: plan.nameless,
		unchanged: plan.unchanged,
		unknown: plan.unknown.length,
		duplicatesInKeyCrm: read.duplicates.length,
		readRequests,
		writeRequests: writes,
		readStrategy: read.strategy,
		dryRun: opts.dryRun,
		plan,
	} );
	if ( plan.nameless.length > 0 && ! opts.skipInvalid ) {
		for ( const r of plan.nameless ) {
			opts.print(
				`  ${ where( r ) }: ${ r.sku }  cannot be created: the file gives no name`
			);
		}
		const s = summary();
		opts.print(
			`Nothing sent: ${ plan.nameless.length } new SKU(s) without a name.`
		);
		return s;
	}
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
			writes += opts.dryRun ? 0 : 1;
			opts.print(
				`${ opts.dryRun ? 'would send' : 'sent' }: POST /products/categories "${ path }"`
			);
		}
	);
	readRequests += categories.reads;
	const planned = requests( opts, plan, categories.ids );
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
		writes++;
		opts.print( `sent ${ done }/${ total }: ${ r.label }` );
	}
	const s = summary();
	opts.print( summaryLine( s, now() - started ) );
	return s;
}

/**
 * The closing summary line.
 *
 * @param s  Summary.
 * @param ms Elapsed milliseconds.
 */
export function summaryLine( s: PushSummary, ms: number ): string {
	const verb = s.dryRun ? 'would change' : 'changed';
	const extra =
		s.created || s.productChanges
			? `${ s.dryRun ? 'would create' : 'created' } ${ s.created }; product data of ${ s.productChanges }; `
			: '';
	return (
		`${ s.dryRun ? 'Dry run' : 'Done' }: ${ s.rows } rows; ${ verb } stock of ${ s.stockChanges } and price of ${ s.priceChanges } SKUs; ` +
		`${ s.unchanged } unchanged; ${ s.unknown } not in keyCRM; ${ extra }keyCRM requests: ${ s.readRequests } read (${ s.readStrategy }) + ` +
		`${ s.writeRequests } write${ s.dryRun ? ' (none sent)' : '' }; ${ ( ms / 1000 ).toFixed( 1 ) } s`
	);
}
