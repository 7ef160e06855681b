/**
 * Admin routes: status, the items list and its actions, SKU problems, the
 * sender user; and the error body every route fails with.
 */
import * as z from 'zod/mini';

import { isoDate, nullableNumber } from './fields.js';
import { SenderSettings } from './settings.js';

export const ItemState = z.enum( [
	'pending',
	'synced',
	'failed',
	'dead',
	'skipped',
] );
export type ItemState = z.infer< typeof ItemState >;

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
