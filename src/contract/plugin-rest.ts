/**
 * The plugin's REST contract (namespace `keycrm-sync/v1`), as zod schemas.
 *
 * This file is the single source of truth for every JSON shape that crosses
 * the plugin's REST boundary: the sender (src/sender) and the admin UI
 * (admin-ui/) parse every response with these schemas, and the PHP REST
 * controllers (plugin/includes/Rest) produce exactly these shapes. Tests
 * parse JSON captured from the real plugin with them, so drift fails a test.
 *
 * Conventions: snake_case keys (WordPress REST style), timestamps as ISO-8601
 * UTC strings (`2026-11-27T15:28:07Z`), absent values as `null` (never omitted
 * in responses), quantities as numbers.
 */
import * as z from 'zod/mini';

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

export const ItemState = z.enum( [
	'pending',
	'synced',
	'failed',
	'dead',
	'skipped',
] );
export type ItemState = z.infer< typeof ItemState >;

export const StockSource = z.enum( [ 'woocommerce', 'keycrm' ] );
export type StockSource = z.infer< typeof StockSource >;

const isoDate = z.string().check( z.minLength( 1 ) );
const nullableNumber = z.nullable( z.number() );

/* ------------------------------------------------------------------ */
/* Settings                                                            */
/* ------------------------------------------------------------------ */

/** Settings fields an admin can read (the API key is never returned). */
export const PublicSettings = z.object( {
	/** Whether a keyCRM API key is stored. The key itself is write-only. */
	api_key_set: z.boolean(),
	/** keyCRM warehouse that `PUT /offers/stocks` writes to; null = not configured. */
	warehouse_id: z.nullable( z.int().check( z.positive() ) ),
	/** Which side owns stock levels. */
	stock_source: StockSource,
	/** What the shop → keyCRM push covers. */
	sync_stock: z.boolean(),
	sync_prices: z.boolean(),
	sync_product_data: z.boolean(),
	create_products: z.boolean(),
	/**
	 * WordPress statuses of the products that are created in keyCRM (the API
	 * cannot delete products, so a draft created there stays). Products
	 * already in keyCRM are kept up to date whatever their status. Optional
	 * (added after v1); absent: every status.
	 */
	sync_statuses: z.optional(
		z.array(
			z.enum( [ 'publish', 'private', 'draft', 'pending', 'future' ] )
		)
	),
	/** Whether external/affiliate products are created in keyCRM (they sell elsewhere). Optional (added after v1); absent: yes. */
	create_external: z.optional( z.boolean() ),
	/** Request budget per minute for this site's sender (keyCRM allows 60 per key). */
	rate_per_minute: z.int().check( z.minimum( 1 ), z.maximum( 60 ) ),
	/** Units configured in the keyCRM account (weights/dimensions are converted to them). */
	keycrm_weight_unit: z.enum( [ 'kg', 'g' ] ),
	keycrm_dimension_unit: z.enum( [ 'cm', 'mm', 'm' ] ),
	/** What happens in keyCRM to SKUs that leave the shop: set stock 0, or leave them. */
	retire_policy: z.enum( [ 'zero_stock', 'none' ] ),
	/** keyCRM → shop mode: apply available (in_stock − in_reserve) or total (in_stock). */
	stock_apply: z.enum( [ 'available', 'total' ] ),
	/** keyCRM → shop mode: minutes between full stock pulls (0 = off). */
	pull_interval_minutes: z.int().check( z.minimum( 0 ), z.maximum( 1440 ) ),
	/** Attempts before a row becomes `dead`. */
	max_attempts: z.int().check( z.minimum( 1 ), z.maximum( 100 ) ),
	/**
	 * Stock sent for items without managed stock that are "In stock" or "On
	 * backorder"; null: none (keyCRM keeps its own number). The sender's
	 * `--untracked-stock` overrides it. Optional (added after v1).
	 */
	untracked_stock: z.nullish(
		z.int().check( z.minimum( 0 ), z.maximum( 1000000 ) )
	),
	/** Whether a webhook secret is stored (it is shown once, by `POST /settings/webhook-secret`). */
	webhook_secret_set: z.boolean(),
} );
export type PublicSettings = z.infer< typeof PublicSettings >;

/** `PUT /settings` body: any subset; `api_key: ""` clears the key. */
export const SettingsUpdate = z.partial(
	z.extend(
		z.omit( PublicSettings, {
			api_key_set: true,
			webhook_secret_set: true,
		} ),
		{
			api_key: z.string().check( z.maxLength( 512 ) ),
		}
	)
);
export type SettingsUpdate = z.infer< typeof SettingsUpdate >;

/** `POST /settings/webhook-secret` (administrators): a new secret, the only time it is shown. */
export const WebhookSecretResponse = z.object( {
	webhook_secret: z.string(),
	/** Full URL keyCRM's stock webhook must POST to (contains the secret). */
	webhook_url: z.string(),
} );
export type WebhookSecretResponse = z.infer< typeof WebhookSecretResponse >;

/** What the sender gets with every claim (application-password requests only). */
export const SenderSettings = z.extend(
	z.omit( PublicSettings, {
		api_key_set: true,
		webhook_secret_set: true,
	} ),
	{
		/** The keyCRM API key ('' when not set). Only ever sent to the sender. */
		api_key: z.string(),
		/** Currency code of the shop (keyCRM products carry a currency_code). */
		currency_code: z.string(),
	}
);
export type SenderSettings = z.infer< typeof SenderSettings >;

/* ------------------------------------------------------------------ */
/* Sender routes: POST /worker/claim, POST /worker/ack                 */
/* ------------------------------------------------------------------ */

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

/* ------------------------------------------------------------------ */
/* Admin routes                                                         */
/* ------------------------------------------------------------------ */

export const SenderStatus = z.object( {
	worker_id: z.string(),
	version: z.string(),
	last_seen_at: isoDate,
	/** Seen within the last 2 minutes. */
	online: z.boolean(),
	last_success_at: z.nullable( isoDate ),
	last_error: z.nullable( z.string() ),
	last_error_at: z.nullable( isoDate ),
	requests_last_minute: z.nullable( z.int() ),
	synced_last_minute: z.nullable( z.int() ),
	eta_seconds: z.nullable( z.number() ),
} );
export type SenderStatus = z.infer< typeof SenderStatus >;

/** Which runner sends for the shop (exactly one), and the in-WordPress runner's last run. */
export const RunnerStatus = z.object( {
	/** `wordpress`: the runner inside WordPress (Action Scheduler); `node`: the Node sender; `none`: nothing sends. */
	runner: z.enum( [ 'wordpress', 'node', 'none' ] ),
	reason: z.enum( [
		'no_sender',
		'sender_offline',
		'sender_online',
		'settings_incomplete',
		'disabled',
	] ),
	last_run_at: z.nullable( isoDate ),
	next_run_at: z.nullable( isoDate ),
	last_success_at: z.nullable( isoDate ),
	last_error: z.nullable( z.string() ),
	last_error_at: z.nullable( isoDate ),
	last_synced: z.nullable( z.int() ),
	/** DISABLE_WP_CRON is set: a system cron must run the queue. */
	cron_disabled: z.boolean(),
} );
export type RunnerStatus = z.infer< typeof RunnerStatus >;

export const StatusResponse = z.object( {
	counts: z.object( {
		pending: z.int(),
		synced: z.int(),
		failed: z.int(),
		dead: z.int(),
		skipped: z.int(),
	} ),
	total: z.int(),
	/** Rows with version > synced_version. */
	dirty: z.int(),
	oldest_pending_at: z.nullable( isoDate ),
	oldest_pending_age_seconds: z.nullable( z.int() ),
	resync: z.object( {
		/** A resync is running while rows it marked are still dirty. */
		running: z.boolean(),
		started_at: z.nullable( isoDate ),
		total: z.int(),
		done: z.int(),
		percent: z.number(),
	} ),
	/** null when no sender has ever claimed. */
	sender: z.nullable( SenderStatus ),
	problems: z.int(),
	settings_complete: z.boolean(),
	runner: RunnerStatus,
	/**
	 * Set when changes could not be written (the database kept refusing): the next run or claim
	 * marks every SKU. Optional (added after v1).
	 */
	needs_resync: z.nullish( z.object( { since: isoDate } ) ),
} );
export type StatusResponse = z.infer< typeof StatusResponse >;

export const Item = z.object( {
	sku: z.string(),
	product_id: z.nullable( z.int() ),
	parent_id: z.nullable( z.int() ),
	product_name: z.nullable( z.string() ),
	/** wp-admin edit link of the product (the parent for variations). */
	edit_url: z.nullable( z.string() ),
	type: z.nullable( z.string() ),
	shop_stock: nullableNumber,
	pushed_stock: nullableNumber,
	keycrm_product_id: z.nullable( z.int() ),
	keycrm_offer_id: z.nullable( z.int() ),
	state: ItemState,
	dirty: z.boolean(),
	attempts: z.int(),
	next_attempt_at: z.nullable( isoDate ),
	synced_at: z.nullable( isoDate ),
	last_error: z.nullable( z.string() ),
	last_error_code: z.nullable( z.string() ),
	updated_at: z.nullable( isoDate ),
} );
export type Item = z.infer< typeof Item >;

export const ItemsResponse = z.object( {
	items: z.array( Item ),
	total: z.int(),
	page: z.int(),
	per_page: z.int(),
	total_pages: z.int(),
} );
export type ItemsResponse = z.infer< typeof ItemsResponse >;

export const ItemsQuery = z.object( {
	search: z.optional( z.string() ),
	state: z.optional( ItemState ),
	page: z.optional( z.int().check( z.minimum( 1 ) ) ),
	per_page: z.optional( z.int().check( z.minimum( 1 ), z.maximum( 100 ) ) ),
} );
export type ItemsQuery = z.infer< typeof ItemsQuery >;

/** POST /items/retry: given SKUs, or every failed/dead row when `skus` is absent. */
export const RetryRequest = z.object( {
	skus: z.optional( z.array( z.string() ).check( z.maxLength( 1000 ) ) ),
} );
export const RetryResponse = z.object( { retried: z.int() } );

export const ResyncResponse = z.object( {
	/** Rows marked dirty (existing rows + created rows). */
	marked: z.int(),
	created: z.int(),
	started_at: isoDate,
} );
export type ResyncResponse = z.infer< typeof ResyncResponse >;

export const ProblemKind = z.enum( [
	'missing_sku',
	'duplicate_sku',
	'unusable_sku',
	/** A variable product whose stock is shared by variations that do not manage their own (each is sent the whole quantity). */
	'parent_stock',
] );
export const Problem = z.object( {
	kind: ProblemKind,
	/** The SKU as stored ('' for missing). */
	sku: z.string(),
	product_id: z.int(),
	parent_id: z.nullable( z.int() ),
	product_name: z.string(),
	edit_url: z.string(),
	/** Plain-words reason, e.g. "contains a comma", "also used by product #12". */
	detail: z.string(),
} );
export type Problem = z.infer< typeof Problem >;

export const ProblemsResponse = z.object( {
	problems: z.array( Problem ),
	total: z.int(),
	page: z.int(),
	per_page: z.int(),
} );
export type ProblemsResponse = z.infer< typeof ProblemsResponse >;

/** `GET /worker/settings` (sender route, for `doctor`: leases nothing, no heartbeat). */
export const SenderSettingsResponse = z.object( {
	settings: SenderSettings,
	problems: ProblemsResponse,
} );
export type SenderSettingsResponse = z.infer< typeof SenderSettingsResponse >;

/** `POST /sender-user` (administrators): the sender user and its new application password. */
export const SenderUserResponse = z.object( {
	user_login: z.string(),
	password: z.string(),
} );
export type SenderUserResponse = z.infer< typeof SenderUserResponse >;

/** Error body of every failed route (WP_Error as WordPress serialises it). */
export const RestError = z.object( {
	code: z.string(),
	message: z.string(),
	data: z.nullish( z.looseObject( { status: z.int() } ) ),
} );
export type RestError = z.infer< typeof RestError >;

/* ------------------------------------------------------------------ */
/* Stock source: keyCRM → shop (webhook, pull) and drift               */
/* ------------------------------------------------------------------ */

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
