/**
 * One row of an ERP export, in any format: validation (the same problems in
 * the same words for CSV, XLSX, JSON and CommerceML) and the collector that
 * finds duplicate SKUs.
 */
import { parseNumber, skuProblem, type RowError } from './stock-row.js';

/** A valid row: one SKU with what the file says about it. */
export interface ErpRow {
	/** Line (CSV), row (XLSX) or element line (XML) the row comes from. */
	line: number;
	/** File the row comes from when an export has several (CommerceML). */
	file?: string;
	sku: string;
	name: string | null;
	price: number | null;
	purchasePrice: number | null;
	barcode: string | null;
	unit: string | null;
	/** Category path, levels separated by "/" (or the CommerceML group chain). */
	category: string | null;
	/** Absolute stock per warehouse, aligned with the export's warehouse ids; null: not given. */
	stock: ( number | null )[];
}

/** Values of one row as read, before validation. */
export interface RawErpRow {
	line: number;
	file?: string;
	/** Describes the row in messages when a line alone is not enough (XML elements). */
	where?: string;
	sku: unknown;
	name?: unknown;
	price?: unknown;
	purchasePrice?: unknown;
	barcode?: unknown;
	unit?: unknown;
	category?: unknown;
	/** Quantity per warehouse (aligned with the export's warehouse ids). */
	stock: unknown[];
}

/** A problem found in a file, tied to its line (and file, for multi-file exports). */
export interface ErpError extends RowError {
	file?: string;
}

/**
 * A number field: null when absent or empty, else the number or an error text.
 *
 * @param value Raw value.
 * @param label Field name used in messages.
 */
function numberField( value: unknown, label: string ): number | null | string {
	if ( value === undefined || value === null || value === '' ) {
		return null;
	}
	if ( typeof value === 'number' ) {
		const n = parseNumber( String( value ) );
		return typeof n === 'string' ? `${ label } ${ n }` : n;
	}
	if ( typeof value === 'string' ) {
		if ( value.trim() === '' ) {
			return null;
		}
		const n = parseNumber( value );
		return typeof n === 'string' ? `${ label } ${ n }` : n;
	}
	return `${ label } must be a number`;
}

/**
 * A text field: trimmed, null when absent or empty (numbers become text: an XLSX barcode cell).
 *
 * @param value Raw value.
 */
function textField( value: unknown ): string | null {
	if ( typeof value === 'number' && Number.isFinite( value ) ) {
		return String( value );
	}
	if ( typeof value !== 'string' ) {
		return null;
	}
	const t = value.trim();
	return t === '' ? null : t;
}

export interface ValidateOptions {
	/** Warehouse labels for messages (column headers or warehouse names), aligned with `stock`. */
	stockLabels: readonly string[];
	/**
	 * An empty quantity means 0 (1C and BAS leave zero balances blank in
	 * per-warehouse columns) instead of an error.
	 */
	blankStockIsZero: boolean;
}

/**
 * Validates one row.
 *
 * @param raw  Values as read.
 * @param opts Options.
 * @return The row, or its errors.
 */
export function validateErpRow(
	raw: RawErpRow,
	opts: ValidateOptions
): ErpRow | ErpError[] {
	const errors: string[] = [];
	const sku = typeof raw.sku === 'number' ? String( raw.sku ) : raw.sku;
	if ( typeof sku !== 'string' ) {
		errors.push( 'SKU is missing' );
	} else {
		const problem = skuProblem( sku );
		if ( problem ) {
			errors.push( problem );
		}
	}
	// eslint-disable-next-line @wordpress/no-unused-vars-before-return -- the map also collects the errors.
	const stock: ( number | null )[] = raw.stock.map( ( value, i ) => {
		const label =
			opts.stockLabels.length > 1
				? `quantity in "${ opts.stockLabels[ i ] ?? '' }"`
				: 'quantity';
		const n = numberField( value, label );
		if ( n === null ) {
			if ( opts.blankStockIsZero ) {
				return 0;
			}
			errors.push( `${ label } is missing` );
			return null;
		}
		if ( typeof n === 'string' ) {
			errors.push( n );
			return null;
		}
		return n;
	} );
	const price = numberField( raw.price, 'price' );
	const purchase = numberField( raw.purchasePrice, 'purchase price' );
	for ( const n of [ price, purchase ] ) {
		if ( typeof n === 'string' ) {
			errors.push( n );
		}
	}
	if ( errors.length > 0 || typeof sku !== 'string' ) {
		const prefix = raw.where ? `${ raw.where }: ` : '';
		return errors.map( ( message ) => ( {
			line: raw.line,
			...( raw.file === undefined ? {} : { file: raw.file } ),
			message: `${ prefix }${ message }`,
		} ) );
	}
	return {
		line: raw.line,
		...( raw.file === undefined ? {} : { file: raw.file } ),
		sku,
		name: textField( raw.name ),
		price: typeof price === 'number' ? price : null,
		purchasePrice: typeof purchase === 'number' ? purchase : null,
		barcode: textField( raw.barcode ),
		unit: textField( raw.unit ),
		category: textField( raw.category ),
		stock,
	};
}

/**
 * Collects valid rows and reports duplicate SKUs naming both lines. The first
 * row of a SKU is kept; `duplicates` lists SKUs seen twice so `--skip-invalid`
 * can skip every row of them (which one is right is unknown).
 */
export class RowCollector {
	readonly rows: ErpRow[] = [];
	readonly errors: ErpError[] = [];
	readonly duplicates = new Set< string >();
	private readonly first = new Map< string, ErpRow >();

	/**
	 * Adds a raw row.
	 *
	 * @param raw  Values as read.
	 * @param opts Validation options.
	 */
	add( raw: RawErpRow, opts: ValidateOptions ): void {
		const result = validateErpRow( raw, opts );
		if ( Array.isArray( result ) ) {
			this.errors.push( ...result );
			return;
		}
		const seen = this.first.get( result.sku );
		if ( seen ) {
			const where =
				seen.file !== undefined && seen.file !== result.file
					? `${ seen.file }:${ seen.line }`
					: `line ${ seen.line }`;
			this.errors.push( {
				line: result.line,
				...( result.file === undefined ? {} : { file: result.file } ),
				message: `duplicate SKU "${ result.sku }" (first on ${ where })`,
			} );
			this.duplicates.add( result.sku );
			return;
		}
		this.first.set( result.sku, result );
		this.rows.push( result );
	}

	/**
	 * Records an error that is not a row's (syntax, header).
	 *
	 * @param error The error.
	 */
	fail( error: ErpError ): void {
		this.errors.push( error );
	}
}
