/** @jest-environment node */
/*
 * `keycrm-sync push` on realistic ERP exports (made by erp-fixtures.ts),
 * through the CLI, against the keyCRM emulator: the emulator's end state and
 * the request counts at the floor (⌈new/100⌉ + ⌈changed/10,000⌉ + one stock
 * request per warehouse, plus the reads).
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';

import { applySeed } from '../../src/emulator/seed';
import { runCli } from '../../src/cli/main';
import { pushFiles } from '../../src/push/push-files';
import { loadKeyCrmSpec } from '../helpers/keycrm-openapi';
import {
	KEYCRM_TEST_KEY,
	KEYCRM_TEST_URL,
	useKeyCrmEmulator,
} from '../helpers/keycrm';
import {
	commerceMlImport,
	commerceMlOffers,
	makeItems,
	oneCReport,
	oneCReportText,
	writeXlsx,
	type FixtureItem,
} from './erp-fixtures';

const env = useKeyCrmEmulator( {
	warehouses: [
		{ id: 1, name: 'Склад Київ' },
		{ id: 2, name: 'Склад Львів' },
	],
} );

let dir: string;
beforeAll( async () => {
	dir = await mkdtemp( join( tmpdir(), 'kcs-erp-' ) );
} );
afterAll( async () => {
	await rm( dir, { recursive: true, force: true } );
} );

async function cli( args: string[] ) {
	let out = '';
	let err = '';
	const sink = ( add: ( s: string ) => void ) =>
		new Writable( {
			write( chunk, _enc, cb ) {
				add( String( chunk ) );
				cb();
			},
		} );
	const code = await runCli(
		[ 'push', ...args, '--rate-per-minute', '600' ],
		{
			stdout: sink( ( s ) => ( out += s ) ),
			stderr: sink( ( s ) => ( err += s ) ),
			signal: new AbortController().signal,
			env: {
				KEYCRM_API_KEY: KEYCRM_TEST_KEY,
				KEYCRM_API_URL: KEYCRM_TEST_URL,
			},
		}
	);
	return { code, out, err };
}

const WAREHOUSES = [
	'--warehouse',
	'Склад Київ=1',
	'--warehouse',
	'Склад Львів=2',
];

/** 153 items; keyCRM already holds the first three (one with an old price, one with old stock). */
function scenario(): FixtureItem[] {
	const items = makeItems( 153 );
	const [ a, b, c ] = items as [ FixtureItem, FixtureItem, FixtureItem ];
	applySeed( env.emulator.store, {
		products: [
			{
				name: a.name,
				sku: a.sku,
				barcode: a.barcode,
				price: 1,
				stock: { 1: a.kyiv, 2: a.lviv },
			},
			{
				name: b.name,
				sku: b.sku,
				barcode: b.barcode,
				price: b.price,
				stock: { 1: 99, 2: b.lviv },
			},
			{
				name: c.name,
				sku: c.sku,
				barcode: c.barcode,
				price: c.price,
				stock: { 1: c.kyiv, 2: c.lviv },
			},
		],
	} );
	return items;
}

const routes = () => env.emulator.stats().byRoute as Record< string, number >;
const writes = () =>
	Object.entries( routes() )
		.filter( ( [ k ] ) => ! k.startsWith( 'GET' ) )
		.reduce( ( n, [ , v ] ) => n + v, 0 );

function expectState( items: readonly FixtureItem[] ) {
	const store = env.emulator.store;
	for ( const it of items ) {
		const offers = store.findBySku( it.sku );
		expect( offers ).toHaveLength( 1 );
		const offer = offers[ 0 ]!;
		expect( store.products.get( offer.product_id )?.name ).toBe( it.name );
		expect( offer.price ).toBeCloseTo( it.price, 2 );
		expect( store.cell( offer.id, 1 ).quantity ).toBe( it.kyiv );
		expect( store.cell( offer.id, 2 ).quantity ).toBe( it.lviv );
	}
}

describe( 'push --create of a Windows-1251 1C report with a column per warehouse', () => {
	it( 'leaves every SKU with its name, price and both warehouses’ stock, at the request floor', async () => {
		const items = scenario();
		const file = join( dir, 'report.csv' );
		await writeFile( file, oneCReport( items ) );
		const r = await cli( [ '--file', file, '--create', ...WAREHOUSES ] );
		expect( r.err ).toBe( '' );
		expect( r.code ).toBe( 0 );
		expect( r.out ).toContain(
			'report.csv (CSV, windows-1251, ";"-separated): 153 valid rows'
		);
		expectState( items );
		// 150 new → 2 imports; 1 changed price → 1 PUT /offers; 2 warehouses → 2 stock requests.
		expect( routes() ).toMatchObject( {
			'POST /products/import': 2,
			'PUT /offers': 1,
			'PUT /offers/stocks': 2,
		} );
		expect( routes()[ 'PUT /products/{id}' ] ).toBeUndefined();
		expect( writes() ).toBe( 5 );
		// Reads: one stock page and one offer page (the account is tiny).
		expect( env.emulator.stats().total ).toBe( 7 );
		// A second run finds nothing to change.
		const again = await cli( [
			'--file',
			file,
			'--create',
			...WAREHOUSES,
		] );
		expect( again.code ).toBe( 0 );
		expect( again.out ).toMatch(
			/Done: 153 rows; changed stock of 0 and price of 0 SKUs; 153 unchanged/
		);
		expect( writes() ).toBe( 5 );
	} );

	it( 'dry run: lists each planned request with its row counts and sends nothing', async () => {
		const items = scenario();
		const file = join( dir, 'dry.csv' );
		await writeFile( file, oneCReport( items ) );
		const r = await cli( [
			'--file',
			file,
			'--create',
			'--dry-run',
			'--quiet',
			...WAREHOUSES,
		] );
		expect( r.code ).toBe( 0 );
		expect( r.out ).toContain( 'Planned keyCRM write requests: 5' );
		expect( r.out ).toContain(
			'1/5: POST /products/import: 100 new products (lines 8–107)'
		);
		expect( r.out ).toContain(
			'2/5: POST /products/import: 50 new products (lines 108–157)'
		);
		expect( r.out ).toContain(
			'3/5: PUT /offers: 1 rows (price 1, purchase price 0)'
		);
		expect( r.out ).toContain( '4/5: PUT /offers/stocks warehouse 1: ' );
		expect( r.out ).toContain( '5/5: PUT /offers/stocks warehouse 2: ' );
		expect( writes() ).toBe( 0 );
	} );

	it( 'reads UTF-16 and UTF-8 (BOM or not), tab or comma, and numbers with no-break spaces', async () => {
		applySeed( env.emulator.store, {
			products: [ { name: 'x', sku: 'S-1', price: 1 } ],
		} );
		const utf16 = join( dir, 'u16.txt' );
		await writeFile(
			utf16,
			Buffer.concat( [
				Buffer.from( [ 0xff, 0xfe ] ),
				Buffer.from(
					'Остатки\r\nАртикул\tНаименование\tЦена\tОстаток\r\nS-1\tИмя\t2\u00a0345,5\t7\r\n',
					'utf16le'
				),
			] )
		);
		let r = await cli( [ '--file', utf16, '--warehouse', '1' ] );
		expect( r.err ).toBe( '' );
		expect( r.out ).toContain( '(CSV, utf-16le, tab-separated)' );
		expect( r.out ).toContain( 'line 3: S-1  price 1 → 2345.5' );
		const utf8 = join( dir, 'u8.csv' );
		await writeFile( utf8, 'SKU,Name,Qty,Price\nS-1,x,9,"2 345,50"\n' );
		r = await cli( [ '--file', utf8, '--warehouse', '1' ] );
		expect( r.out ).toContain( '(CSV, utf-8, ","-separated)' );
		expect( r.out ).toContain( 'line 2: S-1  stock 7 → 9' );
	} );
} );

describe( 'push of an XLSX workbook', () => {
	it( 'creates and updates from the first sheet, below its title row', async () => {
		const items = scenario();
		const file = join( dir, 'stock.xlsx' );
		await writeXlsx( file, items );
		const r = await cli( [ '--file', file, '--create', ...WAREHOUSES ] );
		expect( r.err ).toBe( '' );
		expect( r.code ).toBe( 0 );
		expect( r.out ).toContain(
			'stock.xlsx (XLSX, sheet 1): 153 valid rows'
		);
		expectState( items );
		expect( writes() ).toBe( 5 );
	} );

	it( 'reads another sheet with --sheet and names the sheets when one is missing', async () => {
		const file = join( dir, 'sheets.xlsx' );
		await writeXlsx( file, makeItems( 2 ) );
		const r = await cli( [
			'--file',
			file,
			'--sheet',
			'Нема',
			'--dry-run',
			...WAREHOUSES,
		] );
		expect( r.code ).toBe( 2 );
		expect( r.err ).toContain( 'no sheet "Нема" (sheets: Залишки, Other)' );
	} );

	it( 'reads a workbook whose zip stores the worksheets before xl/workbook.xml', async () => {
		const file = join( dir, 'ordered.xlsx' );
		await writeXlsx( file, makeItems( 3 ) );
		// Re-zipped with Debian's zip in a chosen order: shared strings and sheets first, the
		// workbook part (the sheet names) last.
		const parts = join( dir, 'ordered-parts' );
		await mkdir( parts );
		execFileSync( 'unzip', [ '-q', file, '-d', parts ] );
		const names = execFileSync( 'unzip', [ '-Z1', file ], {
			encoding: 'utf8',
		} )
			.split( '\n' )
			.filter( Boolean );
		const first = [
			'[Content_Types].xml',
			'_rels/.rels',
			'xl/_rels/workbook.xml.rels',
			'xl/sharedStrings.xml',
			...names.filter( ( n ) => n.startsWith( 'xl/worksheets/sheet' ) ),
		];
		const order = [
			...first,
			...names.filter(
				( n ) => ! first.includes( n ) && n !== 'xl/workbook.xml'
			),
			'xl/workbook.xml',
		];
		const reordered = join( dir, 'reordered.xlsx' );
		execFileSync( 'zip', [ '-q', '-X', reordered, ...order ], {
			cwd: parts,
		} );
		expect(
			execFileSync( 'unzip', [ '-Z1', reordered ], { encoding: 'utf8' } )
				.split( '\n' )
				.filter( Boolean )
				.pop()
		).toBe( 'xl/workbook.xml' );

		const missing = await cli( [
			'--file',
			reordered,
			'--sheet',
			'Нема',
			'--dry-run',
			...WAREHOUSES,
		] );
		expect( missing.err ).toContain(
			'no sheet "Нема" (sheets: Залишки, Other)'
		);
		const r = await cli( [
			'--file',
			reordered,
			'--dry-run',
			...WAREHOUSES,
		] );
		expect( r.err ).toBe( '' );
		expect( r.code ).toBe( 0 );
		expect( r.out ).toContain(
			'reordered.xlsx (XLSX, sheet 1): 3 valid rows'
		);
	} );
} );

describe( 'push of a CommerceML 2 pair', () => {
	async function pair( name: string, items: FixtureItem[] ) {
		const folder = join( dir, name );
		await mkdir( folder, { recursive: true } );
		await writeFile(
			join( folder, 'import.xml' ),
			commerceMlImport( items )
		);
		await writeFile(
			join( folder, 'offers.xml' ),
			commerceMlOffers( items )
		);
		return folder;
	}

	it( 'given as a folder: creates with the group path as category, prices by price type, stock per <Склад>', async () => {
		const items = scenario();
		const folder = await pair( 'cml', items );
		const r = await cli( [
			'--file',
			folder,
			'--create',
			...WAREHOUSES,
			'--price-type',
			'Роздрібна',
			'--purchase-price-type',
			'Закупівельна',
		] );
		expect( r.err ).toBe( '' );
		expect( r.code ).toBe( 0 );
		expect( r.out ).toContain(
			'CommerceML: import.xml + offers.xml: 153 valid rows'
		);
		expectState( items );
		const store = env.emulator.store;
		const created = store.findBySku( items[ 100 ]!.sku )[ 0 ]!;
		const product = store.products.get( created.product_id )!;
		const category = store.categories.get( product.category_id ?? 0 );
		expect( category?.name ).toBe( 'Футболки' );
		expect( store.categories.get( category?.parent_id ?? 0 )?.name ).toBe(
			'Одяг'
		);
		expect( product.unit_type ).toBe( 'шт' );
		expect( created.purchased_price ).toBeCloseTo(
			items[ 100 ]!.price / 2,
			2
		);
		// The floor, plus the two category levels (one POST each, keyCRM has no bulk call).
		expect( routes() ).toMatchObject( {
			'POST /products/categories': 2,
			'POST /products/import': 2,
			'PUT /offers': 1,
			'PUT /offers/stocks': 2,
		} );
		// The three existing SKUs' units differ ("шт" vs none): one PUT /products/{id} each.
		expect( routes()[ 'PUT /products/{id}' ] ).toBe( 3 );
	} );

	it( 'given as two --file: asks for a price type when there are several', async () => {
		const items = makeItems( 3 );
		const folder = await pair( 'cml2', items );
		const r = await cli( [
			'--file',
			join( folder, 'import.xml' ),
			'--file',
			join( folder, 'offers.xml' ),
			'--dry-run',
			...WAREHOUSES,
		] );
		expect( r.code ).toBe( 2 );
		expect( r.err ).toContain( 'offers.xml:' );
		expect( r.err ).toContain(
			'several price types ("Роздрібна", "Закупівельна"): choose one with --price-type NAME'
		);
	} );
} );

describe( 'bad rows', () => {
	const bad = [
		'Залишки товарів на складах',
		'',
		'Артикул;Найменування;Ціна;Склад Київ;Склад Львів',
		'A-1;Один;10;1;2', // 4
		'A-2;Два;ціна;1;2', // 5 bad price
		'A-3;Три;10;-1;2', // 6 negative
		'A-1;Один ще раз;11;5;5', // 7 duplicate of line 4
		'A-4;Чотири;12;4;', // 8 good (blank Львів = 0)
		'',
	].join( '\n' );

	it( 'by default: every problem with its line, duplicates naming both lines, nothing sent', async () => {
		const file = join( dir, 'bad.csv' );
		await writeFile( file, bad );
		const r = await cli( [ '--file', file, '--create', ...WAREHOUSES ] );
		expect( r.code ).toBe( 2 );
		expect( r.err ).toContain(
			`${ file }:5: price "ціна" is not a number`
		);
		expect( r.err ).toContain(
			`${ file }:6: quantity in "Склад Київ" "-1" is negative`
		);
		expect( r.err ).toContain(
			`${ file }:7: duplicate SKU "A-1" (first on line 4)`
		);
		expect( r.err ).toContain( '3 error(s); nothing was sent.' );
		expect( env.emulator.stats().total ).toBe( 0 );
	} );

	it( '--skip-invalid: pushes the good rows, lists the skipped ones, exits 3', async () => {
		const file = join( dir, 'bad2.csv' );
		await writeFile( file, bad );
		const r = await cli( [
			'--file',
			file,
			'--create',
			'--skip-invalid',
			...WAREHOUSES,
		] );
		expect( r.code ).toBe( 3 );
		expect( r.err ).toContain(
			'Skipped 3 problem row(s) (--skip-invalid):'
		);
		expect( r.err ).toContain(
			`  ${ file }:7: duplicate SKU "A-1" (first on line 4)`
		);
		// Both rows of the duplicate SKU are skipped; A-4 is created.
		expect( env.emulator.store.findBySku( 'A-1' ) ).toHaveLength( 0 );
		const a4 = env.emulator.store.findBySku( 'A-4' )[ 0 ]!;
		expect( env.emulator.store.cell( a4.id, 1 ).quantity ).toBe( 4 );
		expect( env.emulator.store.cell( a4.id, 2 ).quantity ).toBe( 0 );
	} );

	it( 'names the missing column of a --warehouse mapping', async () => {
		const file = join( dir, 'cols.csv' );
		await writeFile( file, oneCReportText( makeItems( 1 ) ) );
		const r = await cli( [
			'--file',
			file,
			'--warehouse',
			'Склад Одеса=3',
		] );
		expect( r.code ).toBe( 2 );
		expect( r.err ).toContain(
			':4: --warehouse "Склад Одеса=3": no column "Склад Одеса" in the header'
		);
	} );
} );

describe( 'product data', () => {
	it( 'renames only products whose name changed, one request each; a variant gets a note', async () => {
		applySeed( env.emulator.store, {
			products: [
				{ name: 'Старе', sku: 'R-1', price: 5, stock: { 1: 1 } },
				{ name: 'Same', sku: 'R-2', price: 5, stock: { 1: 1 } },
				{
					name: 'Parent',
					offers: [ { sku: 'R-3', price: 5, stock: { 1: 1 } } ],
				},
			],
		} );
		const file = join( dir, 'names.csv' );
		await writeFile(
			file,
			'Артикул;Назва;Кількість\nR-1;Нове;1\nR-2;Same;1\nR-3;Other;1\n'
		);
		const r = await cli( [ '--file', file, '--warehouse', '1' ] );
		expect( r.code ).toBe( 0 );
		expect( r.out ).toContain( 'line 2: R-1  name "Старе" → "Нове"' );
		expect( r.out ).toContain(
			'line 4: name not changed: "R-3" is a variant of keyCRM product'
		);
		expect( routes()[ 'PUT /products/{id}' ] ).toBe( 1 );
		const r1 = env.emulator.store.findBySku( 'R-1' )[ 0 ]!;
		expect( env.emulator.store.products.get( r1.product_id )?.name ).toBe(
			'Нове'
		);
	} );

	it( 'refuses to create a new SKU without a name, and says so', async () => {
		const file = join( dir, 'noname.csv' );
		await writeFile( file, 'sku;quantity\nN-1;3\n' );
		const r = await cli( [
			'--file',
			file,
			'--create',
			'--warehouse',
			'1',
		] );
		expect( r.code ).toBe( 2 );
		expect( r.err ).toContain(
			':2: N-1 is not in keyCRM and the file gives no name to create it with'
		);
		expect( writes() ).toBe( 0 );
	} );
} );

describe( 'the push and keyCRM’s OpenAPI document', () => {
	it( 'sends only requests the official document accepts (create, categories, offers, products, stocks)', async () => {
		const spec = await loadKeyCrmSpec();
		const items = scenario();
		const folder = join( dir, 'contract' );
		await mkdir( folder, { recursive: true } );
		await writeFile(
			join( folder, 'import.xml' ),
			commerceMlImport( items )
		);
		await writeFile(
			join( folder, 'offers.xml' ),
			commerceMlOffers( items )
		);
		const sent: { method: string; path: string; body: unknown }[] = [];
		const recordingFetch: typeof globalThis.fetch = async (
			input,
			init
		) => {
			const request = new Request( input, init );
			const text =
				request.method === 'GET' ? '' : await request.clone().text();
			const url = new URL( request.url );
			sent.push( {
				method: request.method,
				path: `${ url.pathname }${ url.search }`,
				body: text ? ( JSON.parse( text ) as unknown ) : undefined,
			} );
			return globalThis.fetch( request );
		};
		const result = await pushFiles( [ folder ], {
			warehouses: [
				{ source: 'Склад Київ', id: 1 },
				{ source: 'Склад Львів', id: 2 },
			],
			priceType: 'Роздрібна',
			purchasePriceType: 'Закупівельна',
			create: true,
			dryRun: false,
			skipInvalid: false,
			listChanges: false,
			client: env.client( { fetch: recordingFetch } ),
			out: () => {},
			err: () => {},
		} );
		expect( result.code ).toBe( 0 );
		const problems = sent.flatMap( ( s ) => {
			const req = {
				method: s.method.toLowerCase(),
				path: s.path,
				headers: {
					'content-type': 'application/json',
					authorization: 'Bearer x',
				},
				body: s.body,
			};
			const op = spec.backend.router.matchOperation( req );
			const errors = spec.backend.validateRequest( req ).errors ?? [];
			return [
				...( op
					? []
					: [ `${ s.method } ${ s.path }: no such operation` ] ),
				...errors.map(
					( e ) =>
						`${ s.method } ${ s.path } ${ e.instancePath } ${ e.message ?? '' }`
				),
			];
		} );
		expect( problems ).toEqual( [] );
		expect(
			new Set(
				sent.map(
					( s ) =>
						`${ s.method } ${ s.path.replace( /\?.*$/, '' ).replace( /\/\d+$/, '/{id}' ) }`
				)
			)
		).toEqual(
			new Set( [
				'GET /v1/offers/stocks',
				'GET /v1/offers',
				'GET /v1/products/categories',
				'POST /v1/products/categories',
				'POST /v1/products/import',
				'PUT /v1/offers',
				'PUT /v1/products/{id}',
				'PUT /v1/offers/stocks',
			] )
		);
	} );
} );

describe( 'creating after an unknown outcome', () => {
	it( 'looks the batch up and sends only what is missing: no duplicates', async () => {
		const items = makeItems( 3 );
		const file = join( dir, 'outcome.csv' );
		await writeFile( file, oneCReportText( items ) );
		let lost = 0;
		// keyCRM does the import, then the answer is lost (a 500 after the work).
		const losingFetch: typeof globalThis.fetch = async ( input, init ) => {
			const request = new Request( input, init );
			const response = await globalThis.fetch( request );
			if ( request.url.endsWith( '/products/import' ) && lost++ === 0 ) {
				return new Response( '{"message":"Server Error"}', {
					status: 500,
					headers: { 'Content-Type': 'application/json' },
				} );
			}
			return response;
		};
		const result = await pushFiles( [ file ], {
			warehouses: [
				{ source: 'Склад Київ', id: 1 },
				{ source: 'Склад Львів', id: 2 },
			],
			create: true,
			dryRun: false,
			skipInvalid: false,
			listChanges: false,
			client: env.client( { fetch: losingFetch } ),
			out: () => {},
			err: () => {},
		} );
		expect( result.code ).toBe( 0 );
		expect( routes()[ 'POST /products/import' ] ).toBe( 1 );
		expect( env.emulator.stats().counters.duplicateSkusCreated ).toBe( 0 );
		expectState( items );
	} );
} );

describe( 'overrides', () => {
	it( '--header-row finds a header the search does not reach; --format and --delimiter override guesses', async () => {
		applySeed( env.emulator.store, {
			products: [ { name: 'x', sku: 'H-1', price: 1 } ],
		} );
		const notes = Array.from(
			{ length: 35 },
			( _, i ) => `Примітка ${ i }`
		);
		const file = join( dir, 'late-header.txt' );
		await writeFile(
			file,
			[ ...notes, 'Артикул|Кількість', 'H-1|4', '' ].join( '\n' )
		);
		let r = await cli( [
			'--file',
			file,
			'--warehouse',
			'1',
			'--delimiter',
			'|',
		] );
		expect( r.code ).toBe( 2 );
		expect( r.err ).toContain(
			':1: no header row with a SKU column (Артикул, SKU) in the first 30 rows; give its line with --header-row N'
		);
		r = await cli( [
			'--file',
			file,
			'--warehouse',
			'1',
			'--delimiter',
			'|',
			'--header-row',
			'36',
			'--format',
			'csv',
		] );
		expect( r.err ).toBe( '' );
		expect( r.out ).toContain( 'line 37: H-1  stock 0 → 4' );
	} );
} );

describe( 'push --help and arguments', () => {
	it( 'says that --watch shares the key’s budget with a running sender, and refuses --file with --watch', async () => {
		const help = await cli( [ '--help' ] );
		expect( help.code ).toBe( 0 );
		expect( help.out ).toContain(
			'keyCRM allows 60 requests a minute per API key, shared by'
		);
		expect( help.out ).toContain(
			'--watch therefore defaults to 10 a minute'
		);
		const both = await cli( [
			'--file',
			'x.csv',
			'--watch',
			dir,
			'--warehouse',
			'1',
		] );
		expect( both.code ).toBe( 2 );
		expect( both.err ).toContain( '--file and --watch cannot be combined' );
		const badWarehouse = await cli( [
			'--file',
			'x.csv',
			'--warehouse',
			'Київ',
		] );
		expect( badWarehouse.err ).toContain(
			'--warehouse expects ID or "NAME=ID" with a positive integer ID'
		);
	} );
} );
