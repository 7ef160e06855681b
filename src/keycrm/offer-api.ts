/**
 * Client methods for offers and stock.
 */
import { checkBody, checkCount, productId, type Caller } from './caller.js';
import { paginate } from './paginate.js';
import { listQuery, type FilterValue, type ListParams } from './query.js';
import {
	KEYCRM_LIMITS,
	OfferCreateBody,
	OfferPage,
	OfferStockPage,
	OfferUpdateBody,
	StatusTrue,
	StockUpdateBody,
	type Offer,
	type OfferCreate,
	type OfferUpdate,
	type Page,
	type StockUpdate,
} from './schemas.js';

/** `GET /offers` parameters (`sort` defaults to `id`, a stable order for paging). */
export interface OfferListQuery extends ListParams {
	filter?: {
		sku?: FilterValue;
		id?: FilterValue;
		product_id?: FilterValue;
		is_archived?: boolean;
	};
	include?: string | readonly string[];
	sort?: string;
}

/** `GET /offers/stocks` parameters. */
export interface StockListQuery extends ListParams {
	filter?: {
		offers_sku?: FilterValue;
		offers_id?: FilterValue;
		details?: boolean;
	};
}

/**
 * The offer and stock methods of a client.
 *
 * @param call The client's caller.
 */
export function offerMethods( call: Caller ) {
	const listOffers = async ( q: OfferListQuery = {} ) =>
		call.get(
			'/offers',
			'/offers',
			OfferPage,
			listQuery( 'GET /offers', { ...q, sort: q.sort ?? 'id' } )
		);
	return {
		/**
		 * `GET /offers`: one page of offers (sorted by id unless `sort` says otherwise).
		 *
		 * @param q Query: filters, include, sort, page, limit.
		 */
		listOffers,

		/**
		 * `PUT /offers`: bulk update 1..10000 offers keyed by `id` or `sku`.
		 *
		 * @param offers Rows: key plus price, purchased_price, weight, dimensions, image_url.
		 */
		updateOffers: async (
			offers: readonly OfferUpdate[]
		): Promise< void > => {
			checkCount(
				'PUT /offers',
				offers.length,
				KEYCRM_LIMITS.updateOffers
			);
			const body = checkBody( 'PUT /offers', OfferUpdateBody, {
				offers,
			} );
			await call.send(
				'PUT',
				'/offers',
				'/offers',
				'write',
				body,
				StatusTrue
			);
		},

		/**
		 * `POST /products/{id}/offers`: add 1..100 variants to a product; no ids returned. Never retried blindly.
		 *
		 * @param id     keyCRM product id.
		 * @param offers Variants to add.
		 */
		createOffers: async (
			id: number,
			offers: readonly OfferCreate[]
		): Promise< void > => {
			checkCount(
				'POST /products/{id}/offers',
				offers.length,
				KEYCRM_LIMITS.createOffers
			);
			const body = checkBody(
				'POST /products/{id}/offers',
				OfferCreateBody,
				{ offers }
			);
			await call.send(
				'POST',
				'/products/{id}/offers',
				`/products/${ productId( id ) }/offers`,
				'create',
				body,
				StatusTrue
			);
		},

		/**
		 * Look offers up by SKU: ≤50 SKUs per `GET /offers?filter[sku]=…` request,
		 * keeping only rows whose `sku` equals a requested one (keyCRM silently
		 * ignores unknown filters, API-NOTES (d)13). Returns SKU → offers (more
		 * than one when keyCRM holds duplicates); absent SKUs are not in the map.
		 *
		 * @param skus         SKUs to look up.
		 * @param opts         Options.
		 * @param opts.include Include, e.g. `product`.
		 */
		findOffersBySku: async (
			skus: Iterable< string >,
			opts: { include?: string } = {}
		) => findOffersBySku( listOffers, skus, opts ),
	};
}

/**
 * The stock methods of a client.
 *
 * @param call The client's caller.
 */
export function stockMethods( call: Caller ) {
	return {
		/**
		 * `GET /offers/stocks`: one page of stock rows (`filter.details` adds the per-warehouse breakdown).
		 *
		 * @param q Query: filters, page, limit.
		 */
		listStocks: async ( q: StockListQuery = {} ) =>
			call.get(
				'/offers/stocks',
				'/offers/stocks',
				OfferStockPage,
				listQuery( 'GET /offers/stocks', q )
			),

		/**
		 * `PUT /offers/stocks`: set absolute levels of 1..10000 offers in one warehouse.
		 *
		 * @param warehouseId keyCRM warehouse id.
		 * @param stocks      Rows `{sku | id, quantity}`.
		 */
		updateStocks: async (
			warehouseId: number,
			stocks: readonly StockUpdate[]
		): Promise< void > => {
			checkCount(
				'PUT /offers/stocks',
				stocks.length,
				KEYCRM_LIMITS.updateStocks
			);
			const body = checkBody( 'PUT /offers/stocks', StockUpdateBody, {
				warehouse_id: warehouseId,
				stocks,
			} );
			await call.send(
				'PUT',
				'/offers/stocks',
				'/offers/stocks',
				'write',
				body,
				StatusTrue
			);
		},
	};
}

/**
 * `findOffersBySku` implementation.
 *
 * @param listOffers   The client's listOffers.
 * @param skus         SKUs to look up.
 * @param opts         Options.
 * @param opts.include Include, e.g. `product`.
 */
async function findOffersBySku(
	listOffers: ( q: OfferListQuery ) => Promise< Page< Offer > >,
	skus: Iterable< string >,
	opts: { include?: string }
): Promise< Map< string, Offer[] > > {
	const wanted = [ ...new Set( skus ) ];
	const found = new Map< string, Offer[] >();
	for ( let i = 0; i < wanted.length; i += KEYCRM_LIMITS.pageSize ) {
		const chunk = wanted.slice( i, i + KEYCRM_LIMITS.pageSize );
		const set = new Set( chunk );
		const pages = paginate( ( page ) =>
			listOffers( {
				filter: { sku: chunk },
				include: opts.include,
				sort: 'id',
				limit: KEYCRM_LIMITS.pageSize,
				page,
			} )
		);
		for await ( const offer of pages ) {
			if ( offer.sku !== null && set.has( offer.sku ) ) {
				found.set( offer.sku, [
					...( found.get( offer.sku ) ?? [] ),
					offer,
				] );
			}
		}
	}
	return found;
}
