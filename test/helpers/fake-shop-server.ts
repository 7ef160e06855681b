/**
 * A FakeShop served on a real loopback HTTP server (for benchmarks and
 * end-to-end runs of the CLI against the model): POST
 * /wp-json/keycrm-sync/v1/worker/claim and /worker/ack with HTTP Basic
 * application-password auth, WordPress-shaped errors.
 */
import {
	createServer,
	type IncomingMessage,
	type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

import { AckRequest, ClaimRequest } from '@keycrm-sync/contract';
import type { FakeShop } from './fake-shop';

/** A running server. */
export interface FakeShopServer {
	url: string;
	close: () => Promise< void >;
}

/**
 * Read a request body.
 *
 * @param req Request.
 */
async function body( req: IncomingMessage ): Promise< unknown > {
	const chunks: Buffer[] = [];
	for await ( const c of req ) {
		chunks.push( c as Buffer );
	}
	return JSON.parse( Buffer.concat( chunks ).toString( 'utf8' ) || 'null' );
}

/**
 * Write a JSON response.
 *
 * @param res    Response.
 * @param status Status.
 * @param data   Body.
 */
function send( res: ServerResponse, status: number, data: unknown ): void {
	const text = JSON.stringify( data );
	res.writeHead( status, {
		'Content-Type': 'application/json',
		'Content-Length': Buffer.byteLength( text ),
	} );
	res.end( text );
}

/**
 * Serve a shop on 127.0.0.1.
 *
 * @param shop              The model.
 * @param port              Port (0 = any).
 * @param creds             Accepted login and application password.
 * @param creds.user        Login.
 * @param creds.appPassword Application password.
 */
export async function startFakeShopServer(
	shop: FakeShop,
	port: number,
	creds: { user: string; appPassword: string }
): Promise< FakeShopServer > {
	const expected = `Basic ${ Buffer.from( `${ creds.user }:${ creds.appPassword }` ).toString( 'base64' ) }`;
	const server = createServer( ( req, res ) => {
		const route = ( req.url ?? '' ).replace(
			/^\/wp-json\/keycrm-sync\/v1/,
			''
		);
		if (
			req.method !== 'POST' ||
			( route !== '/worker/claim' && route !== '/worker/ack' )
		) {
			send( res, 404, {
				code: 'rest_no_route',
				message:
					'No route was found matching the URL and request method.',
				data: { status: 404 },
			} );
			return;
		}
		if ( req.headers.authorization !== expected ) {
			send( res, 401, {
				code: 'incorrect_password',
				message:
					'The provided password is an invalid application password.',
				data: { status: 401 },
			} );
			return;
		}
		body( req )
			.then( ( json ) =>
				send(
					res,
					200,
					route === '/worker/claim'
						? shop.claim( ClaimRequest.parse( json ) )
						: shop.ack( AckRequest.parse( json ) )
				)
			)
			.catch( ( error: unknown ) =>
				send( res, 400, {
					code: 'rest_invalid_param',
					message: String( error ),
					data: { status: 400 },
				} )
			);
	} );
	await new Promise< void >( ( resolve ) =>
		server.listen( port, '127.0.0.1', resolve )
	);
	const address = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${ address.port }`,
		close: () =>
			new Promise( ( resolve ) => server.close( () => resolve() ) ),
	};
}
