/**
 * Realistic ERP exports made by the tests themselves: a 1C/BAS-style stock
 * report in Windows-1251 (title rows, semicolons, `1 234,50` with ordinary
 * and no-break spaces, one quantity column per warehouse, a totals row), the
 * same data as an XLSX workbook (written with exceljs) and as a CommerceML 2
 * pair (import.xml + offers.xml).
 */
import ExcelJS from 'exceljs';

/** One product of a fixture export. */
export interface FixtureItem {
	sku: string;
	name: string;
	price: number;
	barcode?: string;
	kyiv: number;
	lviv: number;
	category?: string;
}

/**
 * Encodes text in Windows-1251 with the platform's own table (TextDecoder
 * inverted over the 256 byte values; TextEncoder writes UTF-8 only).
 *
 * @param text Text (characters outside Windows-1251 are refused).
 */
export function encodeCp1251( text: string ): Buffer {
	const decoder = new TextDecoder( 'windows-1251' );
	const table = new Map< string, number >();
	for ( let b = 0; b < 256; b++ ) {
		table.set( decoder.decode( Uint8Array.of( b ) ), b );
	}
	return Buffer.from(
		[ ...text ].map( ( ch ) => {
			const b = table.get( ch );
			if ( b === undefined ) {
				throw new Error( `not in Windows-1251: ${ ch }` );
			}
			return b;
		} )
	);
}

/**
 * A price as 1C prints it: `1 234,50` (thousands grouped by a space, or a
 * no-break space when `nbsp`).
 *
 * @param n    Number.
 * @param nbsp Group with U+00A0.
 */
export function oneCNumber( n: number, nbsp = false ): string {
	const [ int, frac ] = n.toFixed( 2 ).split( '.' ) as [ string, string ];
	const grouped = int.replace(
		/\B(?=(\d{3})+(?!\d))/g,
		nbsp ? '\u00a0' : ' '
	);
	return `${ grouped },${ frac }`;
}

/** The header of the 1C report. */
export const REPORT_HEADER = [
	'Артикул',
	'Найменування',
	'Штрихкод',
	'Ціна',
	'Склад Київ',
	'Склад Львів',
];

/**
 * A 1C/BAS stock report as text (lines joined by CRLF): two title rows, a
 * blank line, the header, one line per item, a totals row. Zero balances are
 * left blank, as 1C prints them.
 *
 * @param items Items.
 */
export function oneCReportText( items: readonly FixtureItem[] ): string {
	const lines = [
		'Залишки товарів на складах;;;;;',
		'На дату 01.12.2026;;;;;',
		';;;;;',
		REPORT_HEADER.join( ';' ),
	];
	items.forEach( ( it, i ) => {
		lines.push(
			[
				it.sku,
				// A name with the separator in it is quoted, as 1C does.
				it.name.includes( ';' ) ? `"${ it.name }"` : it.name,
				it.barcode ?? '',
				oneCNumber( it.price, i % 2 === 1 ),
				it.kyiv === 0 ? '' : String( it.kyiv ),
				it.lviv === 0
					? ''
					: oneCNumber( it.lviv, i % 3 === 0 ).replace( /,00$/, '' ),
			].join( ';' )
		);
	} );
	const total = items.reduce( ( n, it ) => n + it.kyiv + it.lviv, 0 );
	lines.push( `Разом;;;;${ total };` );
	return `${ lines.join( '\r\n' ) }\r\n`;
}

/**
 * The report in Windows-1251, as 1C saves it.
 *
 * @param items Items.
 */
export function oneCReport( items: readonly FixtureItem[] ): Buffer {
	return encodeCp1251( oneCReportText( items ) );
}

/**
 * The same data as an XLSX workbook: a title row, a blank row, the header,
 * numbers as numbers (the price column as text with a decimal comma on every
 * third row, as hand-kept sheets have).
 *
 * @param path  Output path.
 * @param items Items.
 */
export async function writeXlsx(
	path: string,
	items: readonly FixtureItem[]
): Promise< void > {
	const wb = new ExcelJS.Workbook();
	const ws = wb.addWorksheet( 'Залишки' );
	ws.addRow( [ 'Залишки товарів на складах' ] );
	ws.addRow( [] );
	ws.addRow( REPORT_HEADER );
	items.forEach( ( it, i ) => {
		ws.addRow( [
			it.sku,
			it.name,
			it.barcode ?? null,
			i % 3 === 0 ? oneCNumber( it.price ) : it.price,
			it.kyiv,
			it.lviv,
		] );
	} );
	wb.addWorksheet( 'Other' ).addRow( [ 'not this one' ] );
	await wb.xlsx.writeFile( path );
}

const esc = ( s: string ) =>
	s.replace( /&/g, '&amp;' ).replace( /</g, '&lt;' ).replace( />/g, '&gt;' );

/**
 * A CommerceML 2.05 import.xml: a group tree and one Товар per item.
 *
 * @param items Items.
 */
export function commerceMlImport( items: readonly FixtureItem[] ): string {
	const goods = items
		.map(
			( it, i ) => `      <Товар>
        <Ид>id-${ i }</Ид>
        <Артикул>${ esc( it.sku ) }</Артикул>
        <Наименование>${ esc( it.name ) }</Наименование>
        ${ it.barcode ? `<Штрихкод>${ it.barcode }</Штрихкод>` : '' }
        <БазоваяЕдиница Код="796" НаименованиеПолное="Штука">шт</БазоваяЕдиница>
        <Группы><Ид>g-shirts</Ид></Группы>
        <ЗначенияРеквизитов><ЗначениеРеквизита><Наименование>ВидНоменклатуры</Наименование><Значение>Товар</Значение></ЗначениеРеквизита></ЗначенияРеквизитов>
      </Товар>`
		)
		.join( '\n' );
	return `<?xml version="1.0" encoding="UTF-8"?>
<КоммерческаяИнформация ВерсияСхемы="2.05" ДатаФормирования="2026-12-01T10:00:00">
  <Классификатор>
    <Ид>cls</Ид>
    <Наименование>Классификатор (Основной каталог товаров)</Наименование>
    <Группы>
      <Группа>
        <Ид>g-clothes</Ид>
        <Наименование>Одяг</Наименование>
        <Группы>
          <Группа><Ид>g-shirts</Ид><Наименование>Футболки</Наименование></Группа>
        </Группы>
      </Группа>
    </Группы>
  </Классификатор>
  <Каталог СодержитТолькоИзменения="false">
    <Ид>cat</Ид>
    <ИдКлассификатора>cls</ИдКлассификатора>
    <Наименование>Основной каталог товаров</Наименование>
    <Товары>
${ goods }
    </Товары>
  </Каталог>
</КоммерческаяИнформация>
`;
}

/**
 * A CommerceML 2.05 offers.xml: two price types, two warehouses, stock per
 * warehouse as `<Склад ИдСклада КоличествоНаСкладе/>` on even offers and as
 * `<Остатки>` on odd ones (both forms exist in the field).
 *
 * @param items Items.
 */
export function commerceMlOffers( items: readonly FixtureItem[] ): string {
	const offers = items
		.map( ( it, i ) => {
			const stock =
				i % 2 === 0
					? `<Склад ИдСклада="wh-kyiv" КоличествоНаСкладе="${ it.kyiv }"/>
        <Склад ИдСклада="wh-lviv" КоличествоНаСкладе="${ it.lviv }"/>`
					: `<Остатки>
          <Остаток><Склад><Ид>wh-kyiv</Ид><Количество>${ it.kyiv }</Количество></Склад></Остаток>
          <Остаток><Склад><Ид>wh-lviv</Ид><Количество>${ it.lviv }</Количество></Склад></Остаток>
        </Остатки>`;
			return `      <Предложение>
        <Ид>id-${ i }</Ид>
        <Наименование>${ esc( it.name ) }</Наименование>
        <Цены>
          <Цена><Представление>${ it.price } UAH за шт</Представление><ИдТипаЦены>pt-retail</ИдТипаЦены><ЦенаЗаЕдиницу>${ it.price }</ЦенаЗаЕдиницу><Валюта>UAH</Валюта><Единица>шт</Единица></Цена>
          <Цена><ИдТипаЦены>pt-purchase</ИдТипаЦены><ЦенаЗаЕдиницу>${ ( it.price / 2 ).toFixed( 2 ) }</ЦенаЗаЕдиницу><Валюта>UAH</Валюта></Цена>
        </Цены>
        <Количество>${ it.kyiv + it.lviv }</Количество>
        ${ stock }
      </Предложение>`;
		} )
		.join( '\n' );
	return `<?xml version="1.0" encoding="UTF-8"?>
<КоммерческаяИнформация ВерсияСхемы="2.05" ДатаФормирования="2026-12-01T10:00:00">
  <ПакетПредложений СодержитТолькоИзменения="false">
    <Ид>cat#</Ид>
    <Наименование>Пакет предложений</Наименование>
    <ИдКаталога>cat</ИдКаталога>
    <ТипыЦен>
      <ТипЦены><Ид>pt-retail</Ид><Наименование>Роздрібна</Наименование><Валюта>UAH</Валюта><Налог><Наименование>ПДВ</Наименование><УчтеноВСумме>true</УчтеноВСумме></Налог></ТипЦены>
      <ТипЦены><Ид>pt-purchase</Ид><Наименование>Закупівельна</Наименование><Валюта>UAH</Валюта></ТипЦены>
    </ТипыЦен>
    <Склады>
      <Склад><Ид>wh-kyiv</Ид><Наименование>Склад Київ</Наименование></Склад>
      <Склад><Ид>wh-lviv</Ид><Наименование>Склад Львів</Наименование></Склад>
    </Склады>
    <Предложения>
${ offers }
    </Предложения>
  </ПакетПредложений>
</КоммерческаяИнформация>
`;
}

/**
 * `n` items: SKU `A-000…`, a Ukrainian name, a four-digit price with kopecks,
 * stock in both warehouses (some zero).
 *
 * @param n      Count.
 * @param prefix SKU prefix.
 */
export function makeItems( n: number, prefix = 'A-' ): FixtureItem[] {
	return Array.from( { length: n }, ( _, i ) => ( {
		sku: `${ prefix }${ String( i ).padStart( 5, '0' ) }`,
		name:
			i % 10 === 0
				? `Футболка «Лелека»; розмір ${ i % 5 }`
				: `Футболка ${ i }`,
		price: 1000 + i + 0.5,
		barcode: `48200000${ String( 10000 + i ) }`,
		kyiv: i % 7,
		lviv: ( i * 3 ) % 11,
	} ) );
}
