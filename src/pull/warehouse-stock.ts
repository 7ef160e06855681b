/**
 * Reading one offer's stock numbers out of a `GET /offers/stocks` row.
 */
import type { OfferStock } from '../keycrm/schemas.js';

/** keyCRM's numbers for one offer, in the shape of keyCRM's stock webhook. */
export interface OfferStockNumbers {
	sku: string;
	offer_id: number;
	/** Total stock (of the warehouse when one is configured). */
	in_stock: number;
	/** Reserved part of it. */
	in_reserve: number;
}

/**
 * The numbers of a stock row: the configured warehouse's (`filter[details]=true` rows carry a
 * `warehouse[]` breakdown; an offer absent from that warehouse holds 0 there), or the account-wide
 * totals when no warehouse is configured. Rows without a SKU return null (nothing to match by).
 *
 * @param row         A stock row.
 * @param warehouseId Warehouse id, or null for totals.
 */
export function stockNumbers(
	row: OfferStock,
	warehouseId: number | null
): OfferStockNumbers | null {
	if ( row.sku === null || row.sku === '' ) {
		return null;
	}
	if ( warehouseId === null ) {
		return {
			sku: row.sku,
			offer_id: row.id,
			in_stock: row.quantity,
			in_reserve: row.reserve,
		};
	}
	const w = ( row.warehouse ?? [] ).find(
		( entry ) => entry.id === warehouseId
	);
	return {
		sku: row.sku,
		offer_id: row.id,
		in_stock: w?.quantity ?? 0,
		in_reserve: w?.reserve ?? 0,
	};
}
