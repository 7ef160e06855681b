/**
 * Reading a keyCRM response body within bounds: at most MAX_BODY_BYTES, and
 * within the attempt's timeout (a body that trickles or never ends fails the
 * attempt instead of waiting for undici's 300 s).
 */
/** Largest keyCRM response body read (bytes); a bigger one fails the attempt. */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;

/** A response body that did not arrive in time, or was too big. */
export class BodyReadError extends Error {
	override name = 'BodyReadError';
}

/**
 * A response body as text, within `timeoutMs` and MAX_BODY_BYTES.
 *
 * @param res        The response (headers received).
 * @param timeoutMs  Time allowed for the whole body (real ms, like ky's timeout).
 * @param controller Aborts the request when the body is late or too big.
 */
export async function readBody(
	res: Response,
	timeoutMs: number,
	controller: AbortController
): Promise< string > {
	const declared = Number( res.headers.get( 'content-length' ) ?? NaN );
	if ( declared > MAX_BODY_BYTES ) {
		controller.abort();
		throw new BodyReadError(
			`response body of ${ declared } bytes is over the limit of ${ MAX_BODY_BYTES }`
		);
	}
	if ( ! res.body ) {
		return '';
	}
	const reader = res.body.getReader();
	let late = false;
	const timer = setTimeout( () => {
		late = true;
		controller.abort();
		void reader.cancel().catch( () => undefined );
	}, timeoutMs );
	const chunks: Uint8Array[] = [];
	let bytes = 0;
	try {
		for (;;) {
			const { done, value } = await reader.read();
			if ( done ) {
				break;
			}
			bytes += value.byteLength;
			if ( bytes > MAX_BODY_BYTES ) {
				controller.abort();
				void reader.cancel().catch( () => undefined );
				throw new BodyReadError(
					`response body is over the limit of ${ MAX_BODY_BYTES } bytes`
				);
			}
			chunks.push( value );
		}
	} catch ( error ) {
		if ( late ) {
			throw new BodyReadError(
				`response body not received within ${ timeoutMs } ms`,
				{ cause: error }
			);
		}
		throw error;
	} finally {
		clearTimeout( timer );
	}
	if ( late ) {
		throw new BodyReadError(
			`response body not received within ${ timeoutMs } ms`
		);
	}
	return new TextDecoder().decode( Buffer.concat( chunks ) );
}
