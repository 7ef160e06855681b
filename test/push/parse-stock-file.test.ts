/** @jest-environment node */
import { detectSeparator } from '../../src/push/table-reader';
import {
	parseStockFile,
	elementLines,
	formatOfPath,
	readCsvText,
} from '../../src/push/parse-stock-file';
import { parseNumber } from '../../src/push/stock-row';

describe( 'CSV records (csv-parse)', () => {
	it( 'detects ; and , and tab separators, ignoring separators inside quotes and title rows', () => {
		expect( detectSeparator( 'sku;quantity;price\n' ) ).toBe( ';' );
		expect( detectSeparator( 'sku,quantity\n' ) ).toBe( ',' );
		expect( detectSeparator( '"a;b;c",1\n' ) ).toBe( ',' );
		expect( detectSeparator( 'sku\tquantity\n' ) ).toBe( '\t' );
		expect(
			detectSeparator(
				'Залишки, на дату\n\nАртикул;Назва;Ціна\nA;x;1,5\n'
			)
		).toBe( ';' );
	} );

	it( 'handles quotes, escaped quotes, line breaks in quotes, CRLF and keeps start lines', () => {
		const errors: { line: number; message: string }[] = [];
		const r = readCsvText(
			'sku;qty\r\n"A;1";5\r\n"say ""hi""";2\r\n"multi\nline";3\r\nB;4',
			errors
		);
		expect( errors ).toEqual( [] );
		expect( r ).toEqual( [
			{ line: 1, fields: [ 'sku', 'qty' ] },
			{ line: 2, fields: [ 'A;1', '5' ] },
			{ line: 3, fields: [ 'say "hi"', '2' ] },
			{ line: 4, fields: [ 'multi\nline', '3' ] },
			{ line: 6, fields: [ 'B', '4' ] },
		] );
	} );

	it( 'reports an unclosed quote and text after a closing quote with their lines', () => {
		const errors: { line: number; message: string }[] = [];
		readCsvText( 'a,1\n"b,2\nc,3\n', errors );
		expect( errors ).toEqual( [
			{
				line: 3,
				message:
					'a quoted field is never closed (the file ends inside quotes)',
			},
		] );
		const errors2: { line: number; message: string }[] = [];
		readCsvText( 'a,1\n"b"x,2\n', errors2 );
		expect( errors2[ 0 ] ).toEqual( {
			line: 2,
			message: 'text after a closing quote',
		} );
	} );
} );

describe( 'parseNumber', () => {
	it.each( [
		[ '12', 12 ],
		[ ' 7 ', 7 ],
		[ '2.5', 2.5 ],
		[ '2,5', 2.5 ],
		[ '12,50', 12.5 ],
		[ '0', 0 ],
	] )( 'reads %p as %p', ( raw, expected ) => {
		expect( parseNumber( raw ) ).toBe( expected );
	} );

	it.each( [
		'abc',
		'1e5',
		'12abc',
		'-3',
		'1,000',
		'',
		'1.2.3',
		'NaN',
		'Infinity',
		'99999999999',
	] )( 'refuses %p', ( raw ) => {
		expect( typeof parseNumber( raw ) ).toBe( 'string' );
	} );
} );

describe( 'parseStockFile (CSV)', () => {
	it( 'reads a ;-separated file with BOM, header, quoted fields, blank lines and decimal commas', () => {
		const csv =
			'\uFEFFSKU;Quantity;Price\r\n\r\nA-1;5;12,50\r\n"B;2";"3";\r\n\r\n"C ""x""";0;7.25\r\n';
		const r = parseStockFile( csv, 'csv' );
		expect( r.errors ).toEqual( [] );
		expect( r.rows ).toEqual( [
			{ line: 3, sku: 'A-1', quantity: 5, price: 12.5 },
			{ line: 4, sku: 'B;2', quantity: 3, price: null },
			{ line: 6, sku: 'C "x"', quantity: 0, price: 7.25 },
		] );
	} );

	it( 'reads a headerless ,-separated file positionally', () => {
		const r = parseStockFile( 'A,1\nB,2,9.99\n', 'csv' );
		expect( r.errors ).toEqual( [] );
		expect( r.rows.map( ( x ) => [ x.sku, x.quantity, x.price ] ) ).toEqual(
			[
				[ 'A', 1, null ],
				[ 'B', 2, 9.99 ],
			]
		);
	} );

	it( 'accepts columns in any order by header name', () => {
		const r = parseStockFile(
			'price,name,qty,sku\n10,Shirt,4,S-1\n',
			'csv'
		);
		expect( r.rows ).toEqual( [
			{ line: 2, sku: 'S-1', quantity: 4, price: 10 },
		] );
	} );

	it( 'reports every bad line with its number and keeps none of the file silent', () => {
		const csv = [
			'sku;quantity;price', // 1
			'A;5;10', // 2
			'B;abc;10', // 3 bad quantity
			';4;1', // 4 empty sku
			'A;6;1', // 5 duplicate
			'', // 6 blank
			'C;-1;1', // 7 negative
			'D;2;free', // 8 bad price
			'E;', // 9 missing quantity
			' F ;1', // 10 spaces around sku
			'"G,1";1', // 11 comma in sku
			'H;1,000', // 12 ambiguous
		].join( '\n' );
		const r = parseStockFile( csv, 'csv' );
		expect( r.errors.map( ( e ) => e.line ) ).toEqual( [
			3, 4, 5, 7, 8, 9, 10, 11, 12,
		] );
		expect( r.errors[ 0 ]?.message ).toBe(
			'quantity "abc" is not a number'
		);
		expect( r.errors[ 1 ]?.message ).toBe( 'SKU is empty' );
		expect( r.errors[ 2 ]?.message ).toBe(
			'duplicate SKU "A" (first on line 2)'
		);
		expect( r.errors[ 3 ]?.message ).toBe( 'quantity "-1" is negative' );
		expect( r.errors[ 4 ]?.message ).toBe( 'price "free" is not a number' );
		expect( r.errors[ 5 ]?.message ).toBe( 'quantity is missing' );
		expect( r.errors[ 6 ]?.message ).toContain( 'surrounding spaces' );
		expect( r.errors[ 7 ]?.message ).toContain( 'comma' );
		expect( r.errors[ 8 ]?.message ).toContain( 'ambiguous' );
		expect( r.rows.map( ( x ) => x.sku ) ).toEqual( [ 'A' ] );
	} );

	it( 'refuses a header without a quantity column, and wrong field counts without header', () => {
		expect(
			parseStockFile( 'sku,name\nA,x\n', 'csv' ).errors[ 0 ]
		).toEqual( {
			line: 1,
			message:
				'header needs a "sku" and a "quantity" column (found: sku, name)',
		} );
		expect( parseStockFile( 'A\nB,1,2,3\nC,1\n', 'csv' ).errors ).toEqual( [
			{
				line: 1,
				message:
					'expected 2 or 3 fields (sku, quantity, price), found 1',
			},
			{
				line: 2,
				message:
					'expected 2 or 3 fields (sku, quantity, price), found 4',
			},
		] );
	} );

	it( 'refuses an empty file', () => {
		expect( parseStockFile( '\uFEFF\n\n', 'csv' ).errors ).toEqual( [
			{ line: 1, message: 'the file has no rows' },
		] );
	} );

	it( 'reads 10,000 lines', () => {
		const lines = [ 'sku;quantity;price' ];
		for ( let i = 0; i < 10000; i++ ) {
			lines.push( `SKU-${ i };${ i % 50 };${ ( i % 7 ) + 0.5 }` );
		}
		const r = parseStockFile( lines.join( '\n' ), 'csv' );
		expect( r.errors ).toEqual( [] );
		expect( r.rows ).toHaveLength( 10000 );
		expect( r.rows[ 9999 ] ).toEqual( {
			line: 10001,
			sku: 'SKU-9999',
			quantity: 49,
			price: 3.5,
		} );
	} );
} );

describe( 'parseStockFile (JSON)', () => {
	it( 'reads a bare array and an {items} object with line numbers', () => {
		const bare =
			'[\n  {"sku": "A", "quantity": 1},\n  {"sku": "B", "quantity": "2,5", "price": 3}\n]';
		expect( parseStockFile( bare, 'json' ).rows ).toEqual( [
			{ line: 2, sku: 'A', quantity: 1, price: null },
			{ line: 3, sku: 'B', quantity: 2.5, price: 3 },
		] );
		const keyed =
			'{"items": [\n{"sku": "A", "quantity": 1},\n{"sku": "A", "quantity": true}\n]}';
		const r = parseStockFile( keyed, 'json' );
		expect( r.errors ).toEqual( [
			{ line: 3, message: 'quantity must be a number' },
		] );
	} );

	it( 'reports a syntax error with its line and a wrong shape', () => {
		const r = parseStockFile(
			'[\n{"sku": "A", "quantity": 1},\n{"sku": "B" "quantity": 2}\n]',
			'json'
		);
		expect( r.errors ).toHaveLength( 1 );
		expect( r.errors[ 0 ]?.line ).toBe( 3 );
		expect( r.errors[ 0 ]?.message ).toMatch( /^invalid JSON/ );
		expect(
			parseStockFile( '{"a": 1}', 'json' ).errors[ 0 ]?.message
		).toContain( 'expected an array' );
		expect(
			parseStockFile( '[1, {"sku": "x", "quantity": 2}]', 'json' ).errors
		).toEqual( [ { line: 1, message: 'item is not an object' } ] );
	} );

	it( 'finds element lines without being fooled by strings', () => {
		expect(
			elementLines( '[\n{"s": "[,{"},\n\n{"s": "\\"]"}\n]', 1 )
		).toEqual( [ 2, 4 ] );
	} );

	it( 'picks the format from the file name', () => {
		expect( formatOfPath( 'x/Stock.JSON' ) ).toBe( 'json' );
		expect( formatOfPath( 'stock.csv' ) ).toBe( 'csv' );
	} );
} );
