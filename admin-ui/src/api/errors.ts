/**
 * Typed errors of the admin app's REST calls.
 */
import type * as z from 'zod/mini';

import { describeIssues, RestError } from '@keycrm-sync/contract';

/** A request failed: the server's message (WP_Error) or a network/parse failure. */
export class ApiError extends Error {
	/** WP_Error code, or `fetch_error` / `invalid_response`. */
	readonly code: string;
	/** HTTP status when the server answered, else null. */
	readonly status: number | null;

	constructor( message: string, code: string, status: number | null ) {
		super( message );
		this.name = 'ApiError';
		this.code = code;
		this.status = status;
	}
}

/** The server answered 2xx with JSON that does not match the contract. */
export class InvalidResponseError extends ApiError {
	constructor( path: string, issues: string ) {
		super(
			`Unexpected response from ${ path }: ${ issues }`,
			'invalid_response',
			null
		);
		this.name = 'InvalidResponseError';
	}
}

/**
 * Turns whatever api-fetch threw (a WP_Error body, a fetch failure, an Error) into an ApiError.
 *
 * @param thrown The value api-fetch rejected with.
 */
export function toApiError( thrown: unknown ): ApiError {
	if ( thrown instanceof ApiError ) {
		return thrown;
	}
	const rest = RestError.safeParse( thrown );
	if ( rest.success ) {
		return new ApiError(
			rest.data.message,
			rest.data.code,
			rest.data.data?.status ?? null
		);
	}
	if ( thrown instanceof Error ) {
		return new ApiError( thrown.message, 'fetch_error', null );
	}
	return new ApiError( 'The request failed.', 'unknown', null );
}

/**
 * Parses `data` with `schema`, throwing InvalidResponseError with the issues in plain words.
 *
 * @param schema The zod schema of the route's response.
 * @param data   The JSON api-fetch returned.
 * @param path   Route path (for the message).
 */
export function parseResponse< S extends z.ZodMiniType >(
	schema: S,
	data: unknown,
	path: string
): z.infer< S > {
	const result = schema.safeParse( data );
	if ( ! result.success ) {
		throw new InvalidResponseError(
			path,
			describeIssues( result.error.issues, 3 )
		);
	}
	return result.data;
}
