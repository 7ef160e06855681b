/**
 * One function per plugin REST route: api-fetch, then a zod parse with the shared contract.
 */
import type * as z from 'zod/mini';
import apiFetch from '@wordpress/api-fetch';

import {
	ItemsResponse,
	ProblemsResponse,
	PublicSettings,
	RemoteSkusResponse,
	RequeueDriftResponse,
	ResyncResponse,
	RetryResponse,
	SenderUserResponse,
	StatusResponse,
	StockPullState,
	StockSourceStatus,
	WebhookSecretResponse,
	type ItemsQuery,
	type SettingsUpdate,
} from '@keycrm-sync/contract';
import { parseResponse, toApiError } from './errors';

export const NAMESPACE = '/keycrm-sync/v1';

async function request< S extends z.ZodMiniType >(
	schema: S,
	path: string,
	options: { method?: string; data?: unknown; signal?: AbortSignal } = {}
): Promise< z.infer< S > > {
	let json: unknown;
	try {
		json = await apiFetch( { path, ...options } );
	} catch ( thrown ) {
		throw toApiError( thrown );
	}
	return parseResponse( schema, json, path.split( '?' )[ 0 ] ?? path );
}

function withQuery(
	path: string,
	query: Record< string, string | number | undefined >
): string {
	const params = new URLSearchParams();
	for ( const [ key, value ] of Object.entries( query ) ) {
		if ( value !== undefined && value !== '' ) {
			params.set( key, String( value ) );
		}
	}
	const qs = params.toString();
	return qs ? `${ path }?${ qs }` : path;
}

/**
 * GET /status: counts, resync progress, sender health.
 *
 * @param signal Aborts the request.
 */
export function getStatus( signal?: AbortSignal ) {
	return request( StatusResponse, `${ NAMESPACE }/status`, { signal } );
}

/**
 * GET /items: one page of per-SKU rows.
 *
 * @param query  Search, state filter and page.
 * @param signal Aborts the request.
 */
export function getItems( query: ItemsQuery, signal?: AbortSignal ) {
	return request( ItemsResponse, withQuery( `${ NAMESPACE }/items`, query ), {
		signal,
	} );
}

/**
 * POST /items/retry: the given SKUs, or every failed/dead row when `skus` is omitted.
 *
 * @param skus SKUs to retry.
 */
export function retryItems( skus?: string[] ) {
	return request( RetryResponse, `${ NAMESPACE }/items/retry`, {
		method: 'POST',
		data: skus ? { skus } : {},
	} );
}

/** POST /resync: marks every SKU dirty. */
export function startResync() {
	return request( ResyncResponse, `${ NAMESPACE }/resync`, {
		method: 'POST',
	} );
}

/**
 * GET /problems: missing, duplicate and unusable SKUs.
 *
 * @param page   Page number (1-based).
 * @param signal Aborts the request.
 */
export function getProblems( page: number, signal?: AbortSignal ) {
	return request(
		ProblemsResponse,
		withQuery( `${ NAMESPACE }/problems`, { page, per_page: 50 } ),
		{
			signal,
		}
	);
}

/**
 * GET /settings (the API key itself is never returned).
 *
 * @param signal Aborts the request.
 */
export function getSettings( signal?: AbortSignal ) {
	return request( PublicSettings, `${ NAMESPACE }/settings`, { signal } );
}

/**
 * PUT /settings with the changed fields; returns the stored settings.
 *
 * @param update Fields to change.
 */
export function saveSettings( update: SettingsUpdate ) {
	return request( PublicSettings, `${ NAMESPACE }/settings`, {
		method: 'PUT',
		data: update,
	} );
}

/**
 * POST /settings/webhook-secret: a new webhook secret (the old URL stops working); the answer is
 * the only place the secret and the URL are ever shown (administrators only).
 */
export function rotateWebhookSecret() {
	return request(
		WebhookSecretResponse,
		`${ NAMESPACE }/settings/webhook-secret`,
		{ method: 'POST' }
	);
}

/**
 * Creates the dedicated sender user (once) and a new application password for it, revoking its
 * previous one (administrators only; the password is shown once).
 */
export function createSenderUser() {
	return request( SenderUserResponse, `${ NAMESPACE }/sender-user`, {
		method: 'POST',
	} );
}

/** Which list of keyCRM SKUs: not in the shop, in the shop without managed stock, or drifted. */
export type RemoteSkuList = 'unknown' | 'unmanaged' | 'drift';

/** Query of a keyCRM SKU list. */
export interface RemoteSkusQuery {
	search?: string;
	page: number;
	per_page: number;
}

/**
 * GET /stock-source/status: pull state, stock inbox and list counts.
 *
 * @param signal Aborts the request.
 */
export function getStockStatus( signal?: AbortSignal ) {
	return request( StockSourceStatus, `${ NAMESPACE }/stock-source/status`, {
		signal,
	} );
}

/** POST /stock-source/pull-now: asks the sender for a pull; returns the pull state. */
export function requestStockPull() {
	return request( StockPullState, `${ NAMESPACE }/stock-source/pull-now`, {
		method: 'POST',
	} );
}

/**
 * GET /stock-source/unknown?kind=… or GET /stock-source/drift: one page of keyCRM SKUs.
 *
 * @param list   Which list.
 * @param query  Search and page.
 * @param signal Aborts the request.
 */
export function getRemoteSkus(
	list: RemoteSkuList,
	query: RemoteSkusQuery,
	signal?: AbortSignal
) {
	const path =
		list === 'drift'
			? withQuery( `${ NAMESPACE }/stock-source/drift`, { ...query } )
			: withQuery( `${ NAMESPACE }/stock-source/unknown`, {
					kind: list,
					...query,
				} );
	return request( RemoteSkusResponse, path, { signal } );
}

/**
 * POST /stock-source/drift/requeue: pushes the shop's stock of these SKUs (all drifted when omitted).
 *
 * @param skus SKUs to re-queue.
 */
export function requeueDrift( skus?: string[] ) {
	return request(
		RequeueDriftResponse,
		`${ NAMESPACE }/stock-source/drift/requeue`,
		{
			method: 'POST',
			data: skus ? { skus } : {},
		}
	);
}
