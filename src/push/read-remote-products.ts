/**
 * Reads the product side of SKUs keyCRM holds (product id, name, barcode,
 * unit, whether the product has variants) with `GET /offers?include=product`:
 * a full scan when the account is smaller than the lookups would be, else
 * lookups of 50 SKUs per request. Only needed when the file carries names,
 * barcodes or units (prices and stock come from the stock read).
 */
import type { KeyCrmClient } from '../keycrm/client.js';
import { KEYCRM_LIMITS, type Offer } from '../keycrm/schemas.js';

export type ProductReadClient = Pick< KeyCrmClient, 'listOffers' >;

/** keyCRM's product data for one SKU. */
export interface RemoteProduct {
	productId: number;
	name: string | null;
	barcode: string | null;
	unit: string | null;
	/** The SKU is a variant of a product with several (its name is the product's). */
	hasOffers: boolean;
}

export interface RemoteProductRead {
	products: Map< string, RemoteProduct >;
	requests: number;
}

/**
 * Reads product data for `skus`.
 *
 * @param client       keyCRM client.
 * @param skus         SKUs keyCRM holds.
 * @param accountPages Pages a full scan takes (from the stock read).
 */
export async function readRemoteProducts(
	client: ProductReadClient,
	skus: readonly string[],
	accountPages: number
): Promise< RemoteProductRead > {
	const size = KEYCRM_LIMITS.pageSize;
	const wanted = new Set( skus );
	const out: RemoteProductRead = { products: new Map(), requests: 0 };
	if ( skus.length === 0 ) {
		return out;
	}
	const take = ( offer: Offer ) => {
		if (
			offer.sku === null ||
			! wanted.has( offer.sku ) ||
			out.products.has( offer.sku )
		) {
			return;
		}
		out.products.set( offer.sku, {
			productId: offer.product_id,
			name: offer.product?.name ?? null,
			barcode: offer.barcode ?? null,
			unit: offer.product?.unit_type ?? null,
			hasOffers: offer.product?.has_offers ?? false,
		} );
	};
	const lookups = Math.ceil( skus.length / size );
	if ( accountPages <= lookups ) {
		for ( let page = 1; page <= Math.max( 1, accountPages ); page++ ) {
			const p = await client.listOffers( {
				include: 'product',
				limit: size,
				page,
			} );
			out.requests++;
			p.data.forEach( take );
			if ( p.current_page >= p.last_page ) {
				break;
			}
		}
		return out;
	}
	for ( let i = 0; i < skus.length; i += size ) {
		const chunk = skus.slice( i, i + size );
		for ( let page = 1; ; page++ ) {
			const p = await client.listOffers( {
				filter: { sku: chunk },
				include: 'product',
				limit: size,
				page,
			} );
			out.requests++;
			p.data.forEach( take );
			if ( p.current_page >= p.last_page || p.data.length === 0 ) {
				break;
			}
		}
	}
	return out;
}
