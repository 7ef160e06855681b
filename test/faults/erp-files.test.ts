/** @jest-environment node */
/**
 * `keycrm-sync push` fed the files a broken ERP or a wrong click produces:
 * wrong encodings, binary data, a zip that is no workbook, XML entity bombs,
 * empty files, 100 MB files. Each is refused with a clear message (exit 2,
 * nothing sent to keyCRM) or read right; the 100 MB files in a child process
 * with a 160 MB heap, so holding the file whole would fail the test.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, writeSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { deflateRawSync } from 'node:zlib';

import { applySeed } from '../../src/emulator/seed';
import { runCli } from '../../src/cli/main';
import {
	KEYCRM_TEST_KEY,
	KEYCRM_TEST_URL,
	useKeyCrmEmulator,
} from '../helpers/keycrm';
import { record } from './figures';

const env = useKeyCrmEmulator( { warehouses: [ 1 ] } );
const BOUNDARY = 'ERP file (push)';

let dir: string;
beforeAll( async () => {
	dir = await mkdtemp( join( tmpdir(), 'kcs-faults-erp-' ) );
} );
afterAll( async () => {
	await rm( dir, { recursive: true, force: true } );
} );

async function push( files: string[], extra: string[] = [] ) {
	let out = '';
	const sink = new Writable( {
		write( chunk, _enc, cb ) {
			out += String( chunk );
			cb();
		},
	} );
	const args = files.flatMap( ( f ) => [ '--file', f ] );
	const code = await runCli(
		[
			'push',
			...args,
			'--warehouse',
			'1',
			'--rate-per-minute',
			'600',
			...extra,
		],
		{
			stdout: sink,
			stderr: sink,
			signal: new AbortController().signal,
			env: {
				KEYCRM_API_KEY: KEYCRM_TEST_KEY,
				KEYCRM_API_URL: KEYCRM_TEST_URL,
			},
		}
	);
	return { code, out };
}

const writes = () => {
	const by = env.emulator.stats().byRoute;
	return Object.entries( by )
		.filter( ( [ route ] ) => ! route.startsWith( 'GET' ) )
		.reduce( ( n, [ , c ] ) => n + c, 0 );
};

const stockOf = ( sku: string ) => {
	const offer = env.emulator.store.findBySku( sku )[ 0 ];
	return offer ? env.emulator.store.cell( offer.id, 1 ).quantity : undefined;
};

const nameOf = ( sku: string ) => {
	const offer = env.emulator.store.findBySku( sku )[ 0 ];
	return offer
		? env.emulator.store.products.get( offer.product_id )?.name
		: undefined;
};

/**
 * Windows-1251 bytes of Cyrillic text (the letters used below only).
 * @param text Text.
 */
function cp1251( text: string ): Buffer {
	return Buffer.from(
		[ ...text ].map( ( ch ) => {
			const code = ch.codePointAt( 0 ) as number;
			if ( code >= 0x410 && code <= 0x44f ) {
				return code - 0x410 + 0xc0;
			}
			if ( code === 0x456 ) {
				return 0xb3; // і
			}
			return code;
		} )
	);
}

/**
 * A zip with one stored entry (no workbook inside).
 * @param name Entry name.
 * @param data Entry bytes.
 */
function zipOf( name: string, data: Buffer ): Buffer {
	const deflated = deflateRawSync( data );
	const nameBytes = Buffer.from( name );
	const local = Buffer.alloc( 30 );
	local.writeUInt32LE( 0x04034b50, 0 );
	local.writeUInt16LE( 20, 4 );
	local.writeUInt16LE( 8, 8 );
	local.writeUInt32LE( 0, 14 ); // CRC left 0: a reader must still refuse it clearly.
	local.writeUInt32LE( deflated.length, 18 );
	local.writeUInt32LE( data.length, 22 );
	local.writeUInt16LE( nameBytes.length, 26 );
	const central = Buffer.alloc( 46 );
	central.writeUInt32LE( 0x02014b50, 0 );
	central.writeUInt16LE( 20, 4 );
	central.writeUInt16LE( 20, 6 );
	central.writeUInt16LE( 8, 10 );
	central.writeUInt32LE( deflated.length, 20 );
	central.writeUInt32LE( data.length, 24 );
	central.writeUInt16LE( nameBytes.length, 28 );
	const end = Buffer.alloc( 22 );
	end.writeUInt32LE( 0x06054b50, 0 );
	end.writeUInt16LE( 1, 8 );
	end.writeUInt16LE( 1, 10 );
	end.writeUInt32LE( 46 + nameBytes.length, 12 );
	end.writeUInt32LE( 30 + nameBytes.length + deflated.length, 16 );
	return Buffer.concat( [
		local,
		nameBytes,
		deflated,
		central,
		nameBytes,
		end,
	] );
}

/** The start of a real PNG (signature and header chunk), then pixel-like bytes. */
const PNG = Buffer.concat( [
	Buffer.from( '89504e470d0a1a0a0000000d49484452', 'hex' ),
	Buffer.from( '000000100000001008060000001ff3ff61', 'hex' ),
	Buffer.alloc( 2000, 0x9c ),
] );

/**
 * A billion-laughs document: 10 levels of 10 references each.
 * @param root Root element.
 */
function billionLaughs( root: string ): string {
	const entities = [ '<!ENTITY lol0 "lol">' ];
	for ( let i = 1; i <= 9; i++ ) {
		entities.push(
			`<!ENTITY lol${ i } "${ `&lol${ i - 1 };`.repeat( 10 ) }">`
		);
	}
	return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE ${ root } [${ entities.join( '' ) }]>
<${ root } ВерсияСхемы="2.05"><Каталог><Ид>1</Ид><Товары><Товар><Ид>g1</Ид><Артикул>&lol9;</Артикул><Наименование>&lol9;</Наименование></Товар></Товары></Каталог></${ root }>`;
}

interface Refused {
	input: string;
	name: string;
	bytes: Buffer | string;
	/** The clear message expected. */
	message: RegExp;
	extra?: string[];
}

const refused: Refused[] = [
	{
		input: 'declared UTF-8, written in Windows-1251',
		name: 'declared-utf8.csv',
		bytes: Buffer.concat( [
			Buffer.from( 'SKU;Name;Quantity\n' ),
			Buffer.from( 'F-1;' ),
			cp1251( 'Футболка біла' ),
			Buffer.from( ';5\n' ),
		] ),
		extra: [ '--encoding', 'utf-8' ],
		message: /not valid utf-8 text.*--encoding windows-1251/,
	},
	{
		input: 'invalid UTF-8 after 64 KiB of plain ASCII (guessed UTF-8)',
		name: 'late-invalid.csv',
		bytes: Buffer.concat( [
			Buffer.from( 'SKU;Name;Quantity\n' ),
			Buffer.from(
				Array.from(
					{ length: 4000 },
					( _, i ) => `F-${ i };Plain name;1\n`
				).join( '' )
			),
			Buffer.from( 'F-X;' ),
			cp1251( 'Футболка' ),
			Buffer.from( ';1\n' ),
		] ),
		message: /not valid utf-8 text/,
	},
	{
		input: 'UTF-16 cut inside a character',
		name: 'odd-utf16.csv',
		bytes: Buffer.concat( [
			Buffer.from( '\ufeffSKU;Quantity\nF-1;5\n', 'utf16le' ),
			Buffer.from( [ 0x41 ] ),
		] ),
		message: /not valid utf-16le text/,
	},
	{
		input: 'a PNG named .csv',
		name: 'picture.csv',
		bytes: PNG,
		message: /no header row with a SKU column/,
	},
	{
		input: 'a PNG named .xlsx',
		name: 'picture.xlsx',
		bytes: PNG,
		message: /cannot read .*picture\.xlsx/,
	},
	{
		input: 'a zip that is not an XLSX',
		name: 'archive.xlsx',
		bytes: zipOf( 'readme.txt', Buffer.from( 'hello' ) ),
		message: /not an XLSX workbook/,
	},
	{
		input: 'an empty file',
		name: 'empty.csv',
		bytes: '',
		message: /no header row with a SKU column/,
	},
	{
		input: 'an empty JSON list',
		name: 'empty.json',
		bytes: '[]',
		message: /the file has no rows/,
	},
	{
		input: 'a file of blank lines',
		name: 'blank.csv',
		bytes: '\n\r\n   \n;;;\n',
		message: /no header row with a SKU column/,
	},
	{
		input: 'JSON that is not JSON',
		name: 'broken.json',
		bytes: '[{"sku":"F-1","quantity":',
		message: /JSON/,
	},
];

describe( 'bad ERP files are refused with a clear message and send nothing', () => {
	it.each( refused )( '$input', async ( c ) => {
		const file = join( dir, c.name );
		await writeFile( file, c.bytes );
		const r = await push( [ file ], c.extra );
		expect( r.out ).toMatch( c.message );
		expect( r.code ).toBe( 2 );
		expect( writes() ).toBe( 0 );
		record( {
			boundary: BOUNDARY,
			input: c.input,
			answer: 'error',
			lost: 0,
		} );
	} );

	it( 'an entity bomb in import.xml or offers.xml is not expanded', async () => {
		const bombDir = join( dir, 'bomb' );
		const fs = await import( 'node:fs/promises' );
		await fs.mkdir( bombDir );
		await writeFile(
			join( bombDir, 'import.xml' ),
			billionLaughs( 'КоммерческаяИнформация' )
		);
		await writeFile(
			join( bombDir, 'offers.xml' ),
			billionLaughs( 'КоммерческаяИнформация' )
		);
		const before = process.memoryUsage().heapUsed;
		const r = await push( [ bombDir ] );
		expect( r.out ).toMatch( /undefined entity/ );
		expect( r.code ).toBe( 2 );
		expect( writes() ).toBe( 0 );
		// 10⁹ "lol"s would be gigabytes; nothing near that was allocated.
		expect( process.memoryUsage().heapUsed - before ).toBeLessThan(
			64 * 1024 * 1024
		);
		record( {
			boundary: BOUNDARY,
			input: 'billion laughs (XML entity expansion) in CommerceML',
			answer: 'error',
			lost: 0,
		} );
	} );
} );

describe( 'awkward but valid encodings are read right', () => {
	it.each( [
		{
			input: 'Windows-1251 without --encoding',
			bytes: Buffer.concat( [
				Buffer.from( 'SKU;Name;Quantity\nF-1;' ),
				cp1251( 'Футболка біла' ),
				Buffer.from( ';5\nF-2;' ),
				cp1251( 'Сорочка' ),
				Buffer.from( ';6\n' ),
			] ),
		},
		{
			input: 'UTF-16LE without BOM',
			bytes: Buffer.from(
				'SKU;Name;Quantity\nF-1;Футболка біла;5\nF-2;Сорочка;6\n',
				'utf16le'
			),
		},
		{
			input: 'UTF-16BE without BOM',
			bytes: Buffer.from(
				'SKU;Name;Quantity\nF-1;Футболка біла;5\nF-2;Сорочка;6\n',
				'utf16le'
			).swap16(),
		},
	] )( '$input', async ( c ) => {
		applySeed( env.emulator.store, {
			products: [
				{ name: 'old', sku: 'F-1', price: 1, stock: { 1: 0 } },
				{ name: 'old', sku: 'F-2', price: 1, stock: { 1: 0 } },
			],
		} );
		const file = join( dir, 'enc.csv' );
		await writeFile( file, c.bytes );
		const r = await push( [ file ] );
		expect( r.code ).toBe( 0 );
		expect( stockOf( 'F-1' ) ).toBe( 5 );
		expect( stockOf( 'F-2' ) ).toBe( 6 );
		expect( nameOf( 'F-1' ) ).toBe( 'Футболка біла' );
		record( {
			boundary: BOUNDARY,
			input: c.input,
			answer: 'accepted',
			lost: 0,
			items: 2,
		} );
	} );
} );

describe( '100 MB files finish quickly, refused, in bounded memory', () => {
	const MB = 1024 * 1024;
	// One MiB of seeded noise (no line breaks to speak of, NULs and high bytes alike).
	const noise = Buffer.alloc( MB );
	let seed = 20261206;
	for ( let j = 0; j < MB; j++ ) {
		seed = ( seed * 1103515245 + 12345 ) % 2147483648;
		noise[ j ] = Math.floor( seed / 8388608 );
	}
	/**
	 * Writes `mb` MiB made by `block` (called per MiB).
	 *
	 * @param name  File name.
	 * @param mb    Size in MiB.
	 * @param block The bytes of MiB number i.
	 */
	function bigFile(
		name: string,
		mb: number,
		block: ( i: number ) => Buffer
	) {
		const path = join( dir, name );
		const fd = openSync( path, 'w' );
		try {
			for ( let i = 0; i < mb; i++ ) {
				writeSync( fd, block( i ) );
			}
		} finally {
			closeSync( fd );
		}
		return path;
	}
	/**
	 * The CLI in a child process whose heap is capped (holding the file would crash it).
	 *
	 * @param file File.
	 */
	function pushCapped( file: string ) {
		const root = resolve( __dirname, '../..' );
		const r = spawnSync(
			process.execPath,
			[
				'--max-old-space-size=160',
				'--import',
				'tsx',
				join( root, 'src/cli.ts' ),
				'push',
				'--file',
				file,
				'--warehouse',
				'1',
				'--dry-run',
			],
			{
				cwd: root,
				encoding: 'utf8',
				timeout: 120_000,
				env: {
					...process.env,
					KEYCRM_API_KEY: 'x',
					// Never reached: the file is refused before keyCRM is read.
					KEYCRM_API_URL: 'http://127.0.0.1:9/v1',
				},
			}
		);
		return { code: r.status, out: r.stdout + r.stderr };
	}

	it.each( [
		{
			input: '100 MB CSV without line breaks',
			name: 'one-line.csv',
			block: ( i: number ) =>
				i === 0
					? Buffer.concat( [
							Buffer.from( 'SKU;Quantity\n' ),
							Buffer.alloc( MB - 13, 0x41 ),
						] )
					: Buffer.alloc( MB, 0x41 ),
			message:
				/line 2 is longer than 1048576 characters: not a CSV export/,
		},
		{
			input: '100 MB of binary data named .csv',
			name: 'binary.csv',
			block: ( i: number ) => {
				noise[ 0 ] = i; // Each MiB a little different.
				return noise;
			},
			message: /more than 1000 malformed lines .*: not a CSV export/,
		},
		{
			input: '100 MB JSON export',
			name: 'big.json',
			block: ( i: number ) =>
				Buffer.from(
					( i === 0 ? '[' : ',' ) +
						Array.from(
							{ length: 20000 },
							( _, j ) =>
								`{"sku":"S-${ i }-${ j }","quantity":${ j % 9 }}`
						)
							.join( ',' )
							.padEnd( MB - 2, ' ' )
				),
			message:
				/JSON export is read whole and may be at most 33554432 bytes/,
		},
	] )(
		'$input',
		( c ) => {
			const file = bigFile( c.name, 100, c.block );
			const r = pushCapped( file );
			expect( r.out ).toMatch( c.message );
			expect( r.code ).toBe( 2 );
			record( {
				boundary: BOUNDARY,
				input: c.input,
				answer: 'error',
				lost: 0,
			} );
		},
		180_000
	);
} );
