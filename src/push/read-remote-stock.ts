/**
 * Reads what keyCRM holds for a set of SKUs (stock per warehouse, prices),
 * with the fewest `GET /offers/stocks` requests: a full scan when the account
 * has fewer offers than the file has SKUs, else lookups of 50 SKUs per request.
 */
import type { KeyCrmClient } from '../keycrm/client.js';
import {
	KEYCRM_LIMITS,
	type OfferStock,
	type Page,
} from '../keycrm/schemas.js';
import { lookupRequests, scanIsCheaper } from '../keycrm/read-cost.js';
import { stockNumbers } from '../pull/warehouse-stock.js';
import { chunk } from '../util/chunk.js';
import type { RemoteOffer } from './plan-push.js';

/** The client calls the reader needs. */
export type StockReadClient = Pick< KeyCrmClient, 'listStocks' >;

export interface RemoteStockRead {
	offers: Map< string, RemoteOffer >;
	/** Pages of 50 the whole account takes (a full scan's cost). */
	accountPages: number;
	/** SKUs keyCRM holds more than once (the first offer is used). */
	duplicates: string[];
	strategy: 'scan' | 'lookup';
	requests: number;
}

export interface ReadProgress {
	requests: number;
	/** Requests the read will take in total (known after the first page). */
	plannedRequests: number;
}

/**
 * Reads keyCRM's stock and price for `skus`.
 *
 * @param client      keyCRM client.
 * @param skus        SKUs of the file.
 * @param warehouseId Warehouse(s) whose stock is compared (the first one fills `quantity`).
 * @param onProgress  Called after every request.
 */
export async function readRemoteStock(
	client: StockReadClient,
	skus: readonly string[],
	warehouseId: number | readonly number[],
	onProgress: ( p: ReadProgress ) => void = () => {}
): Promise< RemoteStockRead > {
	const size = KEYCRM_LIMITS.pageSize;
	const wanted = new Set( skus );
	const result: RemoteStockRead = {
		offers: new Map(),
		accountPages: 0,
		duplicates: [],
		strategy: 'scan',
		requests: 0,
	};
	const warehouses =
		typeof warehouseId === 'number' ? [ warehouseId ] : warehouseId;
	const take = ( page: Page< OfferStock > ) => {
		result.requests++;
		for ( const row of page.data ) {
			keep( result, row, wanted, warehouses );
		}
	};
	const first = await client.listStocks( {
		filter: { details: true },
		limit: size,
		page: 1,
	} );
	take( first );
	const scanPages = first.last_page;
	result.accountPages = scanPages;
	const missing = () => skus.filter( ( s ) => ! result.offers.has( s ) );
	if ( scanIsCheaper( scanPages - 1, missing().length ) ) {
		onProgress( { requests: result.requests, plannedRequests: scanPages } );
		for ( let page = 2; page <= scanPages; page++ ) {
			take(
				await client.listStocks( {
					filter: { details: true },
					limit: size,
					page,
				} )
			);
			onProgress( {
				requests: result.requests,
				plannedRequests: scanPages,
			} );
		}
		return result;
	}
	result.strategy = 'lookup';
	const rest = missing();
	const planned = 1 + lookupRequests( rest.length );
	onProgress( { requests: result.requests, plannedRequests: planned } );
	for ( const part of chunk( rest, size ) ) {
		for ( let page = 1; ; page++ ) {
			const p = await client.listStocks( {
				filter: { offers_sku: part, details: true },
				limit: size,
				page,
			} );
			take( p );
			if ( p.current_page >= p.last_page || p.data.length === 0 ) {
				break;
			}
		}
		onProgress( {
			requests: result.requests,
			plannedRequests: Math.max( planned, result.requests ),
		} );
	}
	return result;
}

/**
 * Records a row when its SKU is wanted (keyCRM ignores unknown filters, so
 * rows are always checked against the request).
 *
 * @param result     Accumulated result.
 * @param row        Stock row.
 * @param wanted     SKUs of the file.
 * @param warehouses Warehouses.
 */
function keep(
	result: RemoteStockRead,
	row: OfferStock,
	wanted: Set< string >,
	warehouses: readonly number[]
): void {
	const numbers = stockNumbers( row, warehouses[ 0 ] ?? null );
	if ( ! numbers || ! wanted.has( numbers.sku ) ) {
		return;
	}
	const known = result.offers.get( numbers.sku );
	if ( known ) {
		if (
			known.offerId !== row.id &&
			! result.duplicates.includes( numbers.sku )
		) {
			result.duplicates.push( numbers.sku );
		}
		return;
	}
	const stock = new Map< number, number >();
	for ( const id of warehouses ) {
		stock.set( id, stockNumbers( row, id )?.in_stock ?? 0 );
	}
	result.offers.set( numbers.sku, {
		offerId: row.id,
		quantity: numbers.in_stock,
		price: row.price ?? null,
		purchasePrice: row.purchased_price ?? null,
		stock,
	} );
}
