/**
 * `PUT /offers/stocks` and `PUT /offers`: bulk rows of SKUs keyCRM holds;
 * rows keyCRM refuses are isolated (bulk.ts), the others are recorded.
 */
import { sendBulk } from '../bulk.js';
import type { OffersCall, StocksCall } from '../plan.js';
import {
	collect,
	established,
	type CallOutcome,
	type ExecContext,
} from './context.js';

/**
 * The `stocks` call.
 *
 * @param call The call.
 * @param ctx  Context.
 * @param out  Outcome to fill.
 */
export async function performStocks(
	call: StocksCall,
	ctx: ExecContext,
	out: CallOutcome
): Promise< void > {
	const r = await sendBulk( call.rows, 'stocks', ( rows ) =>
		ctx.client.updateStocks(
			call.warehouseId,
			rows.map( ( { sku, quantity } ) => ( { sku, quantity } ) )
		)
	);
	r.ok.forEach( ( row ) =>
		ctx.state.patch( row.sku, {
			pushedStock: row.quantity,
			exists: 'yes',
		} )
	);
	collect( r, ( row ) => row.sku, out );
}

/**
 * The `offers` call.
 *
 * @param call The call.
 * @param ctx  Context.
 * @param out  Outcome to fill.
 */
export async function performOffers(
	call: OffersCall,
	ctx: ExecContext,
	out: CallOutcome
): Promise< void > {
	const r = await sendBulk( call.rows, 'offers', ( rows ) =>
		ctx.client.updateOffers( rows )
	);
	r.ok.forEach( ( row ) =>
		ctx.state.patch( row.sku, {
			offerHash: established( call, row.sku, 'offerHash' ),
			exists: 'yes',
		} )
	);
	collect( r, ( row ) => row.sku, out );
}
