/**
 * Reads an ERP export from disk in whichever format it is (guessed from the
 * content and the name, each guess overridable): CSV, XLSX, JSON, or a
 * CommerceML 2 pair (`import.xml` + `offers.xml`, given as two files or a
 * folder). The result is validated rows with every problem tied to its line.
 */
import { open, readdir, readFile, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';

import { readCommerceMl } from './commerceml.js';
import type { WarehouseMapping } from './erp-columns.js';
import { RowCollector, type ErpError, type ErpRow } from './erp-row.js';
import { jsonItems } from './parse-stock-file.js';
import { readTableExport } from './read-table-export.js';
import { openCsv, openXlsx } from './table-reader.js';
import type { Encoding } from './text-encoding.js';

/**
 * Largest JSON export (bytes): JSON is parsed whole (a few hundred bytes a row, so about 100,000
 * rows); CSV, XLSX and CommerceML are streamed and have no such limit.
 */
export const MAX_JSON_BYTES = 32 * 1024 * 1024;

export const FORMATS = [ 'csv', 'xlsx', 'json', 'commerceml' ] as const;
export type ExportFormat = ( typeof FORMATS )[ number ];

export interface ReadExportOptions {
	warehouses: readonly WarehouseMapping[];
	format?: ExportFormat;
	encoding?: Encoding;
	delimiter?: string;
	headerRow?: number;
	sheet?: string;
	priceType?: string;
	purchasePriceType?: string;
}

export interface ParsedExport {
	/** What was read, e.g. `report.csv (CSV, windows-1251, ";"-separated)`. */
	describe: string;
	rows: ErpRow[];
	errors: ErpError[];
	/** SKUs found on more than one row (every row of them is invalid). */
	duplicates: Set< string >;
	/** keyCRM warehouse ids, aligned with each row's `stock`. */
	warehouseIds: number[];
	/** Whether the file has each optional column (a missing column never changes keyCRM). */
	has: { name: boolean; barcode: boolean; unit: boolean; category: boolean };
}

/**
 * Guesses a file's format from its first bytes, then its name.
 *
 * @param path File path.
 */
export async function guessFormat( path: string ): Promise< ExportFormat > {
	const handle = await open( path, 'r' );
	let head: Buffer;
	try {
		const buffer = Buffer.alloc( 512 );
		const { bytesRead } = await handle.read( buffer, 0, 512, 0 );
		head = buffer.subarray( 0, bytesRead );
	} finally {
		await handle.close();
	}
	if ( head[ 0 ] === 0x50 && head[ 1 ] === 0x4b ) {
		return 'xlsx'; // "PK": a zip container.
	}
	const text = head
		.toString( 'utf8' )
		.replace( /^\uFEFF/, '' )
		.trimStart();
	if ( text.startsWith( '<' ) ) {
		return 'commerceml';
	}
	if ( text.startsWith( '[' ) || text.startsWith( '{' ) ) {
		return 'json';
	}
	const ext = extname( path ).toLowerCase();
	if ( ext === '.xlsx' ) {
		return 'xlsx';
	}
	if ( ext === '.xml' ) {
		return 'commerceml';
	}
	return ext === '.json' ? 'json' : 'csv';
}

/**
 * Expands `--file` values: a folder stands for the CommerceML pair inside it.
 *
 * @param files `--file` values.
 */
async function expandFiles( files: readonly string[] ): Promise< string[] > {
	const out: string[] = [];
	for ( const f of files ) {
		if ( ( await stat( f ) ).isDirectory() ) {
			const names = ( await readdir( f ) ).filter( ( n ) =>
				/^(import|offers).*\.xml$/i.test( n )
			);
			if ( names.length === 0 ) {
				throw new Error(
					`${ f }: no import*.xml or offers*.xml in the folder`
				);
			}
			out.push( ...names.sort().map( ( n ) => join( f, n ) ) );
		} else {
			out.push( f );
		}
	}
	return out;
}

/**
 * Reads an export.
 *
 * @param fileArgs `--file` values (one file; or import.xml and offers.xml; or a folder).
 * @param opts     Options.
 */
export async function readExport(
	fileArgs: readonly string[],
	opts: ReadExportOptions
): Promise< ParsedExport > {
	const files = await expandFiles( fileArgs );
	const out = new RowCollector();
	const formats = await Promise.all(
		files.map( async ( f ) => opts.format ?? ( await guessFormat( f ) ) )
	);
	let read: { warehouseIds: number[]; describe: string };
	if ( formats.every( ( f ) => f === 'commerceml' ) ) {
		read = await readCommerceMlFiles( files, opts, out );
	} else {
		if ( files.length !== 1 ) {
			throw new Error(
				'--file can be given twice only for a CommerceML import.xml + offers.xml pair'
			);
		}
		read = await readOneFile(
			files[ 0 ] as string,
			formats[ 0 ] as ExportFormat,
			opts,
			out
		);
	}
	if ( out.rows.length === 0 && out.errors.length === 0 ) {
		out.fail( { line: 1, message: 'the file has no rows' } );
	}
	out.errors.sort(
		( a, b ) =>
			( a.file ?? '' ).localeCompare( b.file ?? '' ) || a.line - b.line
	);
	const has = { name: false, barcode: false, unit: false, category: false };
	for ( const r of out.rows ) {
		has.name ||= r.name !== null;
		has.barcode ||= r.barcode !== null;
		has.unit ||= r.unit !== null;
		has.category ||= r.category !== null;
	}
	return {
		describe: read.describe,
		rows: out.rows,
		errors: out.errors,
		duplicates: out.duplicates,
		warehouseIds: read.warehouseIds,
		has,
	};
}

/**
 * Reads a CommerceML pair (import.xml and/or offers.xml).
 *
 * @param files Files (at most two).
 * @param opts  Options.
 * @param out   Collector.
 * @return Warehouse ids of the rows' stock and a description of the files.
 */
async function readCommerceMlFiles(
	files: readonly string[],
	opts: ReadExportOptions,
	out: RowCollector
): Promise< { warehouseIds: number[]; describe: string } > {
	const importFile =
		files.find( ( f ) => /import/i.test( basename( f ) ) ) ?? null;
	const offersFile =
		files.find(
			( f ) => f !== importFile && /offers/i.test( basename( f ) )
		) ??
		files.find( ( f ) => f !== importFile ) ??
		null;
	if ( files.length > 2 ) {
		throw new Error(
			'CommerceML: give import.xml and offers.xml (at most two files)'
		);
	}
	const warehouseIds = await readCommerceMl(
		importFile,
		offersFile,
		opts,
		out
	);
	const describe = `CommerceML: ${ [ importFile, offersFile ]
		.filter( ( f ) => f !== null )
		.map( ( f ) => basename( f as string ) )
		.join( ' + ' ) }`;
	return { warehouseIds, describe };
}

/**
 * Reads one JSON, CSV or XLSX export.
 *
 * @param file   File path.
 * @param format Its format.
 * @param opts   Options.
 * @param out    Collector.
 * @return Warehouse ids of the rows' stock and a description of the file.
 */
async function readOneFile(
	file: string,
	format: ExportFormat,
	opts: ReadExportOptions,
	out: RowCollector
): Promise< { warehouseIds: number[]; describe: string } > {
	if ( format === 'json' ) {
		return {
			warehouseIds: await readJsonExport( file, opts, out ),
			describe: `${ basename( file ) } (JSON)`,
		};
	}
	const table =
		format === 'xlsx'
			? await openXlsx( file, { sheet: opts.sheet } )
			: await openCsv( file, {
					encoding: opts.encoding,
					separator: opts.delimiter,
				} );
	return {
		warehouseIds: await readTableExport( table, opts, out ),
		describe: `${ basename( file ) } (${ table.describe })`,
	};
}

/**
 * A JSON export: `[{sku, quantity, price, purchase_price, name, barcode, unit, category}]`
 * or `{"items": [...]}`; `quantity` goes to the single `--warehouse ID`, or
 * `stock: {"NAME": n}` to `--warehouse "NAME=ID"`.
 *
 * @param file File path.
 * @param opts Options.
 * @param out  Collector.
 */
async function readJsonExport(
	file: string,
	opts: ReadExportOptions,
	out: RowCollector
): Promise< number[] > {
	const { size } = await stat( file );
	if ( size > MAX_JSON_BYTES ) {
		throw new Error(
			`a JSON export is read whole and may be at most ${ MAX_JSON_BYTES } bytes (this one has ${ size }); export CSV for larger catalogues`
		);
	}
	const text = ( await readFile( file, 'utf8' ) ).replace( /^\uFEFF/, '' );
	const errors: ErpError[] = [];
	const items = jsonItems( text, errors );
	errors.forEach( ( e ) => out.fail( e ) );
	const validate = {
		stockLabels: opts.warehouses.map( ( w ) => w.source ?? 'quantity' ),
		blankStockIsZero: false,
	};
	for ( const { line, o } of items ) {
		const stock = o.stock as Record< string, unknown > | undefined;
		out.add(
			{
				line,
				sku: o.sku,
				name: o.name,
				price: o.price,
				purchasePrice: o.purchase_price ?? o.purchased_price,
				barcode: o.barcode,
				unit: o.unit,
				category: o.category,
				stock: opts.warehouses.map( ( w ) =>
					w.source === null ? o.quantity : stock?.[ w.source ]
				),
			},
			validate
		);
	}
	return opts.warehouses.map( ( w ) => w.id );
}
