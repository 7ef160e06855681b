/**
 * `POST /products/import` (simple products) and `POST /products/{id}/offers`
 * (variations): rows keyCRM refuses are isolated, rows whose outcome is
 * unknown are looked up before anything is sent again, so retries never
 * duplicate a SKU.
 */
import { sendBulk } from '../bulk.js';
import type { CreateOffersCall, ImportCall } from '../plan.js';
import {
	collect,
	established,
	type CallOutcome,
	type ExecContext,
} from './context.js';
import { staleCategory } from './categories.js';
import { lookup } from './lookup.js';

/**
 * The `import` call.
 *
 * @param call The call.
 * @param ctx  Context.
 * @param out  Outcome to fill.
 */
export async function performImport(
	call: ImportCall,
	ctx: ExecContext,
	out: CallOutcome
): Promise< void > {
	await createRows(
		ctx,
		out,
		call,
		'products',
		( idx ) =>
			ctx.client.importProducts(
				idx.map(
					( i ) =>
						call.products[ i ] as ( typeof call.products )[ number ]
				)
			),
		null,
		( i, message ) =>
			staleCategory( ctx, call.products[ i ]?.category_id, message )
	);
}

/**
 * The `createOffers` call.
 *
 * @param call The call.
 * @param ctx  Context.
 * @param out  Outcome to fill.
 */
export async function performCreateOffers(
	call: CreateOffersCall,
	ctx: ExecContext,
	out: CallOutcome
): Promise< void > {
	await createRows(
		ctx,
		out,
		call,
		'offers',
		( idx ) =>
			ctx.client.createOffers(
				call.productId,
				idx.map(
					( i ) =>
						call.offers[ i ] as ( typeof call.offers )[ number ]
				)
			),
		call.productId
	);
}

/**
 * Create rows (import or variations); unknown outcomes are looked up.
 *
 * @param ctx       Context.
 * @param out       Outcome.
 * @param call      The call (its SKUs are the rows, by index).
 * @param field     Array field name in keyCRM errors.
 * @param send      Sends rows by index.
 * @param productId keyCRM product of the variations (null for imports).
 * @param kept      Whether a rejected row stays in hand (not failed) instead.
 */
async function createRows(
	ctx: ExecContext,
	out: CallOutcome,
	call: ImportCall | CreateOffersCall,
	field: string,
	send: ( idx: number[] ) => Promise< void >,
	productId: number | null,
	kept: ( index: number, message: string ) => boolean = () => false
): Promise< void > {
	const { skus } = call;
	const r = await sendBulk(
		skus.map( ( _, i ) => i ),
		field,
		send
	);
	r.rejected = r.rejected.filter( ( x ) => ! kept( x.row, x.message ) );
	const created = (
		sku: string,
		ids: { offerId?: number; productId?: number | null }
	) =>
		ctx.state.patch( sku, {
			exists: 'yes',
			created: true,
			offerHash: established( call, sku, 'offerHash' ),
			productHash: established( call, sku, 'productHash' ),
			...ids,
		} );
	r.ok.forEach( ( i ) =>
		created( skus[ i ] as string, productId === null ? {} : { productId } )
	);
	collect( r, ( i ) => skus[ i ] as string, out );
	if ( r.unknown.length ) {
		const unknown = r.unknown.map( ( i ) => skus[ i ] as string );
		unknown.forEach( ( sku ) =>
			ctx.state.patch( sku, { exists: 'unknown' } )
		);
		// Never create again blindly: learn what keyCRM holds first.
		await lookup( unknown, ctx, ( sku, offer ) =>
			created( sku, { offerId: offer.id, productId: offer.product_id } )
		);
	}
}
