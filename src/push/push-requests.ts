/**
 * The write requests of a push plan, in sending order: new products
 * (`POST /products/import`), prices (`PUT /offers`), product data
 * (`PUT /products/{id}`), stock last (`PUT /offers/stocks`).
 */
import { KeyCrmUnknownOutcomeError } from '../keycrm/errors.js';
import { KEYCRM_LIMITS, type ProductCreate } from '../keycrm/schemas.js';
import { chunk } from '../util/chunk.js';
import type { ErpRow } from './erp-row.js';
import type { ErpPlan } from './plan-erp.js';
import { where } from './push-report.js';
import type { PushClient } from './run-push.js';

/** One planned write request. */
export interface PlannedRequest {
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
 * @param client      keyCRM client.
 * @param plan        The plan.
 * @param categoryIds Category path → id.
 */
export function plannedRequests(
	client: PushClient,
	plan: ErpPlan,
	categoryIds: Map< string, number | null >
): PlannedRequest[] {
	const out: PlannedRequest[] = [];
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
