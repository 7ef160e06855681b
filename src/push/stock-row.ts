/**
 * Validation of one ERP row (sku, quantity, optional price), shared by the
 * CSV and JSON readers so both report the same problems in the same words.
 */

/** One valid row of an ERP export. */
export interface StockRow {
	/** 1-based line of the file the row comes from. */
	line: number;
	sku: string;
	/** Absolute stock level for the warehouse (may be fractional: keyCRM quantities are numbers). */
	quantity: number;
	/** Price in the product's currency; null when the file has none for this row. */
	price: number | null;
}

/** A problem found in the file, tied to the line it was found on. */
export interface RowError {
	line: number;
	message: string;
}

/** Longest SKU we accept (keyCRM stores SKUs as strings; filters need sane lengths). */
export const MAX_SKU_LENGTH = 255;
/** Largest quantity or price we accept (guards against a mis-mapped column such as a barcode). */
export const MAX_NUMBER = 1_000_000_000;

/** Spaces ERP exports put between thousands: ordinary, no-break (1C, Excel) and narrow no-break. */
const THOUSANDS_SPACE = /[ \u00a0\u202f]/g;

/**
 * Parses a number as ERP exports write it: `12`, `1234.5`, `12,5` (decimal
 * comma), `1 234,50` and `1 234` (ordinary or no-break spaces between
 * thousands), surrounding spaces allowed. `1,000` is refused as ambiguous
 * (thousands separator or decimal comma?); with a space-grouped integer part
 * (`1 234,567`) the comma can only be the decimal one.
 *
 * @param raw The text of the field.
 * @return The number, or an error message.
 */
export function parseNumber( raw: string ): number | string {
	const text = raw.replace( /^[\s\u00a0\u202f]+|[\s\u00a0\u202f]+$/g, '' );
	if ( text === '' ) {
		return 'is empty';
	}
	let normalised = text;
	const grouped = /^-?\d{1,3}([ \u00a0\u202f]\d{3})+([.,]\d+)?$/.test( text );
	if ( grouped ) {
		normalised = text.replace( THOUSANDS_SPACE, '' ).replace( ',', '.' );
	} else if ( /^-?\d{1,3}(,\d{3})+$/.test( text ) ) {
		return `"${ text }" is ambiguous (write decimals with a dot, no thousands separators)`;
	} else if ( /^-?\d+,\d+$/.test( text ) ) {
		normalised = text.replace( ',', '.' );
	}
	if ( ! /^-?(\d+(\.\d*)?|\.\d+)$/.test( normalised ) ) {
		return `"${ text }" is not a number`;
	}
	const value = Number( normalised );
	if ( ! Number.isFinite( value ) ) {
		return `"${ text }" is not a number`;
	}
	if ( value < 0 ) {
		return `"${ text }" is negative`;
	}
	if ( value > MAX_NUMBER ) {
		return `"${ text }" is too large`;
	}
	return value;
}

/**
 * Checks a SKU as keyCRM can use it: not empty, no surrounding spaces (kept
 * exact, since keyCRM matches SKUs exactly), no comma (keyCRM's
 * `filter[offers_sku]` is comma-separated, so such a SKU cannot be looked up).
 *
 * @param sku The SKU text.
 * @return An error message, or null when the SKU is usable.
 */
export function skuProblem( sku: string ): string | null {
	if ( sku.trim() === '' ) {
		return 'SKU is empty';
	}
	if ( sku !== sku.trim() ) {
		return `SKU "${ sku }" has surrounding spaces`;
	}
	if ( sku.includes( ',' ) ) {
		return `SKU "${ sku }" contains a comma (keyCRM cannot look it up)`;
	}
	if ( sku.length > MAX_SKU_LENGTH ) {
		return `SKU is longer than ${ MAX_SKU_LENGTH } characters`;
	}
	return null;
}

/** Raw values of one row, as read from the file. */
export interface RawRow {
	line: number;
	sku: unknown;
	quantity: unknown;
	price: unknown;
}

function toNumber( value: unknown, name: string ): number | null | string {
	if ( value === undefined || value === null || value === '' ) {
		return null;
	}
	if ( typeof value === 'number' ) {
		return parseNumber( String( value ) );
	}
	if ( typeof value === 'string' ) {
		const n = parseNumber( value );
		return typeof n === 'string' ? `${ name } ${ n }` : n;
	}
	return `${ name } must be a number`;
}

/**
 * Validates one raw row.
 *
 * @param raw Values read from the file.
 * @return The row, or the errors found on its line.
 */
export function validateRow( raw: RawRow ): StockRow | RowError[] {
	const errors: RowError[] = [];
	const sku = typeof raw.sku === 'number' ? String( raw.sku ) : raw.sku;
	if ( typeof sku !== 'string' ) {
		errors.push( { line: raw.line, message: 'SKU is missing' } );
	} else {
		const problem = skuProblem( sku );
		if ( problem ) {
			errors.push( { line: raw.line, message: problem } );
		}
	}
	const quantity = toNumber( raw.quantity, 'quantity' );
	if ( quantity === null ) {
		errors.push( { line: raw.line, message: 'quantity is missing' } );
	} else if ( typeof quantity === 'string' ) {
		errors.push( {
			line: raw.line,
			message: quantity.startsWith( 'quantity' )
				? quantity
				: `quantity ${ quantity }`,
		} );
	}
	const price = toNumber( raw.price, 'price' );
	if ( typeof price === 'string' ) {
		errors.push( {
			line: raw.line,
			message: price.startsWith( 'price' ) ? price : `price ${ price }`,
		} );
	}
	if (
		errors.length > 0 ||
		typeof sku !== 'string' ||
		typeof quantity !== 'number'
	) {
		return errors;
	}
	return {
		line: raw.line,
		sku,
		quantity,
		price: typeof price === 'number' ? price : null,
	};
}
