/**
 * Helpers that turn parsed option values into typed values, throwing
 * `CliUsageError` (exit 2) with a message that names the flag.
 */
import { CliUsageError, type CliValues } from './types.js';

/**
 * A string option, or `fallback` when absent.
 *
 * @param values   Parsed values.
 * @param name     Option name (without dashes).
 * @param fallback Value when absent.
 */
export function optString(
	values: CliValues,
	name: string,
	fallback?: string
): string | undefined {
	const v = values[ name ];
	if ( v === undefined ) {
		return fallback;
	}
	if ( typeof v !== 'string' ) {
		throw new CliUsageError( `--${ name } expects one value` );
	}
	return v;
}

/**
 * A required string option.
 *
 * @param values Parsed values.
 * @param name   Option name.
 */
export function requireString( values: CliValues, name: string ): string {
	const v = optString( values, name );
	if ( v === undefined || v === '' ) {
		throw new CliUsageError( `--${ name } is required` );
	}
	return v;
}

/**
 * An integer option within [min, max].
 *
 * @param values   Parsed values.
 * @param name     Option name.
 * @param fallback Value when absent.
 * @param min      Smallest allowed value.
 * @param max      Largest allowed value.
 */
export function optInt(
	values: CliValues,
	name: string,
	fallback: number | undefined,
	min = Number.MIN_SAFE_INTEGER,
	max = Number.MAX_SAFE_INTEGER
): number | undefined {
	const raw = optString( values, name );
	if ( raw === undefined ) {
		return fallback;
	}
	if ( ! /^-?\d+$/.test( raw.trim() ) ) {
		throw new CliUsageError(
			`--${ name } expects an integer, got "${ raw }"`
		);
	}
	const n = Number( raw );
	if ( n < min || n > max ) {
		throw new CliUsageError(
			`--${ name } must be between ${ min } and ${ max }, got ${ n }`
		);
	}
	return n;
}

/**
 * A positive number option (decimals allowed).
 *
 * @param values   Parsed values.
 * @param name     Option name.
 * @param fallback Value when absent.
 */
export function optPositiveNumber(
	values: CliValues,
	name: string,
	fallback: number
): number {
	const raw = optString( values, name );
	if ( raw === undefined ) {
		return fallback;
	}
	const n = Number( raw );
	if ( raw.trim() === '' || ! Number.isFinite( n ) || n <= 0 ) {
		throw new CliUsageError(
			`--${ name } expects a positive number, got "${ raw }"`
		);
	}
	return n;
}

/**
 * A repeatable string option (`multiple: true`), as an array.
 *
 * @param values Parsed values.
 * @param name   Option name.
 */
export function optList( values: CliValues, name: string ): string[] {
	const v = values[ name ];
	if ( v === undefined ) {
		return [];
	}
	const list = Array.isArray( v ) ? v : [ v ];
	return list.map( ( item ) => {
		if ( typeof item !== 'string' ) {
			throw new CliUsageError( `--${ name } expects a value` );
		}
		return item;
	} );
}

/**
 * A boolean flag.
 *
 * @param values Parsed values.
 * @param name   Option name.
 */
export function optFlag( values: CliValues, name: string ): boolean {
	return values[ name ] === true;
}
