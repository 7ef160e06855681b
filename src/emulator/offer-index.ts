/**
 * Lookup indexes of the emulator's offers: by SKU (several offers when
 * duplicates were created) and by product.
 */
import type { OfferRec } from './records.js';

const EMPTY: ReadonlySet< number > = new Set();

/** SKU → offer ids and product id → offer ids. */
export class OfferIndex {
	private readonly skus = new Map< string, Set< number > >();
	private readonly products = new Map< number, Set< number > >();

	/**
	 * Index an offer under its current SKU and product.
	 *
	 * @param offer The offer.
	 */
	add( offer: OfferRec ): void {
		if ( offer.sku !== null ) {
			addTo( this.skus, offer.sku, offer.id );
		}
		addTo( this.products, offer.product_id, offer.id );
	}

	/**
	 * Remove an offer (call before changing its SKU, then `add` again).
	 *
	 * @param offer The offer.
	 */
	remove( offer: OfferRec ): void {
		if ( offer.sku !== null ) {
			this.skus.get( offer.sku )?.delete( offer.id );
		}
		this.products.get( offer.product_id )?.delete( offer.id );
	}

	/**
	 * Ids of offers with exactly this SKU.
	 *
	 * @param sku SKU.
	 */
	bySku( sku: string ): ReadonlySet< number > {
		return this.skus.get( sku ) ?? EMPTY;
	}

	/**
	 * Ids of a product's offers.
	 *
	 * @param productId Product id.
	 */
	byProduct( productId: number ): ReadonlySet< number > {
		return this.products.get( productId ) ?? EMPTY;
	}
}

/**
 * Add `value` to the set stored under `key`.
 *
 * @param map   Map of sets.
 * @param key   Key.
 * @param value Value.
 */
function addTo< K >(
	map: Map< K, Set< number > >,
	key: K,
	value: number
): void {
	let set = map.get( key );
	if ( ! set ) {
		set = new Set();
		map.set( key, set );
	}
	set.add( value );
}
