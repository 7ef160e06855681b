/**
 * The ERP push planner: compares an export with what keyCRM holds and lists
 * the requests, fewest first. A pure function.
 *
 * | change | keyCRM call | per request |
 * | --- | --- | --- |
 * | new SKU (`--create`) | `POST /products/import` | 100 |
 * | price, purchase price | `PUT /offers` keyed by sku | 10,000 |
 * | name, barcode, unit | `PUT /products/{id}` (no bulk call; `PUT /offers` takes neither) | 1 |
 * | stock | `PUT /offers/stocks`, one warehouse per request | 10,000 |
 */
import {
	KEYCRM_LIMITS,
	type OfferUpdate,
	type ProductUpdate,
} from '../keycrm/schemas.js';
import type { ErpRow } from './erp-row.js';
import type { RemoteOffer } from './plan-push.js';
import type { RemoteProduct } from './read-remote-products.js';

/** One value that changes. */
export interface FieldChange {
	field: 'price' | 'purchase price' | 'name' | 'barcode' | 'unit';
	from: number | string | null;
	to: number | string;
}

/** A stock level that changes in one warehouse. */
export interface StockChange {
	sku: string;
	line: number;
	file?: string;
	from: number | null;
	to: number;
}

export interface ErpPlan {
	/** New SKUs to create (`--create`), with a name. */
	creates: ErpRow[];
	/** New SKUs that cannot be created: no name in the file. */
	nameless: ErpRow[];
	/** New SKUs without `--create`: listed, not sent. */
	unknown: ErpRow[];
	/** `PUT /offers` rows. */
	offers: { row: ErpRow; update: OfferUpdate; changes: FieldChange[] }[];
	/** `PUT /products/{id}` requests. */
	products: {
		row: ErpRow;
		productId: number;
		update: ProductUpdate;
		changes: FieldChange[];
	}[];
	/** Changes the API cannot make (a variant's name is its product's). */
	notes: { row: ErpRow; message: string }[];
	/** Stock per warehouse, in the export's warehouse order. */
	stock: { warehouseId: number; changes: StockChange[] }[];
	/** Rows with nothing to change. */
	unchanged: number;
}

const sameNumber = ( a: number | null | undefined, b: number, eps: number ) =>
	a !== null && a !== undefined && Math.abs( a - b ) < eps;

/**
 * Plans a push.
 *
 * @param rows         Valid rows.
 * @param warehouseIds Warehouse ids aligned with each row's `stock`.
 * @param offers       keyCRM's stock and prices by SKU.
 * @param products     keyCRM's product data by SKU (null: not read, names and barcodes not compared).
 * @param create       `--create`.
 */
export function planErpPush(
	rows: readonly ErpRow[],
	warehouseIds: readonly number[],
	offers: ReadonlyMap< string, RemoteOffer >,
	products: ReadonlyMap< string, RemoteProduct > | null,
	create: boolean
): ErpPlan {
	const plan: ErpPlan = {
		creates: [],
		nameless: [],
		unknown: [],
		offers: [],
		products: [],
		notes: [],
		stock: warehouseIds.map( ( warehouseId ) => ( {
			warehouseId,
			changes: [],
		} ) ),
		unchanged: 0,
	};
	for ( const row of rows ) {
		const remote = offers.get( row.sku );
		if ( ! remote ) {
			if ( ! create ) {
				plan.unknown.push( row );
			} else if ( row.name === null ) {
				plan.nameless.push( row );
			} else {
				plan.creates.push( row );
				addStock( plan, row, null );
			}
			continue;
		}
		let changed = addStock( plan, row, remote );
		changed = addOfferUpdate( plan, row, remote ) || changed;
		const product = products?.get( row.sku );
		if ( product ) {
			changed = addProductUpdate( plan, row, product ) || changed;
		}
		if ( ! changed ) {
			plan.unchanged++;
		}
	}
	return plan;
}

/**
 * Adds the row's stock changes (every given level of a new SKU but zeros).
 *
 * @param plan   Plan.
 * @param row    Row.
 * @param remote keyCRM's numbers (null: a new SKU).
 */
function addStock(
	plan: ErpPlan,
	row: ErpRow,
	remote: RemoteOffer | null
): boolean {
	let changed = false;
	plan.stock.forEach( ( w, i ) => {
		const to = row.stock[ i ];
		if ( to === null || to === undefined ) {
			return;
		}
		const from = remote
			? ( remote.stock?.get( w.warehouseId ) ??
				( i === 0 ? remote.quantity : 0 ) )
			: null;
		if ( from === null ? to === 0 : sameNumber( from, to, 1e-9 ) ) {
			return;
		}
		w.changes.push( {
			sku: row.sku,
			line: row.line,
			...( row.file === undefined ? {} : { file: row.file } ),
			from,
			to,
		} );
		changed = true;
	} );
	return changed;
}

/**
 * Adds a `PUT /offers` row when the price or purchase price changed.
 *
 * @param plan   Plan.
 * @param row    Row.
 * @param remote keyCRM's numbers.
 */
function addOfferUpdate(
	plan: ErpPlan,
	row: ErpRow,
	remote: RemoteOffer
): boolean {
	const update: OfferUpdate = { sku: row.sku };
	const changes: FieldChange[] = [];
	if (
		row.price !== null &&
		! sameNumber( remote.price, row.price, 0.005 )
	) {
		update.price = row.price;
		changes.push( { field: 'price', from: remote.price, to: row.price } );
	}
	if (
		row.purchasePrice !== null &&
		! sameNumber( remote.purchasePrice, row.purchasePrice, 0.005 )
	) {
		update.purchased_price = row.purchasePrice;
		changes.push( {
			field: 'purchase price',
			from: remote.purchasePrice ?? null,
			to: row.purchasePrice,
		} );
	}
	if ( changes.length === 0 ) {
		return false;
	}
	plan.offers.push( { row, update, changes } );
	return true;
}

/**
 * Adds a `PUT /products/{id}` request when the name, barcode or unit changed.
 *
 * @param plan    Plan.
 * @param row     Row.
 * @param product keyCRM's product data.
 */
function addProductUpdate(
	plan: ErpPlan,
	row: ErpRow,
	product: RemoteProduct
): boolean {
	const changes: FieldChange[] = [];
	const update: ProductUpdate = {};
	if ( row.name !== null && row.name !== product.name ) {
		changes.push( { field: 'name', from: product.name, to: row.name } );
		update.name = row.name;
	}
	if ( row.barcode !== null && row.barcode !== product.barcode ) {
		changes.push( {
			field: 'barcode',
			from: product.barcode,
			to: row.barcode,
		} );
		update.barcode = row.barcode;
	}
	if ( row.unit !== null && row.unit !== product.unit ) {
		changes.push( { field: 'unit', from: product.unit, to: row.unit } );
		update.unit_type = row.unit;
	}
	if ( changes.length === 0 ) {
		return false;
	}
	if ( product.hasOffers ) {
		// A variant's name and unit are its product's; its barcode has no public write call.
		plan.notes.push( {
			row,
			message: `${ changes.map( ( c ) => c.field ).join( ', ' ) } not changed: "${ row.sku }" is a variant of keyCRM product ${ product.productId }`,
		} );
		return false;
	}
	plan.products.push( {
		row,
		productId: product.productId,
		update,
		changes,
	} );
	return true;
}

/**
 * Write requests a plan needs (category creates not included).
 *
 * @param plan The plan.
 */
export function erpWriteRequests( plan: ErpPlan ): number {
	return (
		Math.ceil( plan.creates.length / KEYCRM_LIMITS.importProducts ) +
		Math.ceil( plan.offers.length / KEYCRM_LIMITS.updateOffers ) +
		plan.products.length +
		plan.stock.reduce(
			( n, w ) =>
				n + Math.ceil( w.changes.length / KEYCRM_LIMITS.updateStocks ),
			0
		)
	);
}
