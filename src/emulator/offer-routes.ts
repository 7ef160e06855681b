/**
 * Emulator routes for offers and stock.
 */
import { OfferUpdateBody, StockUpdateBody } from '../keycrm/schemas.js';
import { HttpError } from './http-error.js';
import { paginate } from './paging.js';
import {
	boolFilter,
	idList,
	statusTrue,
	stringList,
	type Route,
	type RouteContext,
} from './route-types.js';
import type { OfferRec } from './store.js';
import { rejectChosenSkus, validateBody } from './validate.js';
import { offerView, stockView } from './views.js';

/**
 * Resolve every row of a bulk body to offers; unknown ids/SKUs reject the
 * whole batch with a 422 naming the rows (INFERRED: keyCRM does not document
 * skip-vs-reject, API-NOTES (f)2; rejecting is the stricter choice).
 *
 * @param ctx   Route context.
 * @param field Array field name.
 * @param rows  Rows keyed by id or sku.
 */
function resolveRows< R extends { id?: number; sku?: string } >(
	ctx: RouteContext,
	field: string,
	rows: readonly R[]
): [ R, OfferRec[] ][] {
	const errors: Record< string, string[] > = {};
	const resolved = rows.map( ( row, i ): [ R, OfferRec[] ] => {
		const offers = ctx.store.resolve( row );
		if ( offers.length === 0 ) {
			const key = row.id !== undefined ? 'id' : 'sku';
			errors[ `${ field }.${ i }.${ key }` ] = [
				`The selected ${ field }.${ i }.${ key } is invalid.`,
			];
		}
		return [ row, offers ];
	} );
	if ( Object.keys( errors ).length ) {
		throw HttpError.validation( errors );
	}
	return resolved;
}

/**
 * Offers matching `GET /offers` filters, sorted by `sort` (id, -id, product_id, -product_id).
 *
 * @param ctx Route context.
 */
function filteredOffers( ctx: RouteContext ): readonly OfferRec[] {
	const q = ctx.query;
	const ids = idList( q.get( 'filter[id]' ) );
	const products = idList( q.get( 'filter[product_id]' ) );
	const skus = stringList( q.get( 'filter[sku]' ) );
	const archived = boolFilter( q.get( 'filter[is_archived]' ) );
	const unfiltered = ! ids && ! products && ! skus && archived === undefined;
	const sort = q.get( 'sort' ) ?? 'id';
	const base = candidates( ctx, skus );
	if ( unfiltered && sort === 'id' ) {
		return base;
	}
	const items = base.filter(
		( o ) =>
			( ! ids || ids.has( o.id ) ) &&
			( ! products || products.has( o.product_id ) ) &&
			( ! skus || ( o.sku !== null && skus.has( o.sku ) ) ) &&
			( archived === undefined || o.is_archived === archived )
	);
	if ( sort.replace( /^-/, '' ) === 'product_id' ) {
		items.sort( ( a, b ) => a.product_id - b.product_id || a.id - b.id );
	}
	// `items` is in id order already (see `candidates`): only reverse for descending sorts.
	return sort.startsWith( '-' ) ? items.reverse() : items;
}

/**
 * Offers to filter, in id order: via the SKU index when filtering by SKU
 * (fast for large catalogues), else all (the Map keeps insertion order, and
 * ids only grow).
 *
 * @param ctx  Route context.
 * @param skus SKU filter.
 */
function candidates(
	ctx: RouteContext,
	skus: Set< string > | undefined
): readonly OfferRec[] {
	if ( skus ) {
		return [ ...skus ]
			.flatMap( ( s ) => ctx.store.findBySku( s ) )
			.sort( ( a, b ) => a.id - b.id );
	}
	return ctx.store.offerList();
}

export const offerRoutes: Route[] = [
	{
		method: 'GET',
		template: '/offers',
		handle( ctx ) {
			const withProduct = ( ctx.query.get( 'include' ) ?? '' )
				.split( ',' )
				.includes( 'product' );
			return {
				status: 200,
				body: paginate(
					filteredOffers( ctx ),
					ctx.query,
					`${ ctx.apiUrl }/offers`,
					( o ) => offerView( ctx.store, o, withProduct )
				),
			};
		},
	},
	{
		method: 'PUT',
		template: '/offers',
		handle( ctx ) {
			const body = validateBody( OfferUpdateBody, ctx.body );
			rejectChosenSkus( 'offers', body.offers, ctx.rejectSkus );
			const stamp = ctx.store.stamp();
			for ( const [ row, offers ] of resolveRows(
				ctx,
				'offers',
				body.offers
			) ) {
				const { id: _id, sku: _sku, ...fields } = row;
				const set = Object.fromEntries(
					Object.entries( fields ).filter(
						( [ , v ] ) => v !== undefined
					)
				);
				offers.forEach( ( o ) =>
					Object.assign( o, set, { updated_at: stamp } )
				);
			}
			return statusTrue( 202 );
		},
	},
	{
		method: 'GET',
		template: '/offers/stocks',
		handle( ctx ) {
			const q = ctx.query;
			const ids = idList( q.get( 'filter[offers_id]' ) );
			const skus = stringList( q.get( 'filter[offers_sku]' ) );
			const details = boolFilter( q.get( 'filter[details]' ) ) === true;
			const base = candidates( ctx, skus );
			const items =
				! ids && ! skus
					? base
					: base.filter(
							( o ) =>
								( ! ids || ids.has( o.id ) ) &&
								( ! skus ||
									( o.sku !== null && skus.has( o.sku ) ) )
						);
			return {
				status: 200,
				body: paginate(
					items,
					q,
					`${ ctx.apiUrl }/offers/stocks`,
					( o ) => stockView( ctx.store, o, details )
				),
			};
		},
	},
	{
		method: 'PUT',
		template: '/offers/stocks',
		handle( ctx ) {
			const body = validateBody( StockUpdateBody, ctx.body );
			if (
				! ctx.store.warehouses.some(
					( w ) => w.id === body.warehouse_id
				)
			) {
				throw HttpError.validation( {
					warehouse_id: [ 'The selected warehouse id is invalid.' ],
				} );
			}
			rejectChosenSkus( 'stocks', body.stocks, ctx.rejectSkus );
			const changed = new Set< number >();
			for ( const [ row, offers ] of resolveRows(
				ctx,
				'stocks',
				body.stocks
			) ) {
				for ( const o of offers ) {
					if (
						ctx.store.setStock( o.id, body.warehouse_id, {
							quantity: row.quantity,
						} )
					) {
						changed.add( o.id );
					}
				}
			}
			ctx.stockChanged( changed );
			return statusTrue( 202 );
		},
	},
];
