/**
 * A tabular export (CSV or XLSX record stream) → validated rows: finds the
 * header below any report titles, maps columns and warehouses, skips blank,
 * group and totals rows, validates every other row.
 */
import {
	looksLikeHeader,
	mapColumns,
	TOTALS_ROW,
	type ColumnMap,
	type Field,
	type WarehouseMapping,
} from './erp-columns.js';
import { RowCollector, type ValidateOptions } from './erp-row.js';
import { parseNumber } from './stock-row.js';
import type { TableRecord, TableStream } from './table-reader.js';

/** Records searched for the header (1C/BAS put a few title lines above it). */
const HEADER_SEARCH = 30;

export interface TableExportOptions {
	warehouses: readonly WarehouseMapping[];
	/** `--header-row N`: the header's line (CSV) or row (XLSX); default: found. */
	headerRow?: number;
}

const isBlank = ( v: string | number | null | undefined ) =>
	v === null ||
	v === undefined ||
	( typeof v === 'string' && v.trim() === '' );

/**
 * Reads a table into `out`. Returns the warehouse ids the rows' `stock` is aligned with.
 *
 * @param table Record stream.
 * @param opts  Options.
 * @param out   Collector.
 */
export async function readTableExport(
	table: TableStream,
	opts: TableExportOptions,
	out: RowCollector
): Promise< number[] > {
	let columns: ColumnMap | null = null;
	let validate: ValidateOptions | null = null;
	const before: TableRecord[] = [];
	let failed = false;
	for await ( const record of table.records ) {
		if ( failed ) {
			continue; // Keep reading so structural errors are all reported.
		}
		if ( ! columns ) {
			const cells = record.cells.map( ( c ) =>
				c === null ? '' : String( c )
			);
			const isHeader =
				opts.headerRow !== undefined
					? record.line === opts.headerRow
					: looksLikeHeader( cells, opts.warehouses );
			const positional =
				! isHeader &&
				before.length === 0 &&
				positionalColumns( cells, opts );
			if ( positional ) {
				// No header: sku, quantity[, price] (the first push format).
				columns = positional;
				validate = {
					stockLabels: [ 'quantity' ],
					blankStockIsZero: false,
				};
				addRecord( record, columns, validate, out );
				continue;
			}
			if ( ! isHeader ) {
				before.push( record );
				if (
					opts.headerRow === undefined &&
					before.length >= HEADER_SEARCH
				) {
					out.fail( {
						line: before[ 0 ]?.line ?? 1,
						message: `no header row with a SKU column (Артикул, SKU) in the first ${ HEADER_SEARCH } rows; give its line with --header-row N`,
					} );
					failed = true;
				}
				continue;
			}
			const mapped = mapColumns( cells, opts.warehouses );
			if ( typeof mapped === 'string' ) {
				out.fail( { line: record.line, message: mapped } );
				failed = true;
				continue;
			}
			columns = mapped;
			validate = {
				stockLabels: mapped.stock.map( ( s ) => s.header ),
				// A file with a column per warehouse leaves zero balances blank (1C, BAS).
				blankStockIsZero: mapped.stock.some(
					( s ) => s.column !== mapped.fields.quantity
				),
			};
			continue;
		}
		addRecord( record, columns, validate as ValidateOptions, out );
	}
	out.errors.push( ...table.errors );
	if ( ! columns && ! failed ) {
		out.fail( {
			line: opts.headerRow ?? before[ 0 ]?.line ?? 1,
			message:
				opts.headerRow !== undefined
					? `line ${ opts.headerRow } is not in the file (or is blank)`
					: 'no header row with a SKU column (Артикул, SKU) found',
		} );
	}
	return columns ? columns.stock.map( ( s ) => s.warehouseId ) : [];
}

/**
 * The positional columns of a headerless file (sku, quantity[, price]) when
 * its first record looks like that and a single `--warehouse ID` is given.
 *
 * @param cells First record.
 * @param opts  Options.
 */
function positionalColumns(
	cells: readonly string[],
	opts: TableExportOptions
): ColumnMap | null {
	const [ only, ...others ] = opts.warehouses;
	if (
		opts.headerRow !== undefined ||
		! only ||
		only.source !== null ||
		others.length > 0 ||
		cells.length < 2 ||
		cells.length > 3 ||
		typeof parseNumber( cells[ 1 ] ?? '' ) !== 'number'
	) {
		return null;
	}
	return {
		fields: { sku: 0, quantity: 1, price: 2 },
		stock: [ { column: 1, warehouseId: only.id, header: 'quantity' } ],
	};
}

/**
 * Validates one data record (blank, group and totals rows are skipped).
 *
 * @param record   The record.
 * @param columns  Column map.
 * @param validate Validation options.
 * @param out      Collector.
 */
function addRecord(
	record: TableRecord,
	columns: ColumnMap,
	validate: ValidateOptions,
	out: RowCollector
): void {
	const { cells } = record;
	const at = ( field: Field ) => {
		const i = columns.fields[ field ];
		return i === undefined ? undefined : cells[ i ];
	};
	const first = cells.find( ( c ) => ! isBlank( c ) );
	if ( first === undefined ) {
		return;
	}
	const sku = at( 'sku' );
	if (
		typeof first === 'string' &&
		TOTALS_ROW.test( first.trim() ) &&
		( first === sku ? isBlank( at( 'name' ) ) : isBlank( sku ) )
	) {
		return; // "Разом" / "Итого" at the end of a report.
	}
	if ( isBlank( sku ) ) {
		const numbers = [
			at( 'price' ),
			at( 'purchasePrice' ),
			...columns.stock.map( ( s ) => cells[ s.column ] ),
		];
		if ( numbers.every( isBlank ) ) {
			return; // A group heading of a hierarchical report.
		}
	}
	out.add(
		{
			line: record.line,
			sku: typeof sku === 'string' ? sku : ( sku ?? undefined ),
			name: at( 'name' ),
			price: at( 'price' ),
			purchasePrice: at( 'purchasePrice' ),
			barcode: at( 'barcode' ),
			unit: at( 'unit' ),
			category: at( 'category' ),
			stock: columns.stock.map( ( s ) => cells[ s.column ] ),
		},
		validate
	);
}
