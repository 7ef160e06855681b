/**
 * msw server for the admin UI tests: api-fetch is pointed at http://localhost/wp-json/ and any
 * request without a handler fails the test.
 */
import apiFetch from '@wordpress/api-fetch';
import { http, HttpResponse, type JsonBodyType } from 'msw';
import { setupServer } from 'msw/node';

export const ROOT = 'http://localhost/wp-json';
export const API = `${ ROOT }/keycrm-sync/v1`;

apiFetch.use( apiFetch.createRootURLMiddleware( `${ ROOT }/` ) );

export const server = setupServer();

/** Registers beforeAll/afterEach/afterAll hooks for the server. */
export function setupMswServer(): void {
	beforeAll( () => server.listen( { onUnhandledRequest: 'error' } ) );
	afterEach( () => server.resetHandlers() );
	afterAll( () => server.close() );
}

/**
 * A WP_Error JSON response.
 *
 * @param status  HTTP status.
 * @param code    Error code.
 * @param message Message.
 */
export function wpError( status: number, code: string, message: string ) {
	return HttpResponse.json( { code, message, data: { status } }, { status } );
}

/**
 * A JSON response.
 *
 * @param body JSON body.
 */
export function json( body: JsonBodyType ) {
	return HttpResponse.json( body );
}

export { http, HttpResponse };

/**
 * A PUT handler as WordPress receives it from api-fetch: POST with `X-HTTP-Method-Override: PUT`
 * (api-fetch's httpV1 middleware). Other POSTs to the same URL fall through.
 *
 * @param url      Route URL.
 * @param resolver Response resolver.
 */
export function httpPut(
	url: string,
	resolver: Parameters< typeof http.post >[ 1 ]
) {
	return http.post( url, ( info ) => {
		if ( info.request.headers.get( 'x-http-method-override' ) !== 'PUT' ) {
			return undefined;
		}
		return resolver( info );
	} );
}
