/**
 * `keycrm-sync push`: an ERP export → keyCRM, through the keyCRM client.
 *
 * Reads keyCRM's current stock (and prices), plans the changes, prints them,
 * and — unless it is a dry run — sends them: `PUT /offers/stocks` and
 * `PUT /offers` with up to 10,000 rows per request.
 */
import type { KeyCrmClient } from '../keycrm/client.js';
import {
	BULK_LIMIT,
	chunk,
	planPush,
	writeRequests,
	type Change,
	type PushPlan,
} from './plan-push.js';
import { readRemoteStock } from './read-remote-stock.js';
import type { StockRow } from './stock-row.js';

/** The client calls a push needs. */
export type PushClient = Pick<
	KeyCrmClient,
	'listStocks' | 'updateStocks' | 'updateOffers'
>;

export interface PushOptions {
	client: PushClient;
	rows: readonly StockRow[];
	warehouseId: number;
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
	stockChanges: number;
	priceChanges: number;
	unchanged: number;
	unknown: number;
	duplicatesInKeyCrm: number;
	readRequests: number;
	writeRequests: number;
	readStrategy: 'scan' | 'lookup';
	dryRun: boolean;
	plan: PushPlan;
}

const fmt = ( n: number | null ) =>
	n === null ? '—' : String( Math.round( n * 10000 ) / 10000 );

/**
 * Formats one change line.
 *
 * @param kind   'stock' or 'price'.
 * @param change The change.
 */
export function changeLine( kind: 'stock' | 'price', change: Change ): string {
	return `  line ${ change.line }: ${ change.sku }  ${ kind } ${ fmt( change.from ) } → ${ fmt( change.to ) }`;
}

function printPlan(
	plan: PushPlan,
	print: ( line: string ) => void,
	listChanges: boolean
): void {
	if ( listChanges ) {
		for ( const c of plan.stock ) {
			print( changeLine( 'stock', c ) );
		}
		for ( const c of plan.prices ) {
			print( changeLine( 'price', c ) );
		}
	}
	for ( const r of plan.unknown ) {
		print( `  line ${ r.line }: ${ r.sku }  not in keyCRM (skipped)` );
	}
}

async function send( opts: PushOptions, plan: PushPlan ): Promise< void > {
	const total = writeRequests( plan );
	let done = 0;
	for ( const part of chunk( plan.stock, BULK_LIMIT ) ) {
		await opts.client.updateStocks(
			opts.warehouseId,
			part.map( ( c ) => ( { sku: c.sku, quantity: c.to } ) )
		);
		opts.print(
			`sent ${ ++done }/${ total }: stock of ${ part.length } SKUs`
		);
	}
	for ( const part of chunk( plan.prices, BULK_LIMIT ) ) {
		await opts.client.updateOffers(
			part.map( ( c ) => ( { sku: c.sku, price: c.to } ) )
		);
		opts.print(
			`sent ${ ++done }/${ total }: prices of ${ part.length } SKUs`
		);
	}
}

/**
 * Runs a push.
 *
 * @param opts Options.
 */
export async function runPush( opts: PushOptions ): Promise< PushSummary > {
	const now = opts.now ?? Date.now;
	const started = now();
	const skus = opts.rows.map( ( r ) => r.sku );
	let lastShown = 0;
	const read = await readRemoteStock(
		opts.client,
		skus,
		opts.warehouseId,
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
	const plan = planPush( opts.rows, read.offers );
	opts.print(
		opts.dryRun ? 'Would change (dry run, nothing is sent):' : 'Changes:'
	);
	printPlan( plan, opts.print, opts.listChanges ?? true );
	for ( const sku of read.duplicates ) {
		opts.print( `  warning: keyCRM holds SKU ${ sku } more than once` );
	}
	if ( ! opts.dryRun ) {
		await send( opts, plan );
	}
	const summary: PushSummary = {
		rows: opts.rows.length,
		stockChanges: plan.stock.length,
		priceChanges: plan.prices.length,
		unchanged: plan.unchanged,
		unknown: plan.unknown.length,
		duplicatesInKeyCrm: read.duplicates.length,
		readRequests: read.requests,
		writeRequests: opts.dryRun ? 0 : writeRequests( plan ),
		readStrategy: read.strategy,
		dryRun: opts.dryRun,
		plan,
	};
	opts.print( summaryLine( summary, now() - started ) );
	return summary;
}

/**
 * The closing summary line.
 *
 * @param s  Summary.
 * @param ms Elapsed milliseconds.
 */
export function summaryLine( s: PushSummary, ms: number ): string {
	const verb = s.dryRun ? 'would change' : 'changed';
	return (
		`${ s.dryRun ? 'Dry run' : 'Done' }: ${ s.rows } rows; ${ verb } stock of ${ s.stockChanges } and price of ${ s.priceChanges } SKUs; ` +
		`${ s.unchanged } unchanged; ${ s.unknown } not in keyCRM; keyCRM requests: ${ s.readRequests } read (${ s.readStrategy }) + ` +
		`${ s.writeRequests } write${ s.dryRun ? ' (none sent)' : '' }; ${ ( ms / 1000 ).toFixed( 1 ) } s`
	);
}
