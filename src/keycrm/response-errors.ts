/**
 * What a keyCRM response or transport failure means: a 2xx body parsed with
 * the call's schema, a 4xx mapped to a typed error, a transport failure
 * described in one line.
 */
import {
	KeyCrmAuthError,
	KeyCrmError,
	KeyCrmNotFoundError,
	KeyCrmUnexpectedResponseError,
	KeyCrmValidationError,
	type KeyCrmCallInfo,
} from './errors.js';
import { ErrorBody } from './schemas.js';
import type { CallSpec } from './transport.js';
import { cutChars } from '../util/text.js';
import { issueMessage, issuePath } from '../util/zod-issues.js';

/**
 * Parse a 2xx body with the call's schema.
 *
 * @param spec           The call.
 * @param info           Call info for errors.
 * @param outcome        The response.
 * @param outcome.status HTTP status.
 * @param outcome.text   Raw body text.
 */
export function parseBody< T >(
	spec: CallSpec< T >,
	info: KeyCrmCallInfo,
	outcome: { status: number; text: string }
): T {
	let json: unknown;
	try {
		json = JSON.parse( outcome.text );
	} catch ( cause ) {
		throw new KeyCrmUnexpectedResponseError(
			`${ spec.route }: response ${ outcome.status } is not JSON: ${ cutChars( outcome.text, 120 ) }`,
			{ status: outcome.status, call: info, cause }
		);
	}
	const parsed = spec.schema.safeParse( json );
	if ( ! parsed.success ) {
		const issue = parsed.error.issues[ 0 ];
		const path = issue ? issuePath( issue ) : '';
		throw new KeyCrmUnexpectedResponseError(
			`${ spec.route }: unexpected response shape at "${ path }": ${ issue ? issueMessage( issue ) : 'invalid' }`,
			{
				status: outcome.status,
				issuePath: path,
				call: info,
				cause: parsed.error,
			}
		);
	}
	return parsed.data;
}

/**
 * Map a non-429 4xx response to a typed error.
 *
 * @param spec           The call.
 * @param info           Call info for errors.
 * @param outcome        The response.
 * @param outcome.status HTTP status.
 * @param outcome.text   Raw body text.
 */
export function clientError(
	spec: CallSpec< unknown >,
	info: KeyCrmCallInfo,
	outcome: { status: number; text: string }
): KeyCrmError {
	let body: ErrorBody = {};
	try {
		const parsed = ErrorBody.safeParse( JSON.parse( outcome.text ) );
		body = parsed.success ? parsed.data : {};
	} catch {
		// Not JSON: keep the raw text in the message below.
	}
	const message =
		body.message ??
		( cutChars( outcome.text, 200 ) || `HTTP ${ outcome.status }` );
	const prefix = `${ spec.route }: `;
	switch ( outcome.status ) {
		case 401:
			return new KeyCrmAuthError(
				`${ prefix }keyCRM rejected the API key (401): ${ message }`,
				info
			);
		case 404:
			return new KeyCrmNotFoundError(
				`${ prefix }not found (404): ${ message }`,
				info
			);
		case 400:
		case 422:
			return new KeyCrmValidationError(
				`${ prefix }${ message }`,
				outcome.status,
				body.errors ?? {},
				info
			);
		default:
			return new KeyCrmUnexpectedResponseError(
				`${ prefix }unexpected status ${ outcome.status }: ${ message }`,
				{ status: outcome.status, call: info }
			);
	}
}

/**
 * A short description of a fetch/ky transport failure.
 *
 * @param error What fetch threw.
 */
export function describeTransportError( error: unknown ): string {
	if ( error instanceof Error ) {
		const cause = ( error as { cause?: unknown } ).cause;
		const detail = cause instanceof Error ? ` (${ cause.message })` : '';
		return `${ error.name }: ${ error.message }${ detail }`;
	}
	return String( error );
}
