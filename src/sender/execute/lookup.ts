/**
 * `GET /offers?filter[sku]=…`: learn which SKUs keyCRM holds and their ids.
 */
import type { Offer } from '../../keycrm/schemas.js';
import type { LookupCall } from '../plan.js';
import type { ExecContext } from './context.js';

/**
 * Look SKUs up (≤50 per request) and record ids / absence.
 *
 * @param skus    SKUs.
 * @param ctx     Context.
 * @param onFound Extra handling of a found SKU.
 */
export async function lookup(
	skus: string[],
	ctx: ExecContext,
	onFound?: ( sku: string, offer: Offer ) => void
): Promise< void > {
	const found = await ctx.client.findOffersBySku( skus );
	for ( const sku of skus ) {
		const offers = found.get( sku );
		const offer = offers?.[ 0 ];
		if ( ! offer ) {
			ctx.state.patch( sku, { exists: 'no' } );
			continue;
		}
		if ( offers.length > 1 ) {
			ctx.onDuplicate?.( sku, offers.length );
		}
		ctx.state.patch( sku, {
			exists: 'yes',
			offerId: offer.id,
			productId: offer.product_id,
		} );
		const item = ctx.items.get( sku );
		if ( item?.type === 'variation' && item.parent_id !== null ) {
			ctx.state.parents.set( item.parent_id, offer.product_id );
		}
		onFound?.( sku, offer );
	}
}

/**
 * The `lookup` call.
 *
 * @param call The call.
 * @param ctx  Context.
 */
export async function performLookup(
	call: LookupCall,
	ctx: ExecContext
): Promise< void > {
	await lookup( call.skus, ctx );
}
