/**
 * Plain request and response helpers of the emulator: JSON responses, JSON
 * bodies as Laravel reads them, the bearer token.
 */
import type { EmulatorRequest, EmulatorResponse } from './core.js';
import type { RouteResult } from './route-types.js';

export const JSON_HEADERS = { 'Content-Type': 'application/json' };

/**
 * A JSON response.
 *
 * @param result  Status and body.
 * @param headers Extra headers.
 */
export function respond(
	result: RouteResult,
	headers: Record< string, string > = {}
): EmulatorResponse {
	return {
		status: result.status,
		headers: { ...JSON_HEADERS, ...headers },
		body: JSON.stringify( result.body ),
	};
}

/**
 * Parse a JSON body; undefined when empty or invalid (Laravel then sees no input).
 *
 * @param body Raw body.
 */
export function parseJson( body: string | undefined ): unknown {
	if ( body === undefined || body === '' ) {
		return undefined;
	}
	try {
		return JSON.parse( body );
	} catch {
		return undefined;
	}
}

/**
 * The bearer token of a request, or null.
 *
 * @param headers Request headers.
 */
export function bearer( headers: EmulatorRequest[ 'headers' ] ): string | null {
	let value: string | null | undefined;
	if ( headers instanceof Headers ) {
		value = headers.get( 'authorization' );
	} else {
		const entry = Object.entries( headers ?? {} ).find(
			( [ k ] ) => k.toLowerCase() === 'authorization'
		);
		value = entry?.[ 1 ];
	}
	const m = /^Bearer\s+(.+)$/i.exec( value?.trim() ?? '' );
	return m?.[ 1 ] ?? null;
}
