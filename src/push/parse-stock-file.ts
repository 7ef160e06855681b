/**
 * Reads a simple stock export held in memory (CSV or JSON: sku, quantity,
 * price) into validated rows, reporting every problem with its line number.
 * The CLI reads files with `read-export.ts` (streamed, every format); this is
 * the in-memory form for small inputs, and the JSON reader both share.
 */
import { parse } from 'csv-parse/sync';
import * as z from 'zod';

import { csvMessage, detectSeparator } from './table-reader.js';
import {
	validateRow,
	type RawRow,
	type RowError,
	type StockRow,
} from './stock-row.js';

export type { RowError, StockRow } from './stock-row.js';

export interface ParsedStockFile {
	format: 'csv' | 'json';
	rows: StockRow[];
	errors: RowError[];
}

/** Header names accepted per column (compared case-insensitively, trimmed). */
const COLUMN_NAMES = {
	sku: [ 'sku', 'article', 'артикул' ],
	quantity: [
		'quantity',
		'qty',
		'stock',
		'in_stock',
		'кількість',
		'залишок',
	],
	price: [ 'price', 'ціна' ],
} as const;

type Column = keyof typeof COLUMN_NAMES;

/** One CSV record and the line it starts on. */
interface CsvRecord {
	line: number;
	fields: string[];
}

/**
 * Reads CSV text with csv-parse, keeping each record's first line and
 * reporting structural errors (unclosed quotes…) with their lines.
 *
 * @param text   CSV text (no BOM).
 * @param errors Collects errors.
 */
export function readCsvText( text: string, errors: RowError[] ): CsvRecord[] {
	const records: CsvRecord[] = [];
	const rows = parse( text, {
		delimiter: detectSeparator( text.slice( 0, 65536 ) ),
		relax_column_count: true,
		skip_empty_lines: true,
		skip_records_with_error: true,
		info: true,
		raw: true,
		on_skip: ( error ) => {
			if ( error ) {
				errors.push( {
					line: Number( error.lines ?? 1 ),
					message: csvMessage( error ),
				} );
			}
			return undefined;
		},
	} ) as unknown as {
		record: string[];
		info: { lines: number };
		raw: string;
	}[];
	for ( const { record, info, raw } of rows ) {
		const inside =
			raw
				.replace( /^(?:\r?\n)+/, '' )
				.replace( /\r?\n$/, '' )
				.split( '\n' ).length - 1;
		records.push( { line: info.lines - inside, fields: record } );
	}
	return records;
}
type ColumnMap = Record< Column, number | null >;

function headerMap( record: CsvRecord ): ColumnMap | null {
	const names = record.fields.map( ( f ) => f.trim().toLowerCase() );
	const find = ( col: Column ): number | null => {
		const i = names.findIndex( ( n ) =>
			( COLUMN_NAMES[ col ] as readonly string[] ).includes( n )
		);
		return i < 0 ? null : i;
	};
	const map: ColumnMap = {
		sku: find( 'sku' ),
		quantity: find( 'quantity' ),
		price: find( 'price' ),
	};
	return map.sku === null && map.quantity === null ? null : map;
}

function csvRawRows( records: CsvRecord[], errors: RowError[] ): RawRow[] {
	const first = records[ 0 ];
	const header = first ? headerMap( first ) : null;
	if (
		first &&
		header &&
		( header.sku === null || header.quantity === null )
	) {
		errors.push( {
			line: first.line,
			message: `header needs a "sku" and a "quantity" column (found: ${ first.fields.join( ', ' ) })`,
		} );
		return [];
	}
	const columns: ColumnMap = header ?? { sku: 0, quantity: 1, price: 2 };
	const rows: RawRow[] = [];
	for ( const record of header ? records.slice( 1 ) : records ) {
		const { fields, line } = record;
		if ( ! header && ( fields.length < 2 || fields.length > 3 ) ) {
			errors.push( {
				line,
				message: `expected 2 or 3 fields (sku, quantity, price), found ${ fields.length }`,
			} );
			continue;
		}
		const at = ( i: number | null ) =>
			i === null ? undefined : fields[ i ];
		rows.push( {
			line,
			sku: at( columns.sku ),
			quantity: at( columns.quantity ),
			price: at( columns.price ),
		} );
	}
	return rows;
}

/**
 * Returns the line of each element of the top-level array of a JSON text (or
 * of the array under a top-level key), by scanning structure outside strings.
 *
 * @param text  JSON text.
 * @param depth Nesting depth of the array's elements (1: bare array, 2: under a key).
 */
export function elementLines( text: string, depth: number ): number[] {
	const lines: number[] = [];
	let line = 1;
	let level = 0;
	let inString = false;
	let expectValue = false;
	for ( let i = 0; i < text.length; i++ ) {
		const ch = text[ i ];
		if ( ch === '\n' ) {
			line++;
		}
		if ( inString ) {
			if ( ch === '\\' ) {
				i++;
			} else if ( ch === '"' ) {
				inString = false;
			}
			continue;
		}
		if ( ch === '[' && level === depth - 1 ) {
			expectValue = true;
		} else if ( ch === ',' && level === depth ) {
			expectValue = true;
		} else if ( expectValue && ch !== undefined && /\S/.test( ch ) ) {
			lines.push( line );
			expectValue = false;
		}
		if ( ch === '"' ) {
			inString = true;
		} else if ( ch === '[' || ch === '{' ) {
			level++;
		} else if ( ch === ']' || ch === '}' ) {
			level--;
			expectValue = false;
		}
	}
	return lines;
}

function lineOfPosition( text: string, message: string ): number {
	const m = /position (\d+)/.exec( message );
	if ( ! m ) {
		const lm = /line (\d+)/.exec( message );
		return lm ? Number( lm[ 1 ] ) : 1;
	}
	return text.slice( 0, Number( m[ 1 ] ) ).split( '\n' ).length;
}

/** Any JSON object (arrays and scalars fail). */
const JsonObject = z.record( z.string(), z.unknown() );

/**
 * The objects of a JSON export (a bare array, or one under "items"/"stocks")
 * with the line each starts on.
 *
 * @param text   JSON text (no BOM).
 * @param errors Collects errors.
 */
export function jsonItems(
	text: string,
	errors: RowError[]
): { line: number; o: Record< string, unknown > }[] {
	let data: unknown;
	try {
		data = JSON.parse( text );
	} catch ( e ) {
		const message = e instanceof Error ? e.message : String( e );
		errors.push( {
			line: lineOfPosition( text, message ),
			message: `invalid JSON: ${ message }`,
		} );
		return [];
	}
	let items: unknown = data;
	let depth = 1;
	const keyed = JsonObject.safeParse( data );
	if ( keyed.success ) {
		items = keyed.data.items ?? keyed.data.stocks;
		depth = 2;
	}
	if ( ! Array.isArray( items ) ) {
		errors.push( {
			line: 1,
			message:
				'expected an array of {sku, quantity, price} (or {"items": [...]})',
		} );
		return [];
	}
	const lines = elementLines( text, depth );
	const out: { line: number; o: Record< string, unknown > }[] = [];
	items.forEach( ( item: unknown, i ) => {
		const line = lines[ i ] ?? 1;
		const o = JsonObject.safeParse( item );
		if ( ! o.success ) {
			errors.push( { line, message: 'item is not an object' } );
			return;
		}
		out.push( { line, o: o.data } );
	} );
	return out;
}

function jsonRawRows( text: string, errors: RowError[] ): RawRow[] {
	return jsonItems( text, errors ).map( ( { line, o } ) => ( {
		line,
		sku: o.sku,
		quantity: o.quantity,
		price: o.price,
	} ) );
}

function validateAll( raws: RawRow[], errors: RowError[] ): StockRow[] {
	const rows: StockRow[] = [];
	const firstLine = new Map< string, number >();
	for ( const raw of raws ) {
		const result = validateRow( raw );
		if ( Array.isArray( result ) ) {
			errors.push( ...result );
			continue;
		}
		const seen = firstLine.get( result.sku );
		if ( seen !== undefined ) {
			errors.push( {
				line: result.line,
				message: `duplicate SKU "${ result.sku }" (first on line ${ seen })`,
			} );
			continue;
		}
		firstLine.set( result.sku, result.line );
		rows.push( result );
	}
	return rows;
}

/**
 * Parses an ERP export.
 *
 * @param content File content.
 * @param format  'csv' or 'json' (pick by file extension).
 */
export function parseStockFile(
	content: string,
	format: 'csv' | 'json'
): ParsedStockFile {
	const text =
		content.charCodeAt( 0 ) === 0xfeff ? content.slice( 1 ) : content;
	const errors: RowError[] = [];
	let raws: RawRow[];
	if ( format === 'json' ) {
		raws = jsonRawRows( text, errors );
	} else {
		raws = csvRawRows( readCsvText( text, errors ), errors );
	}
	const rows = validateAll( raws, errors );
	if ( rows.length === 0 && errors.length === 0 ) {
		errors.push( { line: 1, message: 'the file has no rows' } );
	}
	errors.sort( ( a, b ) => a.line - b.line );
	return { format, rows, errors };
}

/**
 * Picks the format from a file name (`.json` → json, anything else → csv).
 *
 * @param path File path.
 */
export function formatOfPath( path: string ): 'csv' | 'json' {
	return path.toLowerCase().endsWith( '.json' ) ? 'json' : 'csv';
}
