/**
 * The emulator as a real HTTP server (node:http), loopback by default:
 * API under `/v1` (same paths as https://openapi.keycrm.app/v1), control API
 * under `/__emulator/` (loopback clients only), read-only page at `/`.
 */
import {
	createServer,
	type IncomingMessage,
	type ServerResponse,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

import { KeyCrmEmulator, type EmulatorOptions } from './core.js';

/** Largest accepted request body (a 10,000-row bulk call is ~1 MB). */
const MAX_BODY_BYTES = 32 * 1024 * 1024;

export interface EmulatorServerOptions extends EmulatorOptions {
	/** Port (0 = any free port). */
	port: number;
	/** Interface (default 127.0.0.1). */
	host?: string;
}

export interface EmulatorServer {
	/** Base URL, e.g. `http://127.0.0.1:9411` (the API root is `${url}/v1`). */
	url: string;
	emulator: KeyCrmEmulator;
	close: () => Promise< void >;
}

/**
 * Whether a socket's peer is on loopback.
 *
 * @param socket The socket.
 */
function isLoopback( socket: Socket ): boolean {
	const a = socket.remoteAddress ?? '';
	return (
		a === '::1' || a.startsWith( '127.' ) || a.startsWith( '::ffff:127.' )
	);
}

/**
 * Read a request body (bounded).
 *
 * @param req The request.
 */
async function readBody( req: IncomingMessage ): Promise< string > {
	const chunks: Buffer[] = [];
	let size = 0;
	for await ( const chunk of req ) {
		size += ( chunk as Buffer ).length;
		if ( size > MAX_BODY_BYTES ) {
			throw new Error( 'request body too large' );
		}
		chunks.push( chunk as Buffer );
	}
	return Buffer.concat( chunks ).toString( 'utf8' );
}

/**
 * Serve one request.
 *
 * @param emulator The emulator.
 * @param req      Request.
 * @param res      Response.
 */
async function serve(
	emulator: KeyCrmEmulator,
	req: IncomingMessage,
	res: ServerResponse
): Promise< void > {
	const url = new URL( req.url ?? '/', 'http://emulator.local' );
	if (
		url.pathname.startsWith( '/__emulator/' ) &&
		! isLoopback( req.socket )
	) {
		res.writeHead( 403, { 'Content-Type': 'application/json' } ).end(
			'{"message":"control API is loopback-only"}'
		);
		return;
	}
	let body: string;
	try {
		body = await readBody( req );
	} catch {
		res.writeHead( 413, {
			'Content-Type': 'application/json',
			Connection: 'close',
		} ).end( '{"message":"Payload Too Large"}' );
		return;
	}
	const headers = Object.fromEntries(
		Object.entries( req.headers ).map( ( [ k, v ] ) => [
			k,
			Array.isArray( v ) ? v.join( ', ' ) : v,
		] )
	);
	const out = await emulator.handle( {
		method: req.method ?? 'GET',
		path: url.pathname,
		query: url.searchParams,
		headers,
		body,
	} );
	if ( out.fault === 'reset' ) {
		req.socket.resetAndDestroy();
		return;
	}
	if ( out.fault === 'timeout' ) {
		// Never answer; the client gives up. The socket is destroyed on close().
		return;
	}
	if ( out.fault === 'drip' ) {
		// Headers and the first bytes, then nothing; the socket is destroyed on close().
		res.writeHead( out.status, out.headers );
		res.write( out.body.slice( 0, 8 ) );
		return;
	}
	res.writeHead( out.status, {
		...out.headers,
		'Content-Length': Buffer.byteLength( out.body ),
	} ).end( out.body );
}

/**
 * Start an emulator HTTP server.
 *
 * @param options Server and emulator options.
 */
export async function startEmulatorServer(
	options: EmulatorServerOptions
): Promise< EmulatorServer > {
	const { port, host = '127.0.0.1', ...emulatorOptions } = options;
	const emulator = new KeyCrmEmulator( emulatorOptions );
	const sockets = new Set< Socket >();
	const server = createServer( ( req, res ) => {
		serve( emulator, req, res ).catch( ( error: unknown ) => {
			if ( ! res.headersSent ) {
				res.writeHead( 500, { 'Content-Type': 'application/json' } );
			}
			res.end(
				JSON.stringify( {
					message: 'Server Error',
					detail:
						error instanceof Error
							? error.message
							: String( error ),
				} )
			);
		} );
	} );
	server.on( 'connection', ( s ) => {
		sockets.add( s );
		s.on( 'close', () => sockets.delete( s ) );
	} );
	await new Promise< void >( ( resolve, reject ) => {
		server.once( 'error', reject );
		server.listen( port, host, () => resolve() );
	} );
	const address = server.address() as AddressInfo;
	const hostForUrl =
		address.family === 'IPv6' ? `[${ address.address }]` : address.address;
	const url = `http://${ hostForUrl }:${ address.port }`;
	emulator.apiUrl = options.apiUrl ?? `${ url }/v1`;
	return {
		url,
		emulator,
		close: () =>
			new Promise< void >( ( resolve, reject ) => {
				server.close( ( err ) => ( err ? reject( err ) : resolve() ) );
				sockets.forEach( ( s ) => s.destroy() );
			} ),
	};
}
