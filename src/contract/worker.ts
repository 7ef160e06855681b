/**
 * Sender routes: `POST /worker/claim` (lease changed SKUs with their current
 * values and the sender's settings) and `POST /worker/ack` (per-SKU results).
 */
import * as z from 'zod/mini';

import { isoDate, nullableNumber } from './fields.js';
import { SenderSettings } from './settings.js';

/** Bits of `change_mask`: what changed since keyCRM was last known to match. */
export const ChangeMask = {
	/** Stock quantity / stock status / manage_stock. */
	STOCK: 1,
	/** Offer-level data keyCRM can bulk-update: price, purchase price, weight, size, image. */
	OFFER: 2,
	/** Product-level data: name, description, category, pictures (PUT /products/{id}). */
	PRODUCT: 4,
	/** The SKU is new to us (may not exist in keyCRM yet). */
	CREATE: 8,
	/** The SKU left the shop (product deleted / trashed / SKU renamed away). */
	RETIRE: 16,
} as const;
export const CHANGE_MASK_ALL = 31;

export const Heartbeat = z.object( {
	worker_id: z.string().check( z.maxLength( 100 ) ),
	version: z.string().check( z.maxLength( 40 ) ),
	last_success_at: z.nullish( isoDate ),
	last_error: z.nullish( z.string().check( z.maxLength( 1000 ) ) ),
	last_error_at: z.nullish( isoDate ),
	/** keyCRM requests in the last minute. */
	requests_last_minute: z.optional( z.int().check( z.minimum( 0 ) ) ),
	/** Items acknowledged as synced in the last minute. */
	synced_last_minute: z.optional( z.int().check( z.minimum( 0 ) ) ),
	eta_seconds: z.nullish( z.number().check( z.minimum( 0 ) ) ),
} );
export type Heartbeat = z.infer< typeof Heartbeat >;

export const ClaimRequest = z.object( {
	limit: z.optional( z.int().check( z.minimum( 1 ), z.maximum( 10000 ) ) ),
	lease_seconds: z.optional(
		z.int().check( z.minimum( 10 ), z.maximum( 3600 ) )
	),
	/** Only live changes (not the resync backlog): a sender with enough queued work asks for these. */
	live_only: z.optional( z.boolean() ),
	worker_id: z.optional( z.string().check( z.maxLength( 100 ) ) ),
	heartbeat: z.optional( Heartbeat ),
} );
export type ClaimRequest = z.infer< typeof ClaimRequest >;

export const ProductType = z.enum( [
	'simple',
	'variable',
	'variation',
	'grouped',
	'external',
	'other',
] );

/** One level of a product's category path. */
export const CategoryLevel = z.object( {
	term_id: z.int(),
	name: z.string(),
	keycrm_id: z.nullable( z.int() ),
} );
export type CategoryLevel = z.infer< typeof CategoryLevel >;

/** A keyCRM category found or created for a WooCommerce category (the plugin remembers it). */
export const CategoryRecord = z.object( {
	term_id: z.int().check( z.positive() ),
	keycrm_id: z.int().check( z.positive() ),
	/** The name and keyCRM parent it was matched for: a rename or move makes it stale. */
	name: z.string(),
	parent_keycrm_id: z.nullable( z.int().check( z.positive() ) ),
} );
export type CategoryRecord = z.infer< typeof CategoryRecord >;

/** One SKU as read at claim time (values are current, not what the hook saw). */
export const ClaimedItem = z.object( {
	sku: z.string(),
	version: z.int(),
	change_mask: z.int(),
	/** true when the SKU no longer belongs to a live product (deleted, trashed, SKU renamed). */
	retired: z.boolean(),
	product_id: z.nullable( z.int() ),
	parent_id: z.nullable( z.int() ),
	/** SKU of the variable parent (variations only; '' when the parent has none: its variations are still offers). */
	parent_sku: z.nullable( z.string() ),
	/**
	 * Name of the variable parent (variations only). Optional (added after v1):
	 * the sender falls back to the variation name without its attribute suffix.
	 */
	parent_name: z.nullish( z.string() ),
	/** Description of the variable parent (variations only). Optional (added after v1). */
	parent_description: z.nullish( z.string() ),
	/**
	 * keyCRM product id of the variable parent, as recorded on the parent
	 * product or known by any row of the same parent (variations only).
	 * Optional (added after v1): lets the sender add a new variation to a
	 * product created in an earlier run without a lookup.
	 */
	parent_keycrm_product_id: z.nullish( z.int() ),
	type: z.nullable( ProductType ),
	/** WordPress post status (publish, draft, private, pending, trash), null when gone. */
	status: z.nullable( z.string() ),
	/** Status of the variable parent (variations only). Optional (added after v1). */
	parent_status: z.nullish( z.string() ),
	name: z.nullable( z.string() ),
	description: z.nullable( z.string() ),
	/** Current price (sale price when on sale), regular and sale price. */
	price: nullableNumber,
	regular_price: nullableNumber,
	sale_price: nullableNumber,
	/** Purchase price (cost), when the shop records one (meta `_keycrm_purchased_price`). */
	purchased_price: nullableNumber,
	weight: nullableNumber,
	length: nullableNumber,
	width: nullableNumber,
	height: nullableNumber,
	/** WooCommerce units (kg, g, lbs, oz / m, cm, mm, in, yd). */
	weight_unit: z.string(),
	dimension_unit: z.string(),
	image_url: z.nullable( z.string() ),
	/** Gallery + main image URLs, main first (product-level pictures). */
	pictures: z.array( z.string() ),
	category: z.nullable( z.string() ),
	/**
	 * The product's category as a path, root first: the primary category
	 * (Yoast SEO's `_yoast_wpseo_primary_product_cat` when it is one of the
	 * product's categories, else the first in WooCommerce's category order);
	 * a variation's is its variable product's. `keycrm_id` is the keyCRM
	 * category the plugin remembers for that level, null when none is known
	 * or the level was renamed or moved since. Optional (added after v1).
	 */
	category_path: z.nullish( z.array( CategoryLevel ) ),
	/**
	 * WooCommerce's "GTIN, UPC, EAN or ISBN" (`global_unique_id`, WooCommerce
	 * 9.2+), sent as keyCRM's barcode. Optional (added after v1).
	 */
	barcode: z.nullish( z.string() ),
	/** Variation attributes (name → value), e.g. [{name: "Size", value: "XL"}]. */
	attributes: z.array( z.object( { name: z.string(), value: z.string() } ) ),
	manage_stock: z.boolean(),
	stock_quantity: nullableNumber,
	stock_status: z.nullable( z.string() ),
	keycrm_product_id: z.nullable( z.int() ),
	keycrm_offer_id: z.nullable( z.int() ),
	pushed_stock: nullableNumber,
	pushed_offer_hash: z.nullable( z.string() ),
	pushed_product_hash: z.nullable( z.string() ),
	attempts: z.int(),
	/**
	 * true when the row's previous lease ended without an ack (a sender died
	 * or lost its ack mid-batch): a create sent for it may still have landed in
	 * keyCRM, so the sender looks the SKU up before creating it. Optional
	 * (added after v1); absent means false.
	 */
	reclaimed: z.optional( z.boolean() ),
} );
export type ClaimedItem = z.infer< typeof ClaimedItem >;

export const ClaimResponse = z.object( {
	/** null when nothing was due (items is then empty). */
	lease_token: z.nullable( z.string() ),
	lease_expires_at: z.nullable( isoDate ),
	settings: SenderSettings,
	items: z.array( ClaimedItem ),
	/** Dirty rows still waiting after this claim (for ETA). */
	backlog: z.int(),
} );
export type ClaimResponse = z.infer< typeof ClaimResponse >;

export const AckOutcome = z.enum( [ 'synced', 'failed', 'retry' ] );
export type AckOutcome = z.infer< typeof AckOutcome >;

export const AckResult = z.object( {
	sku: z.string(),
	version: z.int(),
	/**
	 * synced: keyCRM now holds `version`; failed: a permanent rejection (attempts++, backoff, dead
	 * after max_attempts); retry: a transient problem (released with backoff, attempts++).
	 */
	outcome: AckOutcome,
	error: z.optional( z.string().check( z.maxLength( 2000 ) ) ),
	code: z.optional( z.string().check( z.maxLength( 100 ) ) ),
	keycrm_product_id: z.nullish( z.int() ),
	keycrm_offer_id: z.nullish( z.int() ),
	pushed_stock: z.nullish( z.number() ),
	pushed_offer_hash: z.nullish( z.string() ),
	pushed_product_hash: z.nullish( z.string() ),
	/**
	 * WordPress id of the variable product whose keyCRM product id
	 * (`keycrm_product_id`) this result records (an `ids-only` record). The
	 * plugin keeps it on the product itself, so a parent without a SKU (no
	 * outbox row) has one too. Optional (added after v1).
	 */
	parent_id: z.nullish( z.int() ),
} );
export type AckResult = z.infer< typeof AckResult >;

export const AckRequest = z.object( {
	/**
	 * The claim's lease token. Results for rows not leased under it change nothing but the keyCRM
	 * ids they carry (a lost lease's ids are still facts): the sender records a new variable
	 * product's id that way under the token `ids-only`, which leases no row.
	 */
	lease_token: z.string(),
	results: z.array( AckResult ),
	/**
	 * keyCRM categories the sender found or created, for the plugin to remember
	 * on the WooCommerce categories (later runs need no category request).
	 * Optional (added after v1).
	 */
	categories: z.optional(
		z.array( CategoryRecord ).check( z.maxLength( 1000 ) )
	),
} );
export type AckRequest = z.infer< typeof AckRequest >;

export const AckResponse = z.object( {
	/** Rows whose acknowledged version was recorded. */
	acknowledged: z.int(),
	/** Rows that changed during the flight (still dirty) or whose lease was lost. */
	stale: z.int(),
} );
export type AckResponse = z.infer< typeof AckResponse >;
