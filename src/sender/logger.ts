/**
 * Structured logs: one JSON object per line (time, level, msg, fields).
 * Callers never pass secrets; `redact` masks known secret-looking keys anyway.
 */

/** Log levels. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** A structured logger. */
export interface Logger {
	log: (
		level: LogLevel,
		msg: string,
		fields?: Record< string, unknown >
	) => void;
}

const SECRET_KEYS = /^(api_?key|app_?password|password|authorization|secret)$/i;

/**
 * Copy of `fields` with secret-looking keys masked.
 *
 * @param fields Fields.
 */
export function redact(
	fields: Record< string, unknown >
): Record< string, unknown > {
	return Object.fromEntries(
		Object.entries( fields ).map( ( [ k, v ] ) => [
			k,
			SECRET_KEYS.test( k ) ? '***' : v,
		] )
	);
}

/**
 * A logger writing JSON lines to a stream.
 *
 * @param stream   Output (stderr by default in the CLI).
 * @param minLevel Lowest level written.
 * @param now      Time source for the `time` field.
 */
export function jsonLogger(
	stream: NodeJS.WritableStream,
	minLevel: LogLevel = 'info',
	now: () => number = Date.now
): Logger {
	const order: LogLevel[] = [ 'debug', 'info', 'warn', 'error' ];
	return {
		log( level, msg, fields = {} ) {
			if ( order.indexOf( level ) < order.indexOf( minLevel ) ) {
				return;
			}
			stream.write(
				`${ JSON.stringify( { time: new Date( now() ).toISOString(), level, msg, ...redact( fields ) } ) }\n`
			);
		},
	};
}

/** A logger that keeps entries in memory (tests, benchmarks). */
export function memoryLogger(): Logger & {
	entries: Array< {
		level: LogLevel;
		msg: string;
		fields: Record< string, unknown >;
	} >;
} {
	const entries: Array< {
		level: LogLevel;
		msg: string;
		fields: Record< string, unknown >;
	} > = [];
	return {
		entries,
		log( level, msg, fields = {} ) {
			entries.push( { level, msg, fields: redact( fields ) } );
		},
	};
}
