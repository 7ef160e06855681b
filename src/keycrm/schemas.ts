/**
 * zod schemas of the keyCRM REST API subset the product uses
 * (https://openapi.keycrm.app/v1; keyCRM's OpenAPI document and its known
 * defects: test/keycrm/openapi/). Every keyCRM response is parsed with these;
 * request bodies are checked with them before anything is sent.
 *
 * Where live responses differ from the spec, the schemas follow API-NOTES:
 * - numbers that the spec types as plain `number` can be `null` live
 *   (weights, dimensions, prices, barcode: API-NOTES (d)9), so they are
 *   parsed as nullable;
 * - offers carry `in_reserve`, `is_default`, `is_archived`, `created_at`,
 *   `updated_at`, which the spec omits (API-NOTES (a)7, (d)6): parsed as
 *   optional;
 * - `GET /offers/stocks` calls the reserve `reserve`, `/offers` calls it
 *   `in_reserve` (API-NOTES (d)6);
 * - paginators are Laravel's, at the top level, with all fields (API-NOTES (b)).
 *
 * Response object schemas are not strict: unknown fields are dropped, so new
 * keyCRM fields never break parsing.
 */
import * as z from 'zod';

/* ------------------------------------------------------------------ */
/* Limits (help centre + spec prose; the spec writes them as `maximum`  */
/* on arrays, which no validator enforces: API-NOTES (g)3)              */
/* ------------------------------------------------------------------ */

export const KEYCRM_LIMITS = {
	/** `POST /products/import` products per request. */
	importProducts: 100,
	/** `POST /products/{id}/offers` offers per request. */
	createOffers: 100,
	/** `PUT /offers` rows per request. */
	updateOffers: 10_000,
	/** `PUT /offers/stocks` rows per request. */
	updateStocks: 10_000,
	/** `limit` of every paginated list. */
	pageSize: 50,
	/** Pictures per product. */
	pictures: 6,
} as const;

const num = z.number();
const nullableNumber = z.number().nullable().optional();
const nullableString = z.string().nullable().optional();

/* ------------------------------------------------------------------ */
/* Responses                                                           */
/* ------------------------------------------------------------------ */

/** A custom field value on a product (`include=custom_fields`). */
export const ProductCustomField = z.object( {
	id: z.number().int().optional(),
	uuid: z.string(),
	name: z.string().optional(),
	type: z.string().optional(),
	value: z
		.union( [ z.string(), z.array( z.string() ), z.number(), z.boolean() ] )
		.nullable(),
} );

/**
 * A product (`GET /products`, `GET /products/{id}`, `POST /products`,
 * `PUT /products/{id}`). `sku`, `barcode`, `price`, `purchased_price` are only
 * present when `has_offers` is false.
 */
export const Product = z.object( {
	id: z.number().int(),
	name: z.string(),
	description: nullableString,
	thumbnail_url: nullableString,
	attachments_data: z.array( z.unknown() ).nullable().optional(),
	quantity: nullableNumber,
	// Live-only (seen on nested products, API-NOTES (a)1).
	in_reserve: nullableNumber,
	unit_type: nullableString,
	currency_code: nullableString,
	sku: nullableString,
	barcode: nullableString,
	price: nullableNumber,
	purchased_price: nullableNumber,
	min_price: nullableNumber,
	max_price: nullableNumber,
	weight: nullableNumber,
	length: nullableNumber,
	width: nullableNumber,
	height: nullableNumber,
	has_offers: z.boolean(),
	is_archived: z.boolean().optional(),
	category_id: nullableNumber,
	created_at: z.string().optional(),
	updated_at: z.string().optional(),
	custom_fields: z.array( ProductCustomField ).optional(),
} );
export type Product = z.infer< typeof Product >;

/** A variant property `{name, value}`. */
export const OfferProperty = z.object( {
	name: z.string(),
	value: z.string(),
} );
export type OfferProperty = z.infer< typeof OfferProperty >;

/** An offer (sellable unit) from `GET /offers`. */
export const Offer = z.object( {
	id: z.number().int(),
	product_id: z.number().int(),
	sku: z.string().nullable(),
	barcode: nullableString,
	thumbnail_url: nullableString,
	price: nullableNumber,
	purchased_price: nullableNumber,
	/** Total stock over all warehouses. */
	quantity: nullableNumber,
	/** Live-only: reserved part of `quantity` (spec omits it, API-NOTES (d)6). */
	in_reserve: nullableNumber,
	weight: nullableNumber,
	length: nullableNumber,
	width: nullableNumber,
	height: nullableNumber,
	properties: z.array( OfferProperty ).nullable().optional(),
	/** Live-only: the implicit offer of a product without variants (API-NOTES (d)2). */
	is_default: z.boolean().optional(),
	/** Live-only (API-NOTES (a)7). */
	is_archived: z.boolean().optional(),
	created_at: z.string().optional(),
	updated_at: z.string().optional(),
	/** Only with `include=product`. */
	product: Product.partial().extend( { id: z.number().int() } ).optional(),
} );
export type Offer = z.infer< typeof Offer >;

/** One warehouse's numbers in `GET /offers/stocks?filter[details]=true`. */
export const WarehouseStock = z.object( {
	id: z.number().int(),
	name: nullableString,
	quantity: num,
	reserve: num,
} );
export type WarehouseStock = z.infer< typeof WarehouseStock >;

/** A stock row of `GET /offers/stocks` (`id` is the offer id). */
export const OfferStock = z.object( {
	id: z.number().int(),
	sku: z.string().nullable(),
	price: nullableNumber,
	purchased_price: nullableNumber,
	/** Total over all warehouses. */
	quantity: num,
	/** Total reserved (named `reserve` here, `in_reserve` on /offers). */
	reserve: num,
	/** Only with `filter[details]=true`. */
	warehouse: z.array( WarehouseStock ).optional(),
} );
export type OfferStock = z.infer< typeof OfferStock >;

/** A product category. */
export const Category = z.object( {
	id: z.number().int(),
	name: z.string(),
	parent_id: z.number().int().nullable().optional(),
} );
export type Category = z.infer< typeof Category >;

/**
 * Laravel's paginator, at the top level of list responses. `per_page` is
 * coerced because Laravel echoes the query's `limit` (a string) in some builds.
 *
 * @param item Schema of one `data[]` element.
 */
export function Paginator< T extends z.ZodType >( item: T ) {
	return z.object( {
		current_page: z.coerce.number().int(),
		data: z.array( item ),
		first_page_url: z.string(),
		from: z.number().int().nullable(),
		last_page: z.coerce.number().int(),
		last_page_url: z.string(),
		next_page_url: z.string().nullable(),
		path: z.string(),
		per_page: z.coerce.number().int(),
		prev_page_url: z.string().nullable(),
		to: z.number().int().nullable(),
		total: z.coerce.number().int(),
	} );
}
/** A parsed page of `T`. */
export interface Page< T > {
	current_page: number;
	data: T[];
	first_page_url: string;
	from: number | null;
	last_page: number;
	last_page_url: string;
	next_page_url: string | null;
	path: string;
	per_page: number;
	prev_page_url: string | null;
	to: number | null;
	total: number;
}

export const ProductPage = Paginator( Product );
export const OfferPage = Paginator( Offer );
export const OfferStockPage = Paginator( OfferStock );
export const CategoryPage = Paginator( Category );

/** Body of bulk calls' 201/202 answers: `{status: true}`, nothing else (no ids). */
export const StatusTrue = z.object( { status: z.literal( true ) } );

/** keyCRM's error body (Laravel): message plus, on 422, a field → messages map. */
export const ErrorBody = z.object( {
	message: z.string().optional(),
	errors: z.record( z.string(), z.array( z.string() ) ).optional(),
} );
export type ErrorBody = z.infer< typeof ErrorBody >;

/* ------------------------------------------------------------------ */
/* Request bodies                                                      */
/* ------------------------------------------------------------------ */

const money = z.number().finite();
const size = z.number().finite().nonnegative();

/** A custom field value sent on create/update (select fields take string arrays). */
export const CustomFieldInput = z.object( {
	uuid: z.string().min( 1 ),
	value: z.union( [ z.string(), z.array( z.string() ) ] ),
} );

/** Fields of `POST /products`, `POST /products/import` items and `PUT /products/{id}`. */
const productFields = {
	description: z.string().optional(),
	pictures: z
		.array( z.string().min( 1 ) )
		.max( KEYCRM_LIMITS.pictures )
		.optional(),
	currency_code: z.string().optional(),
	sku: z.string().optional(),
	barcode: z.string().optional(),
	price: money.optional(),
	purchased_price: money.optional(),
	unit_type: z.string().optional(),
	weight: size.optional(),
	length: size.optional(),
	width: size.optional(),
	height: size.optional(),
	category_id: z.number().int().positive().optional(),
	custom_fields: z.array( CustomFieldInput ).optional(),
};

/** `POST /products` body, also one `POST /products/import` item. */
export const ProductCreate = z.object( {
	name: z.string().min( 1 ),
	...productFields,
} );
export type ProductCreate = z.infer< typeof ProductCreate >;

/** `PUT /products/{id}` body (any subset). */
export const ProductUpdate = z.object( {
	name: z.string().min( 1 ).optional(),
	...productFields,
} );
export type ProductUpdate = z.infer< typeof ProductUpdate >;

/** `POST /products/import` body. */
export const ProductImportBody = z.object( {
	products: z
		.array( ProductCreate )
		.min( 1 )
		.max( KEYCRM_LIMITS.importProducts ),
} );

/** One offer of `POST /products/{id}/offers`. */
export const OfferCreate = z.object( {
	sku: z.string().optional(),
	barcode: z.string().optional(),
	price: money.optional(),
	purchased_price: money.optional(),
	weight: size.optional(),
	height: size.optional(),
	length: size.optional(),
	width: size.optional(),
	image_url: z.string().optional(),
	properties: z.array( OfferProperty ).optional(),
} );
export type OfferCreate = z.infer< typeof OfferCreate >;

/** `POST /products/{id}/offers` body. */
export const OfferCreateBody = z.object( {
	offers: z.array( OfferCreate ).min( 1 ).max( KEYCRM_LIMITS.createOffers ),
} );

const keyedById = {
	id: z.number().int().positive().optional(),
	sku: z.string().min( 1 ).optional(),
};
const hasKey = ( row: { id?: number; sku?: string } ) =>
	row.id !== undefined || row.sku !== undefined;
const keyMessage = { message: 'each row needs `id` or `sku`' };

/** One row of `PUT /offers`: keyed by `id` or `sku`. */
export const OfferUpdate = z
	.object( {
		...keyedById,
		price: money.optional(),
		purchased_price: money.optional(),
		weight: size.optional(),
		height: size.optional(),
		length: size.optional(),
		width: size.optional(),
		image_url: z.string().optional(),
	} )
	.refine( hasKey, keyMessage );
export type OfferUpdate = z.infer< typeof OfferUpdate >;

/** `PUT /offers` body. */
export const OfferUpdateBody = z.object( {
	offers: z.array( OfferUpdate ).min( 1 ).max( KEYCRM_LIMITS.updateOffers ),
} );

/** One row of `PUT /offers/stocks`: absolute level in the body's warehouse. */
export const StockUpdate = z
	.object( { ...keyedById, quantity: z.number().finite() } )
	.refine( hasKey, keyMessage );
export type StockUpdate = z.infer< typeof StockUpdate >;

/** `PUT /offers/stocks` body. */
export const StockUpdateBody = z.object( {
	warehouse_id: z.number().int().positive(),
	stocks: z.array( StockUpdate ).min( 1 ).max( KEYCRM_LIMITS.updateStocks ),
} );

/** `POST /products/categories` body (the spec's `required: full_name` is a typo: API-NOTES (a)12). */
export const CategoryCreate = z.object( {
	name: z.string().min( 1 ),
	parent_id: z.number().int().positive().nullable().optional(),
} );
export type CategoryCreate = z.infer< typeof CategoryCreate >;
