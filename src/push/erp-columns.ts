/**
 * Columns of a tabular ERP export (CSV or XLSX): the header names 1C, BAS,
 * MoySklad and hand-made sheets use, in Ukrainian, Russian and English; the
 * search for the header row below report titles; and the mapping of quantity
 * columns to keyCRM warehouses.
 */

/** The fields a row can carry. */
export type Field =
	| 'sku'
	| 'name'
	| 'quantity'
	| 'price'
	| 'purchasePrice'
	| 'barcode'
	| 'unit'
	| 'category';

/** Header names per field, normalised (see `normaliseHeader`). */
const NAMES: Record< Field, readonly string[] > = {
	sku: [
		'sku',
		'article',
		'vendor code',
		'артикул',
		'артикул товару',
		'артикул товара',
	],
	name: [
		'name',
		'title',
		'product',
		'product name',
		'назва',
		'назва товару',
		'найменування',
		'наименование',
		'номенклатура',
		'товар',
	],
	quantity: [
		'quantity',
		'qty',
		'stock',
		'in_stock',
		'кількість',
		'количество',
		'залишок',
		'остаток',
		'кінцевий залишок',
		'конечный остаток',
	],
	price: [
		'price',
		'ціна',
		'цена',
		'ціна продажу',
		'цена продажи',
		'роздрібна ціна',
		'розничная цена',
	],
	purchasePrice: [
		'purchase price',
		'purchased_price',
		'cost',
		'закупівельна ціна',
		'ціна закупівлі',
		'закупочная цена',
		'цена закупки',
		'собівартість',
		'себестоимость',
	],
	barcode: [ 'barcode', 'ean', 'gtin', 'штрихкод', 'штрих-код', 'штрих код' ],
	unit: [
		'unit',
		'unit type',
		'од.',
		'од',
		'од. вим.',
		'одиниця',
		'одиниця виміру',
		'ед.',
		'ед',
		'ед. изм.',
		'единица',
		'единица измерения',
	],
	category: [ 'category', 'категорія', 'категория', 'група', 'группа' ],
};

const FIELDS = Object.keys( NAMES ) as Field[];

/**
 * Lower-cases a header, turns no-break spaces into spaces, collapses runs of
 * spaces and drops a trailing colon.
 *
 * @param header Header text.
 */
export function normaliseHeader( header: string ): string {
	return header
		.replace( /[\u00a0\u202f]/g, ' ' )
		.replace( /\s+/g, ' ' )
		.trim()
		.replace( /:$/, '' )
		.toLowerCase();
}

/**
 * The field a header names: exactly, or before a unit note (`Ціна, грн`,
 * `Кількість (шт)`).
 *
 * @param header Header text.
 */
export function fieldOfHeader( header: string ): Field | null {
	const h = normaliseHeader( header );
	const bare = h.replace( /\s*[,(].*$/, '' );
	for ( const field of FIELDS ) {
		if ( NAMES[ field ].includes( h ) || NAMES[ field ].includes( bare ) ) {
			return field;
		}
	}
	return null;
}

/** A `--warehouse` option: a bare id, or "column or warehouse name = id". */
export interface WarehouseMapping {
	/** Column header or CommerceML warehouse name/Ид; null for a bare `--warehouse ID`. */
	source: string | null;
	id: number;
}

/**
 * Parses one `--warehouse` value: `5` or `Склад Київ=5` (the last `=` splits).
 *
 * @param value Option value.
 * @return The mapping, or an error message.
 */
export function parseWarehouseOption(
	value: string
): WarehouseMapping | string {
	const eq = value.lastIndexOf( '=' );
	const idText = ( eq < 0 ? value : value.slice( eq + 1 ) ).trim();
	const source = eq < 0 ? null : value.slice( 0, eq ).trim();
	if ( ! /^\d+$/.test( idText ) || Number( idText ) < 1 ) {
		return `--warehouse expects ID or "NAME=ID" with a positive integer ID, got "${ value }"`;
	}
	if ( source === '' ) {
		return `--warehouse "${ value }": the name before "=" is empty`;
	}
	return { source, id: Number( idText ) };
}

/** Where each field and each warehouse's quantity is in a row. */
export interface ColumnMap {
	/** 0-based column per field (quantity: the single quantity column). */
	fields: Partial< Record< Field, number > >;
	/** Quantity columns, one per keyCRM warehouse, in `--warehouse` order. */
	stock: { column: number; warehouseId: number; header: string }[];
}

/**
 * Maps a header row's columns.
 *
 * @param cells      Header cells.
 * @param warehouses `--warehouse` options.
 * @return The map, or an error message.
 */
export function mapColumns(
	cells: readonly string[],
	warehouses: readonly WarehouseMapping[]
): ColumnMap | string {
	const fields: ColumnMap[ 'fields' ] = {};
	cells.forEach( ( cell, i ) => {
		const field = fieldOfHeader( cell );
		if ( field && fields[ field ] === undefined ) {
			fields[ field ] = i;
		}
	} );
	if ( fields.sku === undefined ) {
		return `no SKU column (Артикул, SKU) in the header: ${ cells.join( ', ' ) }`;
	}
	const normalised = cells.map( normaliseHeader );
	const stock: ColumnMap[ 'stock' ] = [];
	for ( const w of warehouses ) {
		if ( w.source === null ) {
			continue;
		}
		const column = normalised.indexOf( normaliseHeader( w.source ) );
		if ( column < 0 ) {
			return `--warehouse "${ w.source }=${ w.id }": no column "${ w.source }" in the header (${ cells.join( ', ' ) })`;
		}
		stock.push( {
			column,
			warehouseId: w.id,
			header: cells[ column ] ?? '',
		} );
	}
	const bare = warehouses.filter( ( w ) => w.source === null );
	if ( bare.length > 1 ) {
		return '--warehouse ID without a column name can be given once';
	}
	const only = bare[ 0 ];
	if ( only ) {
		if ( fields.quantity === undefined ) {
			return `no quantity column (Кількість, Количество, Залишок, Остаток, Quantity) for --warehouse ${ only.id }; for one column per warehouse, map each: --warehouse "COLUMN=ID" (columns: ${ cells.join( ', ' ) })`;
		}
		stock.push( {
			column: fields.quantity,
			warehouseId: only.id,
			header: cells[ fields.quantity ] ?? '',
		} );
	}
	const ids = stock.map( ( s ) => s.warehouseId );
	const twice = ids.find( ( id, i ) => ids.indexOf( id ) !== i );
	if ( twice !== undefined ) {
		return `warehouse ${ twice } is mapped to two columns`;
	}
	return { fields, stock };
}

/**
 * Finds the header row among the first records of a report (1C and BAS put a
 * title, a date and blank lines above it): the first record with a SKU column
 * and at least one other known column or a `--warehouse` column.
 *
 * @param cells      Cells of a record.
 * @param warehouses `--warehouse` options.
 */
export function looksLikeHeader(
	cells: readonly string[],
	warehouses: readonly WarehouseMapping[]
): boolean {
	const found = new Set( cells.map( fieldOfHeader ) );
	if ( ! found.has( 'sku' ) ) {
		return false;
	}
	const names = new Set( cells.map( normaliseHeader ) );
	return (
		found.size > 2 ||
		( found.size === 2 && ! found.has( null ) ) ||
		warehouses.some(
			( w ) =>
				w.source !== null && names.has( normaliseHeader( w.source ) )
		)
	);
}

/** First cells of a totals row at the end of a report. */
export const TOTALS_ROW =
	/^(итого|всего|разом|всього|усього|total)(?=$|[\s:.,])/i;
