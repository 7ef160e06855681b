/**
 * msw handlers serving a FakeShop as the plugin's REST API
 * (`{site}/wp-json/keycrm-sync/v1/worker/claim|ack`, and the stock-pull
 * routes when a FakeStockSource is given), with WordPress-shaped
 * errors (401 for a wrong application password, 404 `rest_no_route` when the
 * plugin is "not installed") and injectable failures of claim and ack.
 */
import { http, HttpResponse, type HttpHandler } from 'msw';

import {
	AckRequest,
	ClaimRequest,
	StockApplyRequest,
	StockPullReport,
} from '@keycrm-sync/contract';
import type { FakeShop } from './fake-shop';
import type { FakeStockSource } from './fake-shop-stock';

/** Failure knobs of the HTTP layer. */
export interface ShopHttpFaults {
	/** The next N claims answer 500 without claiming. */
	failClaims: number;
	/** The next N acks answer 500; `ackFailsAfterApply` decides whether the ack was applied first. */
	failAcks: number;
	ackFailsAfterApply: boolean;
	/** Answer 404 rest_no_route (plugin missing). */
	pluginMissing: boolean;
}

/** Options of the handlers. */
export interface ShopHttpOptions {
	siteUrl: string;
	user: string;
	appPassword: string;
	/** Serves `/worker/stock-pull` and `/worker/stock-apply` when given. */
	stock?: FakeStockSource;
}

/**
 * A WordPress REST error response.
 *
 * @param status  HTTP status.
 * @param code    WP error code.
 * @param message Message.
 */
function wpError( status: number, code: string, message: string ): Response {
	return HttpResponse.json( { code, message, data: { status } }, { status } );
}

/**
 * Build the handlers and their fault knobs.
 *
 * @param shop The model.
 * @param opts Site URL and credentials.
 */
export function fakeShopHandlers(
	shop: FakeShop,
	opts: ShopHttpOptions
): { handlers: HttpHandler[]; faults: ShopHttpFaults } {
	const faults: ShopHttpFaults = {
		failClaims: 0,
		failAcks: 0,
		ackFailsAfterApply: false,
		pluginMissing: false,
	};
	const base = `${ opts.siteUrl.replace( /\/+$/, '' ) }/wp-json/keycrm-sync/v1`;
	const expected = `Basic ${ Buffer.from( `${ opts.user }:${ opts.appPassword }` ).toString( 'base64' ) }`;
	const guard = ( request: Request ): Response | null => {
		if ( faults.pluginMissing ) {
			return wpError(
				404,
				'rest_no_route',
				'No route was found matching the URL and request method.'
			);
		}
		if ( request.headers.get( 'authorization' ) !== expected ) {
			return wpError(
				401,
				'incorrect_password',
				'The provided password is an invalid application password.'
			);
		}
		return null;
	};
	const handlers = [
		http.post( `${ base }/worker/claim`, async ( { request } ) => {
			const denied = guard( request );
			if ( denied ) {
				return denied;
			}
			if ( faults.failClaims > 0 ) {
				faults.failClaims--;
				return wpError(
					500,
					'internal_server_error',
					'There has been a critical error on this website.'
				);
			}
			const body = ClaimRequest.parse( await request.json() );
			return HttpResponse.json( shop.claim( body ) );
		} ),
		http.post( `${ base }/worker/ack`, async ( { request } ) => {
			const denied = guard( request );
			if ( denied ) {
				return denied;
			}
			const body = AckRequest.parse( await request.json() );
			if ( faults.failAcks > 0 ) {
				faults.failAcks--;
				if ( faults.ackFailsAfterApply ) {
					shop.ack( body );
				}
				return wpError(
					500,
					'internal_server_error',
					'There has been a critical error on this website.'
				);
			}
			return HttpResponse.json( shop.ack( body ) );
		} ),
		http.get(
			`${ base }/status`,
			( { request } ) =>
				guard( request ) ??
				wpError(
					403,
					'rest_forbidden',
					'Sorry, you are not allowed to do that.'
				)
		),
	];
	if ( opts.stock ) {
		handlers.push( ...stockHandlers( base, opts.stock, guard ) );
	}
	return { handlers, faults };
}

/**
 * The stock-pull routes (bodies validated with the contract, like the PHP side).
 *
 * @param base  REST root.
 * @param stock The model's stock side.
 * @param guard Credentials / plugin-missing check.
 */
function stockHandlers(
	base: string,
	stock: FakeStockSource,
	guard: ( request: Request ) => Response | null
): HttpHandler[] {
	const invalid = ( message: string ) =>
		wpError( 400, 'rest_invalid_param', message );
	return [
		http.get(
			`${ base }/worker/stock-pull`,
			( { request } ) =>
				guard( request ) ?? HttpResponse.json( stock.check() )
		),
		http.post( `${ base }/worker/stock-pull`, async ( { request } ) => {
			const body = StockPullReport.safeParse(
				await request.json().catch( () => null )
			);
			return (
				guard( request ) ??
				( body.success
					? HttpResponse.json( stock.report( body.data ) )
					: invalid( 'Invalid stock-pull report.' ) )
			);
		} ),
		http.post( `${ base }/worker/stock-apply`, async ( { request } ) => {
			const body = StockApplyRequest.safeParse(
				await request.json().catch( () => null )
			);
			return (
				guard( request ) ??
				( body.success
					? HttpResponse.json( stock.apply( body.data ) )
					: invalid( 'Invalid stock items.' ) )
			);
		} ),
	];
}
