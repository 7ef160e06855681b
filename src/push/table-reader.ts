/**
 * Record streams of tabular exports: CSV (csv-parse, any separator and
 * encoding, physical line numbers kept) and XLSX (exceljs's streaming
 * reader, row numbers kept). Both yield one record at a time, so a file is
 * never held in memory whole.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';

import { parse } from 'csv-parse';

import {
	decoderStream,
	detectEncoding,
	type Encoding,
} from './text-encoding.js';
import type { ErpError } from './erp-row.js';

/** One record of a table: its line (CSV) or row number (XLSX) and its cells. */
export interface TableRecord {
	line: number;
	cells: ( string | number | null )[];
}

/** A table being read: records, and structural errors found on the way. */
export interface TableStream {
	records: AsyncIterable< TableRecord >;
	/** Filled while `records` is iterated. */
	errors: ErpError[];
	/** How the file is read, for the first output line (`CSV, windows-1251, ";"`). */
	describe: string;
}

/**
 * Longest CSV record read (characters). A real row is well under a kilobyte; a file with no line
 * breaks (binary data, a dump saved as CSV) is refused at this size instead of being held whole.
 */
export const MAX_RECORD_CHARS = 1024 * 1024;

/** Malformed CSV lines reported before reading stops (binary data has one every few hundred bytes). */
export const MAX_MALFORMED_LINES = 1000;

/** Bytes looked at to guess encoding and separator. */
const HEAD_BYTES = 64 * 1024;

/** Separators CSV exports use. */
export const SEPARATORS = [ ';', '\t', ',' ] as const;

/**
 * Picks the separator: the candidate with the most occurrences (outside
 * quotes) on one of the first 30 non-blank lines, so title rows above the
 * header do not matter; on a tie `;` wins over tab over `,` (a `;` file has
 * decimal commas in it, a `,` file has no semicolons).
 *
 * @param text Start of the file, decoded.
 */
export function detectSeparator( text: string ): string {
	const lines = text
		.split( /\r?\n/ )
		.filter( ( l ) => l.trim() !== '' )
		.slice( 0, 30 );
	let best: string = ',';
	let bestCount = 0;
	for ( const sep of SEPARATORS ) {
		for ( const line of lines ) {
			const n = line.replace( /"[^"]*"/g, '' ).split( sep ).length - 1;
			if ( n > bestCount ) {
				best = sep;
				bestCount = n;
			}
		}
	}
	return best;
}

/**
 * Reads the first bytes of a file.
 *
 * @param path File path.
 */
async function readHead( path: string ): Promise< Buffer > {
	const handle = await open( path, 'r' );
	try {
		const buffer = Buffer.alloc( HEAD_BYTES );
		const { bytesRead } = await handle.read( buffer, 0, HEAD_BYTES, 0 );
		return buffer.subarray( 0, bytesRead );
	} finally {
		await handle.close();
	}
}

const quoteLabel = ( sep: string ) => ( sep === '\t' ? 'tab' : `"${ sep }"` );

export interface CsvOptions {
	/** `--encoding` (default: detected). */
	encoding?: Encoding;
	/** `--delimiter` (default: detected). */
	separator?: string;
}

/**
 * Opens a CSV file as a record stream.
 *
 * @param path File path.
 * @param opts Overrides.
 */
export async function openCsv(
	path: string,
	opts: CsvOptions = {}
): Promise< TableStream > {
	const head = await readHead( path );
	const encoding = opts.encoding ?? detectEncoding( head );
	const separator =
		opts.separator ??
		detectSeparator( new TextDecoder( encoding ).decode( head ) );
	const errors: ErpError[] = [];
	const parser = parse( {
		delimiter: separator,
		relax_column_count: true,
		skip_empty_lines: true,
		skip_records_with_error: true,
		max_record_size: MAX_RECORD_CHARS,
		info: true,
		raw: true,
	} );
	parser.on( 'skip', ( error: Error & { lines?: number; code?: string } ) => {
		if ( error.code === 'CSV_MAX_RECORD_SIZE' ) {
			// Every record after it would be as long: stop reading at the first one.
			parser.destroy(
				new Error(
					`line ${ error.lines ?? 1 } is longer than ${ MAX_RECORD_CHARS } characters: not a CSV export (binary data, or a file without line breaks)`
				)
			);
			return;
		}
		if ( errors.length >= MAX_MALFORMED_LINES ) {
			parser.destroy(
				new Error(
					`more than ${ MAX_MALFORMED_LINES } malformed lines (up to line ${
						error.lines ?? 1
					}): not a CSV export`
				)
			);
			return;
		}
		errors.push( {
			line: error.lines ?? 1,
			message: csvMessage( error ),
		} );
	} );
	const file = createReadStream( path );
	const input = file.pipe( decoderStream( encoding ) );
	input.on( 'error', ( e ) => parser.destroy( e ) );
	async function* records(): AsyncGenerator< TableRecord > {
		try {
			yield* parsed();
		} finally {
			file.destroy(); // Closed also when reading stopped early.
		}
	}
	async function* parsed(): AsyncGenerator< TableRecord > {
		for await ( const item of input.pipe( parser ) ) {
			const { record, info, raw } = item as {
				record: string[];
				info: { lines: number };
				raw: string;
			};
			// `info.lines` is the line the record ends on; a quoted field may span lines.
			const inside =
				raw
					.replace( /^(?:\r?\n)+/, '' )
					.replace( /\r?\n$/, '' )
					.split( '\n' ).length - 1;
			yield { line: info.lines - inside, cells: record };
		}
	}
	return {
		records: records(),
		errors,
		describe: `CSV, ${ encoding }, ${ quoteLabel( separator ) }-separated`,
	};
}

/**
 * A short message for a csv-parse error.
 *
 * @param error         The error.
 * @param error.code    csv-parse's code.
 * @param error.message csv-parse's message.
 */
export function csvMessage( error: {
	code?: string;
	message: string;
} ): string {
	switch ( error.code ) {
		case 'CSV_QUOTE_NOT_CLOSED':
			return 'a quoted field is never closed (the file ends inside quotes)';
		case 'CSV_INVALID_CLOSING_QUOTE':
			return 'text after a closing quote';
		default:
			return error.message;
	}
}

/**
 * The value of an exceljs cell as text or number (formulas give their cached result).
 *
 * @param value Cell value.
 */
function cellValue( value: unknown ): string | number | null {
	if ( value === null || value === undefined ) {
		return null;
	}
	if ( typeof value === 'number' || typeof value === 'string' ) {
		return value;
	}
	if ( typeof value === 'boolean' ) {
		return String( value );
	}
	if ( value instanceof Date ) {
		return value.toISOString();
	}
	if ( typeof value === 'object' ) {
		const v = value as {
			richText?: { text: string }[];
			result?: unknown;
			text?: unknown;
			error?: unknown;
		};
		if ( v.richText ) {
			return v.richText.map( ( r ) => r.text ).join( '' );
		}
		if ( 'result' in v ) {
			return cellValue( v.result );
		}
		if ( v.text !== undefined ) {
			return cellValue( v.text );
		}
		if ( v.error !== undefined ) {
			return String( v.error );
		}
	}
	return String( value );
}

/** The exceljs package, version pinned in package.json. */
const EXCELJS = 'exceljs';

/**
 * Loads exceljs on demand. The specifier is a variable so that the one-file
 * sender (`npm run bundle`) does not carry exceljs's 2.6 MB for a format
 * most runs never read; the npm package installs it as a dependency.
 */
async function loadExcelJs(): Promise< typeof import( 'exceljs' ) > {
	try {
		const mod = ( await import(
			EXCELJS
		) ) as typeof import( 'exceljs' ) & {
			default?: typeof import( 'exceljs' );
		};
		return mod.default ?? mod;
	} catch ( error ) {
		throw new Error(
			`reading XLSX needs the exceljs package (npm install exceljs@4.4.0 next to the one-file sender, or install keycrm-sync with npm), or save the sheet as CSV: ${ error instanceof Error ? error.message : String( error ) }`
		);
	}
}

export interface XlsxOptions {
	/** `--sheet` (default: the first sheet). */
	sheet?: string;
}

/**
 * Opens an XLSX workbook as a record stream of one sheet (exceljs's
 * streaming reader: rows are parsed as the zip is read).
 *
 * @param path File path.
 * @param opts Sheet choice.
 */
/**
 * The workbook model (sheet names and ids) of an XLSX, read in a pass that skips every row.
 *
 * @param ExcelJS The exceljs module.
 * @param path    File path.
 */
async function sheetModel(
	ExcelJS: typeof import( 'exceljs' ),
	path: string
): Promise< unknown > {
	const probe = new ExcelJS.stream.xlsx.WorkbookReader( path, {
		worksheets: 'emit',
		sharedStrings: 'ignore',
		hyperlinks: 'ignore',
		styles: 'ignore',
		entries: 'ignore',
	} );
	const state = probe as unknown as { model: unknown };
	state.model = { sheets: [] };
	// eslint-disable-next-line @typescript-eslint/no-unused-vars -- only the model is wanted.
	for await ( const _sheet of probe ) {
		// Rows are not read: the zip entry is drained.
	}
	return state.model;
}

export async function openXlsx(
	path: string,
	opts: XlsxOptions = {}
): Promise< TableStream > {
	const ExcelJS = await loadExcelJs();
	const errors: ErpError[] = [];
	const seen: string[] = [];
	let chosen: string | null = null;
	async function* read( model: unknown ): AsyncGenerator< TableRecord > {
		const reader = new ExcelJS.stream.xlsx.WorkbookReader( path, {
			worksheets: 'emit',
			sharedStrings: 'cache',
			hyperlinks: 'ignore',
			styles: 'ignore',
			entries: 'ignore',
		} );
		if ( model !== undefined ) {
			( reader as unknown as { model: unknown } ).model = model;
		}
		for await ( const sheet of reader ) {
			const name = ( sheet as unknown as { name: string } ).name;
			seen.push( name );
			const wanted =
				chosen === null &&
				( opts.sheet === undefined || opts.sheet === name );
			if ( wanted ) {
				chosen = name;
			}
			// Every sheet is read to its end (the zip is read in order).
			for await ( const row of sheet ) {
				if ( ! wanted ) {
					continue;
				}
				const values = row.values as unknown[];
				yield {
					line: row.number,
					cells: values.slice( 1 ).map( cellValue ),
				};
			}
		}
	}
	async function* records(): AsyncGenerator< TableRecord > {
		try {
			yield* read( undefined );
		} catch ( error ) {
			// exceljs names a worksheet from xl/workbook.xml; in a zip that stores a worksheet
			// (after the shared strings) before that part, it fails on the first sheet, before any
			// row: learn the sheet names in a first pass, then read again.
			if ( ! ( error instanceof TypeError ) || seen.length > 0 ) {
				throw error;
			}
			yield* read( await sheetModel( ExcelJS, path ) );
		}
		if ( chosen === null ) {
			errors.push( {
				line: 1,
				message:
					seen.length === 0
						? 'no worksheet in the file: a zip, but not an XLSX workbook'
						: `no sheet "${ opts.sheet ?? '' }" (sheets: ${ seen.join( ', ' ) })`,
			} );
		}
	}
	return {
		records: records(),
		errors,
		describe: `XLSX, sheet ${ opts.sheet ? `"${ opts.sheet }"` : '1' }`,
	};
}
