/**
 * The push planner: compares an ERP export with what keyCRM holds and lists
 * the changes, chunked into the fewest keyCRM requests. A pure function.
 */
import type { StockRow } from './stock-row.js';

/** What keyCRM holds for one SKU (stock in the target warehouse). */
export interface RemoteOffer {
	offerId: number;
	/** Stock in the target warehouse (0 when the offer has none there). */
	quantity: number;
	price: number | null;
	/** Purchase price (read by the ERP push; absent in older callers). */
	purchasePrice?: number | null;
	/** Stock per warehouse read (ERP push with several warehouses). */
	stock?: Map< number, number >;
}

export interface Change {
	sku: string;
	line: number;
	from: number | null;
	to: number;
}

export interface PushPlan {
	stock: Change[];
	prices: Change[];
	/** Rows whose stock (and price, when given) already match. */
	unchanged: number;
	/** Rows whose SKU keyCRM does not know (not sent: keyCRM has no offer to update). */
	unknown: StockRow[];
}

/** keyCRM's limit for `PUT /offers/stocks` and `PUT /offers`. */
export const BULK_LIMIT = 10_000;

const sameQuantity = ( a: number, b: number ) => Math.abs( a - b ) < 1e-9;
const samePrice = ( a: number | null, b: number ) =>
	a !== null && Math.abs( a - b ) < 0.005;

/**
 * Plans a push.
 *
 * @param rows    Validated rows of the file.
 * @param current keyCRM's state by SKU (SKUs absent from it are unknown to keyCRM).
 */
export function planPush(
	rows: readonly StockRow[],
	current: ReadonlyMap< string, RemoteOffer >
): PushPlan {
	const plan: PushPlan = { stock: [], prices: [], unchanged: 0, unknown: [] };
	for ( const row of rows ) {
		const remote = current.get( row.sku );
		if ( ! remote ) {
			plan.unknown.push( row );
			continue;
		}
		let changed = false;
		if ( ! sameQuantity( remote.quantity, row.quantity ) ) {
			plan.stock.push( {
				sku: row.sku,
				line: row.line,
				from: remote.quantity,
				to: row.quantity,
			} );
			changed = true;
		}
		if ( row.price !== null && ! samePrice( remote.price, row.price ) ) {
			plan.prices.push( {
				sku: row.sku,
				line: row.line,
				from: remote.price,
				to: row.price,
			} );
			changed = true;
		}
		if ( ! changed ) {
			plan.unchanged++;
		}
	}
	return plan;
}

/**
 * Number of write requests a plan needs.
 *
 * @param plan The plan.
 */
export function writeRequests( plan: PushPlan ): number {
	return (
		Math.ceil( plan.stock.length / BULK_LIMIT ) +
		Math.ceil( plan.prices.length / BULK_LIMIT )
	);
}
