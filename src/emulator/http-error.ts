/**
 * An HTTP error answer of the emulator, thrown by route handlers and turned
 * into a response by the core.
 */
export class HttpError extends Error {
	override readonly name = 'HttpError';

	constructor(
		readonly status: number,
		readonly body: Record< string, unknown >,
		readonly headers: Record< string, string > = {}
	) {
		super(
			typeof body.message === 'string' ? body.message : `HTTP ${ status }`
		);
	}

	/**
	 * Laravel's 422: the first error as `message` ("… (and N more errors)") plus the map.
	 *
	 * @param errors Field path → messages.
	 */
	static validation( errors: Record< string, string[] > ): HttpError {
		const keys = Object.keys( errors );
		const first =
			errors[ keys[ 0 ] ?? '' ]?.[ 0 ] ?? 'The given data was invalid.';
		const more = keys.length - 1;
		const message =
			more > 0
				? `${ first } (and ${ more } more error${ more > 1 ? 's' : '' })`
				: first;
		return new HttpError( 422, { message, errors } );
	}

	/**
	 * 404 with Laravel's generic body.
	 * @param message Message.
	 */
	static notFound( message = 'Not Found' ): HttpError {
		return new HttpError( 404, { message } );
	}
}
