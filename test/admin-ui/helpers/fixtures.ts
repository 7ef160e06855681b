/**
 * Contract-valid response bodies for the admin UI tests (each parsed with the shared schemas,
 * so a fixture that drifts from the contract fails here, not silently in a screen).
 */
import {
	Item,
	ItemsResponse,
	Problem,
	PublicSettings,
	RemoteSku,
	RemoteSkusResponse,
	StatusResponse,
	StockPullState,
	StockSourceStatus,
} from '@keycrm-sync/contract';

export const NOW = '2026-11-27T15:00:00Z';

/**
 * A GET /status body.
 *
 * @param patch Fields to override.
 */
export function statusBody(
	patch: Partial< StatusResponse > = {}
): StatusResponse {
	return StatusResponse.parse( {
		counts: { pending: 0, synced: 0, failed: 0, dead: 0, skipped: 0 },
		total: 0,
		dirty: 0,
		oldest_pending_at: null,
		oldest_pending_age_seconds: null,
		resync: {
			running: false,
			started_at: null,
			total: 0,
			done: 0,
			percent: 0,
		},
		sender: null,
		problems: 0,
		settings_complete: true,
		runner: {
			runner: 'none',
			reason: 'disabled',
			last_run_at: null,
			next_run_at: null,
			last_success_at: null,
			last_error: null,
			last_error_at: null,
			last_synced: null,
			cron_disabled: false,
		},
		...patch,
	} );
}

/**
 * An online sender block of GET /status.
 *
 * @param patch Fields to override.
 */
export function onlineSender(
	patch: Partial< NonNullable< StatusResponse[ 'sender' ] > > = {}
) {
	return {
		worker_id: 'host-1',
		version: '0.1.0',
		last_seen_at: new Date( Date.now() - 5000 ).toISOString(),
		online: true,
		last_success_at: new Date( Date.now() - 10000 ).toISOString(),
		last_error: null,
		last_error_at: null,
		requests_last_minute: 12,
		synced_last_minute: 3400,
		eta_seconds: 95,
		...patch,
	};
}

/**
 * One per-SKU row.
 *
 * @param sku   SKU.
 * @param patch Fields to override.
 */
export function itemRow( sku: string, patch: Partial< Item > = {} ): Item {
	return Item.parse( {
		sku,
		product_id: 12,
		parent_id: null,
		product_name: `Product ${ sku }`,
		edit_url: 'http://localhost/wp-admin/post.php?post=12&action=edit',
		type: 'simple',
		shop_stock: 7,
		pushed_stock: 7,
		keycrm_product_id: 501,
		keycrm_offer_id: 901,
		state: 'synced',
		dirty: false,
		attempts: 0,
		next_attempt_at: null,
		synced_at: NOW,
		last_error: null,
		last_error_code: null,
		updated_at: NOW,
		...patch,
	} );
}

/**
 * A GET /items body.
 *
 * @param items   Rows of the page.
 * @param total   Total rows.
 * @param page    Page number.
 * @param perPage Page size.
 */
export function itemsBody(
	items: Item[],
	total = items.length,
	page = 1,
	perPage = 50
): ItemsResponse {
	return ItemsResponse.parse( {
		items,
		total,
		page,
		per_page: perPage,
		total_pages: Math.ceil( total / perPage ),
	} );
}

/**
 * A GET /settings body.
 *
 * @param patch Fields to override.
 */
export function settingsBody(
	patch: Partial< PublicSettings > = {}
): PublicSettings {
	return PublicSettings.parse( {
		api_key_set: false,
		warehouse_id: null,
		stock_source: 'woocommerce',
		sync_stock: true,
		sync_prices: true,
		sync_product_data: false,
		create_products: true,
		rate_per_minute: 50,
		keycrm_weight_unit: 'kg',
		keycrm_dimension_unit: 'cm',
		retire_policy: 'zero_stock',
		stock_apply: 'available',
		pull_interval_minutes: 60,
		max_attempts: 8,
		webhook_secret_set: true,
		...patch,
	} );
}

/**
 * One SKU problem.
 *
 * @param patch Fields to override.
 */
export function problemRow( patch: Partial< Problem > = {} ): Problem {
	return Problem.parse( {
		kind: 'duplicate_sku',
		sku: 'TSHIRT-1',
		product_id: 31,
		parent_id: null,
		product_name: 'Blue T-shirt',
		edit_url: 'http://localhost/wp-admin/post.php?post=31&action=edit',
		detail: 'also used by product #12',
		...patch,
	} );
}

/**
 * The `pull` block of GET /stock-source/status (also POST /stock-source/pull-now's answer).
 *
 * @param patch Fields to override.
 */
export function pullState(
	patch: Partial< StockPullState > = {}
): StockPullState {
	return StockPullState.parse( {
		due: false,
		reason: 'not_yet',
		stock_source: 'keycrm',
		stock_apply: 'available',
		interval_minutes: 60,
		last_started_at: '2026-11-27T14:00:00Z',
		last_finished_at: '2026-11-27T14:01:00Z',
		requested_at: null,
		last_result: {
			complete: true,
			pages: 3,
			scanned: 1234,
			counts: { applied: 10, unchanged: 1220, unknown: 4 },
			error: null,
		},
		...patch,
	} );
}

/**
 * A GET /stock-source/status body.
 *
 * @param pull  Fields of the pull state to override.
 * @param patch Fields to override.
 */
export function stockStatusBody(
	pull: Partial< StockPullState > = {},
	patch: Partial< Omit< StockSourceStatus, 'pull' > > = {}
): StockSourceStatus {
	return StockSourceStatus.parse( {
		pull: pullState( pull ),
		inbox: { pending: 1, applied: 42, failed: 0 },
		counts: { unknown: 0, unmanaged: 0, drift: 0 },
		...patch,
	} );
}

/**
 * One keyCRM SKU of the unknown / unmanaged / drift lists.
 *
 * @param sku   SKU.
 * @param patch Fields to override.
 */
export function remoteSku(
	sku: string,
	patch: Partial< RemoteSku > = {}
): RemoteSku {
	return RemoteSku.parse( {
		kind: 'unknown',
		sku,
		offer_id: 901,
		product_id: null,
		edit_url: null,
		keycrm_in_stock: 5,
		keycrm_in_reserve: 1,
		shop_stock: null,
		first_seen_at: NOW,
		last_seen_at: NOW,
		seen_count: 2,
		...patch,
	} );
}

/**
 * A GET /stock-source/unknown or /stock-source/drift body.
 *
 * @param items   Rows of the page.
 * @param total   Total rows.
 * @param page    Page number.
 * @param perPage Page size.
 */
export function remoteSkusBody(
	items: RemoteSku[],
	total = items.length,
	page = 1,
	perPage = 50
): RemoteSkusResponse {
	return RemoteSkusResponse.parse( {
		items,
		total,
		page,
		per_page: perPage,
	} );
}

export const PAGE_DATA = {
	restRoot: 'http://localhost/wp-json/',
	siteUrl: 'http://localhost/',
	adminUrl: 'http://localhost/wp-admin/',
	productsUrl: 'http://localhost/wp-admin/edit.php?post_type=product',
	profileUrl: 'http://localhost/wp-admin/profile.php',
	userLogin: 'shop-admin',
	senderLogin: 'keycrm-sync-sender',
	canCreateSender: true,
	canRotateWebhook: true,
	appPasswords: true,
	wcHeader: false,
	pluginVersion: '0.1.0',
};

/**
 * Whether an element is inside an error notice (the way the screens report failed requests).
 *
 * @param el Element found by a query.
 */
export function inErrorNotice( el: HTMLElement ): boolean {
	return el.closest( '.components-notice.is-error' ) !== null;
}
