/**
 * msw request handlers backed by a `KeyCrmEmulator`, for jest. Requests to
 * `${baseUrl}/…` go to the emulator's API (`/v1/…`); requests to
 * `${origin}/__emulator/…` to its control API.
 *
 * Faults: `reset` becomes a network error; `timeout` never answers (the
 * client's timeout or abort ends it); `drip` sends the headers and a few
 * bytes of the body, then nothing more until the client gives up.
 */
import { http, HttpResponse, type HttpHandler } from 'msw';

import type { EmulatorResponse, KeyCrmEmulator } from './core.js';

/**
 * Turn an emulator response into what msw returns.
 *
 * @param res    Emulator response.
 * @param signal The request's abort signal.
 */
async function toMsw(
	res: EmulatorResponse,
	signal: AbortSignal
): Promise< Response > {
	if ( res.fault === 'reset' ) {
		return HttpResponse.error();
	}
	if ( res.fault === 'timeout' ) {
		await new Promise< void >( ( resolve ) => {
			signal.addEventListener( 'abort', () => resolve(), { once: true } );
		} );
		return HttpResponse.error();
	}
	if ( res.fault === 'drip' ) {
		const start = new TextEncoder().encode( res.body.slice( 0, 8 ) );
		return new HttpResponse(
			new ReadableStream( {
				start( controller ) {
					controller.enqueue( start );
					signal.addEventListener(
						'abort',
						() => controller.error( signal.reason ),
						{ once: true }
					);
				},
			} ),
			{ status: res.status, headers: res.headers }
		);
	}
	return new HttpResponse( res.status === 204 ? null : res.body, {
		status: res.status,
		headers: res.headers,
	} );
}

/**
 * msw handlers for an emulator mounted at `baseUrl` (the API root, e.g.
 * `https://openapi.keycrm.app/v1`). The emulator's `apiUrl` is set to it so
 * paginator URLs point back at the handlers.
 *
 * @param emulator The emulator.
 * @param baseUrl  API root URL.
 */
export function keycrmHandlers(
	emulator: KeyCrmEmulator,
	baseUrl = 'https://openapi.keycrm.app/v1'
): HttpHandler[] {
	const root = baseUrl.replace( /\/+$/, '' );
	const origin = new URL( root ).origin;
	emulator.apiUrl = root;
	const forward =
		( path: ( url: URL ) => string ) =>
		async ( { request }: { request: Request } ) => {
			const url = new URL( request.url );
			const body =
				request.method === 'GET' || request.method === 'HEAD'
					? undefined
					: await request.text();
			const res = await emulator.handle( {
				method: request.method,
				path: path( url ),
				query: url.searchParams,
				headers: request.headers,
				body,
			} );
			return toMsw( res, request.signal );
		};
	return [
		http.all(
			`${ origin }/__emulator/*`,
			forward( ( url ) => url.pathname )
		),
		http.all(
			`${ root }/*`,
			forward(
				( url ) =>
					`/v1${ url.pathname.slice( new URL( root ).pathname.replace( /\/$/, '' ).length ) }`
			)
		),
	];
}
