/**
 * The offer census: when many SKUs of unknown existence are waiting, one
 * cheap probe (`GET /offers?limit=50`) tells how big keyCRM's catalogue is;
 * if scanning it whole costs fewer requests than looking the SKUs up in
 * chunks of 50, the sender scans it once and then knows, without further
 * requests, which SKUs exist (an empty keyCRM costs one request in all).
 */
import type { KeyCrmClient } from '../keycrm/client.js';
import { KEYCRM_LIMITS } from '../keycrm/schemas.js';
import type { OfferIds } from './state.js';

/** Decision input. */
export interface CensusInput {
	client: KeyCrmClient;
	/** SKUs in hand whose existence nobody knows. */
	unknownInHand: number;
	/** Dirty rows still waiting in the outbox (they may be unknown too). */
	backlog: number;
}

/**
 * Take the census if it is the cheaper way; null when lookups are cheaper.
 *
 * @param input Client and counts.
 */
export async function maybeTakeCensus(
	input: CensusInput
): Promise< Map< string, OfferIds > | null > {
	const size = KEYCRM_LIMITS.pageSize;
	const first = await input.client.listOffers( { limit: size, page: 1 } );
	const scanCost = Math.ceil( first.total / size );
	const lookupCost = Math.ceil(
		( input.unknownInHand + input.backlog ) / size
	);
	if ( scanCost > lookupCost ) {
		return null;
	}
	const census = new Map< string, OfferIds >();
	const add = ( o: {
		sku: string | null;
		id: number;
		product_id: number;
	} ) => {
		if ( o.sku !== null && ! census.has( o.sku ) ) {
			census.set( o.sku, { offerId: o.id, productId: o.product_id } );
		}
	};
	first.data.forEach( add );
	for ( let page = 2; page <= first.last_page; page++ ) {
		const next = await input.client.listOffers( { limit: size, page } );
		next.data.forEach( add );
		if ( next.data.length === 0 ) {
			break;
		}
	}
	return census;
}
