/**
 * Stock source: keyCRM → shop (keyCRM's stock webhook, the sender's stock
 * pulls and `POST /worker/stock-apply`) and the drift the shop records.
 */
import * as z from 'zod/mini';

import { isoDate } from './fields.js';
import { StockSource } from './settings.js';

/**
 * One SKU's keyCRM stock: an item of keyCRM's stock webhook (a bare array of
 * these) and of `POST /worker/stock-apply`. Quantities may be fractional.
 */
export const StockItem = z.object( {
	sku: z.string().check( z.minLength( 1 ), z.maxLength( 255 ) ),
	offer_id: z.nullish( z.int().check( z.positive() ) ),
	/** Total stock (of the configured warehouse when the sender pulls with one). */
	in_stock: z.number(),
	/** Reserved part of `in_stock`. */
	in_reserve: z.number(),
} );
export type StockItem = z.infer< typeof StockItem >;

/** `POST /worker/stock-apply` body (≤ 1000 items per request). */
export const StockApplyRequest = z.object( {
	items: z.array( StockItem ).check( z.minLength( 1 ), z.maxLength( 1000 ) ),
} );
export type StockApplyRequest = z.infer< typeof StockApplyRequest >;

/**
 * What the plugin did with one SKU. keyCRM mode: applied | unchanged.
 * WooCommerce mode: in_sync | drift | pending (a shop change is still being sent).
 * Either: unknown (no product has the SKU) | duplicate (several have it) |
 * unmanaged (the product does not manage its own stock).
 */
export const StockOutcome = z.enum( [
	'applied',
	'unchanged',
	'unknown',
	'duplicate',
	'unmanaged',
	'drift',
	'in_sync',
	'pending',
	/** A newer keyCRM batch already set this SKU: this older value is not applied. */
	'superseded',
] );
export type StockOutcome = z.infer< typeof StockOutcome >;

export const StockApplyResult = z.object( {
	sku: z.string(),
	outcome: StockOutcome,
	/** Shop stock after the call (null when no single stock-managing product has the SKU). */
	shop_stock: z.nullable( z.int() ),
	/**
	 * keyCRM's quantity as the shop counts it: keyCRM mode per `stock_apply` (available =
	 * in_stock − in_reserve, or total), WooCommerce mode the total; clamped at 0 and rounded down.
	 */
	keycrm_quantity: z.int(),
} );
export type StockApplyResult = z.infer< typeof StockApplyResult >;

const OutcomeCounts = z.record( z.string(), z.int() );

export const StockApplyResponse = z.object( {
	stock_source: StockSource,
	/** true when applying failed after the batch was stored: the plugin retries it by WP-Cron. */
	queued: z.boolean(),
	results: z.array( StockApplyResult ),
	counts: OutcomeCounts,
} );
export type StockApplyResponse = z.infer< typeof StockApplyResponse >;

/** Answer of keyCRM's stock webhook route (`POST /webhook/stock?secret=…`). */
export const StockWebhookResponse = z.object( {
	accepted: z.literal( true ),
	/** Items received (one per SKU); what the shop made of them is not said. */
	items: z.int(),
	/** Items without a usable SKU. */
	skipped: z.int(),
	/** Stored and applied later by WP-Cron (large payloads, or applying failed). */
	queued: z.boolean(),
} );
export type StockWebhookResponse = z.infer< typeof StockWebhookResponse >;

/** What the last pull reported. */
export const StockPullResult = z.object( {
	complete: z.boolean(),
	pages: z.int(),
	scanned: z.int(),
	counts: OutcomeCounts,
	error: z.nullable( z.string() ),
} );
export type StockPullResult = z.infer< typeof StockPullResult >;

/** `GET|POST /worker/stock-pull` answer, also `pull` of `GET /stock-source/status`. */
export const StockPullState = z.object( {
	/** Whether the sender should start a pull now. */
	due: z.boolean(),
	reason: z.enum( [
		'running',
		'requested',
		'interval_off',
		'interval',
		'not_yet',
	] ),
	stock_source: StockSource,
	stock_apply: z.enum( [ 'available', 'total' ] ),
	interval_minutes: z.int(),
	last_started_at: z.nullable( isoDate ),
	last_finished_at: z.nullable( isoDate ),
	/** "Pull stock now" pressed and not yet served. */
	requested_at: z.nullable( isoDate ),
	last_result: z.nullable( StockPullResult ),
} );
export type StockPullState = z.infer< typeof StockPullState >;

/** `POST /worker/stock-pull` body. A complete finish forgets unknown/drift SKUs the scan no longer saw. */
export const StockPullReport = z.union( [
	z.object( { event: z.literal( 'start' ) } ),
	z.object( {
		event: z.literal( 'finish' ),
		complete: z.boolean(),
		pages: z.int().check( z.minimum( 0 ) ),
		scanned: z.int().check( z.minimum( 0 ) ),
		counts: OutcomeCounts,
		error: z.nullable( z.string().check( z.maxLength( 1000 ) ) ),
	} ),
] );
export type StockPullReport = z.infer< typeof StockPullReport >;

/** `GET /stock-source/status`. */
export const StockSourceStatus = z.object( {
	pull: StockPullState,
	inbox: z.object( {
		pending: z.int(),
		applied: z.int(),
		failed: z.int(),
		/** The oldest batch still waiting (null: none); `stuck` after 10 minutes. */
		oldest_pending: z.nullish(
			z.object( {
				id: z.int(),
				received_at: isoDate,
				items: z.int(),
				applied_items: z.int(),
				attempts: z.int(),
				last_error: z.nullable( z.string() ),
				stuck: z.boolean(),
			} )
		),
	} ),
	counts: z.object( {
		unknown: z.int(),
		unmanaged: z.int(),
		drift: z.int(),
	} ),
} );
export type StockSourceStatus = z.infer< typeof StockSourceStatus >;

/** A SKU keyCRM reported that the shop cannot take (unknown / unmanaged) or whose stock drifted. */
export const RemoteSku = z.object( {
	kind: z.enum( [ 'unknown', 'unmanaged', 'drift' ] ),
	sku: z.string(),
	offer_id: z.nullable( z.int() ),
	product_id: z.nullable( z.int() ),
	edit_url: z.nullable( z.string() ),
	keycrm_in_stock: z.nullable( z.number() ),
	keycrm_in_reserve: z.nullable( z.number() ),
	shop_stock: z.nullable( z.number() ),
	first_seen_at: z.nullable( isoDate ),
	last_seen_at: z.nullable( isoDate ),
	seen_count: z.int(),
} );
export type RemoteSku = z.infer< typeof RemoteSku >;

/** `GET /stock-source/unknown?kind=unknown|unmanaged` and `GET /stock-source/drift` (page, per_page ≤ 100, search). */
export const RemoteSkusResponse = z.object( {
	items: z.array( RemoteSku ),
	total: z.int(),
	page: z.int(),
	per_page: z.int(),
} );
export type RemoteSkusResponse = z.infer< typeof RemoteSkusResponse >;

/** `POST /stock-source/drift/requeue`: the given drifted SKUs (all when absent) are pushed again. */
export const RequeueDriftRequest = z.object( {
	skus: z.optional( z.array( z.string() ).check( z.maxLength( 1000 ) ) ),
} );
export const RequeueDriftResponse = z.object( { requeued: z.int() } );
