/** @jest-environment node */
/*
 * The pieces of the ERP readers: encoding detection, numbers as ERPs write
 * them, header names, warehouse options, and CommerceML details
 * (characteristics, a Windows-1251 declaration, XML errors with their line).
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
	fieldOfHeader,
	parseWarehouseOption,
} from '../../src/push/erp-columns';
import { readExport } from '../../src/push/read-export';
import { parseNumber } from '../../src/push/stock-row';
import { detectEncoding } from '../../src/push/text-encoding';
import {
	commerceMlImport,
	commerceMlOffers,
	encodeCp1251,
	makeItems,
} from './erp-fixtures';

let dir: string;
beforeAll( async () => {
	dir = await mkdtemp( join( tmpdir(), 'kcs-readers-' ) );
} );
afterAll( async () => {
	await rm( dir, { recursive: true, force: true } );
} );

describe( 'detectEncoding', () => {
	it( 'uses the BOM, NUL bytes of UTF-16, UTF-8 validity, else Windows-1251', () => {
		expect( detectEncoding( Buffer.from( '\uFEFFабв', 'utf8' ) ) ).toBe(
			'utf-8'
		);
		expect( detectEncoding( Buffer.from( 'Артикул;Ціна', 'utf8' ) ) ).toBe(
			'utf-8'
		);
		expect( detectEncoding( Buffer.from( 'sku;qty\n', 'utf16le' ) ) ).toBe(
			'utf-16le'
		);
		expect( detectEncoding( Buffer.from( [ 0xfe, 0xff, 0, 0x41 ] ) ) ).toBe(
			'utf-16be'
		);
		expect( detectEncoding( encodeCp1251( 'Артикул;Ціна;Залишок' ) ) ).toBe(
			'windows-1251'
		);
		// A UTF-8 character cut by the end of the sample is still UTF-8.
		expect(
			detectEncoding( Buffer.from( 'abcЖ', 'utf8' ).subarray( 0, 4 ) )
		).toBe( 'utf-8' );
	} );
} );

describe( 'parseNumber (ERP forms)', () => {
	it.each( [
		[ '1 234,50', 1234.5 ],
		[ '1\u00a0234,50', 1234.5 ],
		[ '12\u202f345\u00a0678', 12345678 ],
		[ '1 234', 1234 ],
		[ '1234.5', 1234.5 ],
		[ '1 234.5', 1234.5 ],
		[ '1234,567', 1234.567 ],
		[ ' 7 ', 7 ],
	] )( 'reads %p as %p', ( raw, expected ) => {
		expect( parseNumber( raw ) ).toBe( expected );
	} );

	it.each( [ '1,000', '12 34', '1 234,5,0', '-1 234' ] )(
		'refuses %p',
		( raw ) => {
			expect( typeof parseNumber( raw ) ).toBe( 'string' );
		}
	);
} );

describe( 'headers and --warehouse', () => {
	it.each( [
		[ 'Артикул', 'sku' ],
		[ 'Наименование', 'name' ],
		[ 'Кількість, шт', 'quantity' ],
		[ 'Остаток', 'quantity' ],
		[ 'Ціна (грн)', 'price' ],
		[ 'Закупочная цена', 'purchasePrice' ],
		[ 'Штрих-код', 'barcode' ],
		[ 'Ед. изм.', 'unit' ],
		[ 'Категорія', 'category' ],
		[ 'Склад Київ', null ],
	] )( '%p is %p', ( header, field ) => {
		expect( fieldOfHeader( header ) ).toBe( field );
	} );

	it( 'parses ID and NAME=ID, refusing the rest', () => {
		expect( parseWarehouseOption( '5' ) ).toEqual( {
			source: null,
			id: 5,
		} );
		expect( parseWarehouseOption( 'Склад = Київ=7' ) ).toEqual( {
			source: 'Склад = Київ',
			id: 7,
		} );
		expect( parseWarehouseOption( 'Склад Київ' ) ).toContain(
			'positive integer'
		);
		expect( parseWarehouseOption( '=3' ) ).toContain( 'is empty' );
	} );
} );

describe( 'CommerceML details', () => {
	const offers = (
		body: string,
		encoding = 'UTF-8'
	) => `<?xml version="1.0" encoding="${ encoding }"?>
<КоммерческаяИнформация ВерсияСхемы="2.08">
  <ПакетПредложений>
    <ТипыЦен><ТипЦены><Ид>p</Ид><Наименование>Роздріб</Наименование></ТипЦены></ТипыЦен>
    <Предложения>
${ body }
    </Предложения>
  </ПакетПредложений>
</КоммерческаяИнформация>
`;

	it( 'takes a characteristic’s own Ид as its SKU, and reads a Windows-1251 file', async () => {
		const file = join( dir, 'offers.xml' );
		await writeFile(
			file,
			encodeCp1251(
				offers(
					`      <Предложение><Ид>p1#c1</Ид><Наименование>Сорочка (S)</Наименование><Цены><Цена><ИдТипаЦены>p</ИдТипаЦены><ЦенаЗаЕдиницу>10.5</ЦенаЗаЕдиницу></Цена></Цены><Количество>3</Количество></Предложение>
      <Предложение><Ид>p2</Ид><Артикул>ART-2</Артикул><Наименование>Шарф</Наименование><Количество>1</Количество></Предложение>`,
					'windows-1251'
				)
			)
		);
		const r = await readExport( [ file ], {
			warehouses: [ { source: null, id: 1 } ],
		} );
		expect( r.errors ).toEqual( [] );
		expect(
			r.rows.map( ( x ) => [ x.sku, x.name, x.price, x.stock ] )
		).toEqual( [
			[ 'p1#c1', 'Сорочка (S)', 10.5, [ 3 ] ],
			[ 'ART-2', 'Шарф', null, [ 1 ] ],
		] );
	} );

	it( 'reports bad values with the element and its line, and broken XML with its line', async () => {
		const file = join( dir, 'offers-bad.xml' );
		await writeFile(
			file,
			offers(
				`      <Предложение><Ид>x</Ид><Количество>-2</Количество></Предложение>`
			)
		);
		const r = await readExport( [ file ], {
			warehouses: [ { source: null, id: 1 } ],
		} );
		expect( r.errors ).toEqual( [
			{
				line: 6,
				file: 'offers-bad.xml',
				message: '<Предложение> Ид=x: quantity "-2" is negative',
			},
		] );
		const broken = join( dir, 'offers-broken.xml' );
		await writeFile( broken, offers( '      <Предложение><Ид>x</Ид>' ) );
		const b = await readExport( [ broken ], {
			warehouses: [ { source: null, id: 1 } ],
		} );
		expect( b.errors[ 0 ]?.file ).toBe( 'offers-broken.xml' );
		expect( b.errors[ 0 ]?.message ).toMatch( /^invalid XML/ );
		expect( b.errors[ 0 ]?.line ).toBeGreaterThan( 5 );
	} );
} );

describe( 'CommerceML pair', () => {
	it( 'keeps the stock and price of catalogue products a change-only offers.xml leaves out', async () => {
		const folder = join( dir, 'partial' );
		await mkdir( folder, { recursive: true } );
		const items = makeItems( 2 );
		await writeFile(
			join( folder, 'import.xml' ),
			commerceMlImport( items )
		);
		await writeFile(
			join( folder, 'offers.xml' ),
			commerceMlOffers( items.slice( 0, 1 ) )
		);
		const r = await readExport( [ folder ], {
			warehouses: [
				{ source: 'Склад Київ', id: 1 },
				{ source: 'wh-lviv', id: 2 },
			],
			priceType: 'Роздрібна',
		} );
		expect( r.errors ).toEqual( [] );
		expect( r.warehouseIds ).toEqual( [ 1, 2 ] );
		expect(
			r.rows.map( ( x ) => [ x.sku, x.category, x.price, x.stock ] )
		).toEqual( [
			[ 'A-00000', 'Одяг/Футболки', 1000.5, [ 0, 0 ] ],
			[ 'A-00001', 'Одяг/Футболки', null, [] ],
		] );
	} );
} );
