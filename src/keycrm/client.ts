/**
 * The keyCRM client: one per API key. Every method validates its input
 * against keyCRM's documented limits before sending, goes through the
 * client's rate limiter and retry policy (see transport.ts), and parses the
 * response with zod (see schemas.ts).
 */
import { z } from 'zod';

import { systemClock, type Clock } from '../util/clock.js';
import { KeyCrmInvalidRequestError, KeyCrmLimitError } from './errors.js';
import { listQuery, type FilterValue, type ListParams } from './query.js';
import { TokenBucket } from './rate-limiter.js';
import {
	Category,
	CategoryCreate,
	CategoryPage,
	KEYCRM_LIMITS,
	Offer,
	OfferCreateBody,
	OfferPage,
	OfferStockPage,
	OfferUpdateBody,
	Product,
	ProductCreate,
	ProductImportBody,
	ProductPage,
	ProductUpdate,
	StatusTrue,
	StockUpdateBody,
	type OfferCreate,
	type OfferUpdate,
	type Page,
	type StockUpdate,
} from './schemas.js';
import {
	KeyCrmTransport,
	type CallKind,
	type RequestInfo,
} from './transport.js';

export type { RequestInfo } from './transport.js';

/** Options of `createKeyCrmClient`. */
export interface KeyCrmClientOptions {
	/** API root, e.g. `https://openapi.keycrm.app/v1`. */
	baseUrl: string;
	/** keyCRM API key (sent as a bearer token; never logged). */
	apiKey: string;
	/** Request budget per minute (default 60, keyCRM's per-key limit). */
	ratePerMinute?: number;
	/** Token-bucket size (default 1: evenly spaced requests). */
	burst?: number;
	/** Time source for the limiter and back-off (default: wall clock). */
	clock?: Clock;
	/** Per-attempt timeout in ms (default 60000). */
	timeoutMs?: number;
	/** Retries after the first attempt (default 4). */
	maxRetries?: number;
	/** Back-off: first ceiling and cap in ms (defaults 1000 and 60000). */
	backoffBaseMs?: number;
	backoffCapMs?: number;
	/** Random source for jitter (default Math.random). */
	random?: () => number;
	/** fetch implementation (default: the global fetch, looked up per request). */
	fetch?: typeof globalThis.fetch;
	/** Aborts waiting and in-flight requests. */
	signal?: AbortSignal;
	/** Called after every HTTP attempt. */
	onRequest?: ( info: RequestInfo ) => void;
}

/** `GET /products` parameters. */
export interface ProductListQuery extends ListParams {
	filter?: {
		product_id?: FilterValue;
		category_id?: FilterValue;
		is_archived?: boolean;
	};
	include?: string | readonly string[];
}
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
/** `GET /products/categories` parameters. */
export interface CategoryListQuery extends ListParams {
	filter?: { category_id?: FilterValue; parent_id?: FilterValue };
}

const ProductSchema: z.ZodType< Product > = Product;

/**
 * Create a keyCRM client.
 *
 * @param options Client options.
 */
export function createKeyCrmClient( options: KeyCrmClientOptions ) {
	const clock = options.clock ?? systemClock;
	const limiter = new TokenBucket( {
		ratePerMinute: options.ratePerMinute ?? 60,
		burst: options.burst,
		clock,
	} );
	const transport = new KeyCrmTransport( {
		baseUrl: options.baseUrl,
		apiKey: options.apiKey,
		clock,
		limiter,
		timeoutMs: options.timeoutMs ?? 60_000,
		maxRetries: options.maxRetries ?? 4,
		backoff: {
			baseMs: options.backoffBaseMs ?? 1000,
			capMs: options.backoffCapMs ?? 60_000,
			random: options.random ?? Math.random,
		},
		fetch: options.fetch,
		signal: options.signal,
		onRequest: options.onRequest,
	} );

	const get = < T >(
		route: string,
		path: string,
		schema: z.ZodType< T >,
		searchParams?: URLSearchParams
	) =>
		transport.call( {
			method: 'GET',
			path,
			route: `GET ${ route }`,
			kind: 'read',
			schema,
			searchParams,
		} );
	const send = < T >(
		method: 'POST' | 'PUT',
		route: string,
		path: string,
		kind: CallKind,
		json: unknown,
		schema: z.ZodType< T >
	) =>
		transport.call( {
			method,
			path,
			route: `${ method } ${ route }`,
			kind,
			json,
			schema,
		} );

	const client = {
		/**
		 * `GET /products`: one page of products.
		 * @param q
		 */
		listProducts: async ( q: ProductListQuery = {} ) =>
			get(
				'/products',
				'/products',
				ProductPage,
				listQuery( 'GET /products', q )
			),

		/**
		 * `GET /products/{id}`; throws KeyCrmNotFoundError when missing.
		 * @param id
		 * @param include
		 */
		getProduct: async (
			id: number,
			include?: string | readonly string[]
		) =>
			get(
				'/products/{id}',
				`/products/${ productId( id ) }`,
				ProductSchema,
				include === undefined
					? undefined
					: listQuery( 'GET /products/{id}', { include } )
			),

		/**
		 * `POST /products`: create one product without variants; returns it with its id. Never retried blindly.
		 * @param body
		 */
		createProduct: async ( body: ProductCreate ) =>
			send(
				'POST',
				'/products',
				'/products',
				'create',
				checkBody( 'POST /products', ProductCreate, body ),
				ProductSchema
			),

		/**
		 * `POST /products/import`: create 1..100 products; keyCRM returns no ids. Never retried blindly.
		 * @param products
		 */
		importProducts: async ( products: readonly ProductCreate[] ) => {
			checkCount(
				'POST /products/import',
				products.length,
				KEYCRM_LIMITS.importProducts
			);
			await send(
				'POST',
				'/products/import',
				'/products/import',
				'create',
				checkBody( 'POST /products/import', ProductImportBody, {
					products,
				} ),
				StatusTrue
			);
		},

		/**
		 * `PUT /products/{id}`: update one product; returns it.
		 * @param id
		 * @param body
		 */
		updateProduct: async ( id: number, body: ProductUpdate ) =>
			send(
				'PUT',
				'/products/{id}',
				`/products/${ productId( id ) }`,
				'write',
				checkBody( 'PUT /products/{id}', ProductUpdate, body ),
				ProductSchema
			),

		/**
		 * `GET /offers`: one page of offers.
		 * @param q
		 */
		listOffers: async ( q: OfferListQuery = {} ) =>
			get(
				'/offers',
				'/offers',
				OfferPage,
				listQuery( 'GET /offers', { ...q, sort: q.sort ?? 'id' } )
			),

		/**
		 * `PUT /offers`: bulk update 1..10000 offers keyed by `id` or `sku`.
		 * @param offers
		 */
		updateOffers: async ( offers: readonly OfferUpdate[] ) => {
			checkCount(
				'PUT /offers',
				offers.length,
				KEYCRM_LIMITS.updateOffers
			);
			await send(
				'PUT',
				'/offers',
				'/offers',
				'write',
				checkBody( 'PUT /offers', OfferUpdateBody, { offers } ),
				StatusTrue
			);
		},

		/**
		 * `POST /products/{id}/offers`: add 1..100 variants to a product; no ids returned. Never retried blindly.
		 * @param id
		 * @param offers
		 */
		createOffers: async ( id: number, offers: readonly OfferCreate[] ) => {
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
			await send(
				'POST',
				'/products/{id}/offers',
				`/products/${ productId( id ) }/offers`,
				'create',
				body,
				StatusTrue
			);
		},

		/**
		 * `GET /offers/stocks`: one page of stock rows (`filter.details` adds the per-warehouse breakdown).
		 * @param q
		 */
		listStocks: async ( q: StockListQuery = {} ) =>
			get(
				'/offers/stocks',
				'/offers/stocks',
				OfferStockPage,
				listQuery( 'GET /offers/stocks', q )
			),

		/**
		 * `PUT /offers/stocks`: set absolute levels of 1..10000 offers in one warehouse.
		 * @param warehouseId
		 * @param stocks
		 */
		updateStocks: async (
			warehouseId: number,
			stocks: readonly StockUpdate[]
		) => {
			checkCount(
				'PUT /offers/stocks',
				stocks.length,
				KEYCRM_LIMITS.updateStocks
			);
			const body = checkBody( 'PUT /offers/stocks', StockUpdateBody, {
				warehouse_id: warehouseId,
				stocks,
			} );
			await send(
				'PUT',
				'/offers/stocks',
				'/offers/stocks',
				'write',
				body,
				StatusTrue
			);
		},

		/**
		 * `GET /products/categories`: one page of categories.
		 * @param q
		 */
		listCategories: async ( q: CategoryListQuery = {} ) =>
			get(
				'/products/categories',
				'/products/categories',
				CategoryPage,
				listQuery( 'GET /products/categories', q )
			),

		/**
		 * `POST /products/categories`: create a category; returns it. Never retried blindly.
		 * @param body
		 */
		createCategory: async ( body: CategoryCreate ) =>
			send(
				'POST',
				'/products/categories',
				'/products/categories',
				'create',
				checkBody( 'POST /products/categories', CategoryCreate, body ),
				Category
			),

		/** Follow pages of any list call; yields items. See `paginate`. */
		paginate,

		/**
		 * Look offers up by SKU: ≤50 SKUs per `GET /offers?filter[sku]=…` request,
		 * keeping only rows whose `sku` equals a requested one (keyCRM silently
		 * ignores unknown filters, API-NOTES (d)13). Returns SKU → offers (more
		 * than one when keyCRM holds duplicates); absent SKUs are not in the map.
		 * @param skus
		 * @param opts
		 * @param opts.include
		 */
		findOffersBySku: async (
			skus: Iterable< string >,
			opts: { include?: string } = {}
		) => findOffersBySku( client.listOffers, skus, opts ),

		/** Requests sent so far (every attempt), total and per route. */
		stats: () => transport.stats(),

		/** Milliseconds until the rate limiter would let the next request go. */
		rateLimitWaitMs: () => limiter.waitTimeMs(),
	};
	return client;
}

/** A keyCRM client. */
export type KeyCrmClient = ReturnType< typeof createKeyCrmClient >;

/**
 * Iterate the items of every page of a list call, starting at page 1, until
 * the last page. `fetchPage` receives the page number.
 *
 * @param fetchPage Fetches one page.
 */
export async function* paginate< T >(
	fetchPage: ( page: number ) => Promise< Page< T > >
): AsyncGenerator< T, void, undefined > {
	for ( let page = 1; ; page++ ) {
		const result = await fetchPage( page );
		yield* result.data;
		if (
			result.next_page_url === null ||
			result.current_page >= result.last_page ||
			result.data.length === 0
		) {
			return;
		}
	}
}

/**
 * `findOffersBySku` implementation.
 *
 * @param listOffers   The client's listOffers.
 * @param skus         SKUs to look up.
 * @param opts         Include (e.g. `product`).
 * @param opts.include
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

/**
 * Refuse an empty or over-limit batch before sending.
 *
 * @param route Route template.
 * @param count Items in the batch.
 * @param max   keyCRM's limit.
 */
function checkCount( route: string, count: number, max: number ): void {
	if ( count < 1 || count > max ) {
		throw new KeyCrmLimitError(
			`${ route }: a batch must hold 1..${ max } items, got ${ count }`
		);
	}
}

/**
 * Check a request body against keyCRM's schema before sending.
 *
 * @param route  Route template.
 * @param schema Body schema.
 * @param body   The body.
 */
function checkBody< S extends z.ZodType >(
	route: string,
	schema: S,
	body: unknown
): z.output< S > {
	const parsed = schema.safeParse( body );
	if ( ! parsed.success ) {
		const issue = parsed.error.issues[ 0 ];
		const path = issue ? issue.path.map( String ).join( '.' ) : '';
		throw new KeyCrmInvalidRequestError(
			`${ route }: invalid request at "${ path }": ${ issue?.message ?? 'invalid' }`,
			path
		);
	}
	return parsed.data;
}

/**
 * Validate a product id used in a path.
 *
 * @param id Product id.
 */
function productId( id: number ): number {
	if ( ! Number.isInteger( id ) || id < 1 ) {
		throw new KeyCrmInvalidRequestError(
			`invalid keyCRM product id ${ id }`,
			'id'
		);
	}
	return id;
}
