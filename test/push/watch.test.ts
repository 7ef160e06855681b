/** @jest-environment node */
/*
 * `push --watch DIR`: each export is pushed once it is fully written, then
 * filed under done/ or failed/ with its report; the watcher keeps running.
 */
import {
	appendFile,
	mkdtemp,
	readdir,
	readFile,
	rm,
	writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { applySeed } from '../../src/emulator/seed';
import { pushFiles } from '../../src/push/push-files';
import { watchFolder } from '../../src/push/watch';
import { useKeyCrmEmulator } from '../helpers/keycrm';
import { commerceMlImport, commerceMlOffers, makeItems } from './erp-fixtures';

const env = useKeyCrmEmulator( {
	warehouses: [
		{ id: 1, name: 'Склад Київ' },
		{ id: 2, name: 'Склад Львів' },
	],
} );

let dir: string;
beforeEach( async () => {
	dir = await mkdtemp( join( tmpdir(), 'kcs-watch-' ) );
} );
afterEach( async () => {
	await rm( dir, { recursive: true, force: true } );
} );

describe( 'push --watch', () => {
	it( 'pushes each export once it stops growing, files it with a report, and keeps watching', async () => {
		applySeed( env.emulator.store, {
			products: [
				{ name: 'A', sku: 'A-1', price: 1, stock: { 1: 0 } },
				{ name: 'B', sku: 'B-2', price: 1, stock: { 1: 0 } },
			],
		} );
		const client = env.client();
		const controller = new AbortController();
		const pushed: string[][] = [];
		let polls = 0;
		const lines: string[] = [];
		// Poll by poll: what the ERP does between two looks at the folder.
		const script: ( () => Promise< void > )[] = [
			// 1: a report starts being written.
			() =>
				writeFile( join( dir, 'stock.csv' ), 'sku;quantity\nA-1;5\n' ),
			// 2: it is still growing (not pushed yet); a broken one and a partial download appear.
			async () => {
				expect( pushed ).toEqual( [] );
				await appendFile( join( dir, 'stock.csv' ), 'B-2;6\n' );
				await writeFile(
					join( dir, 'bad.csv' ),
					'sku;quantity\nC-3;-1\n'
				);
				await writeFile(
					join( dir, 'next.csv.part' ),
					'sku;quantity\n'
				);
			},
			// 3: stock.csv grew since poll 2 and bad.csv is new: both wait one more poll.
			async () => {},
			// 4: a CommerceML pair arrives.
			async () => {
				const items = makeItems( 2 );
				await writeFile(
					join( dir, 'import0_1.xml' ),
					commerceMlImport( items )
				);
				await writeFile(
					join( dir, 'offers0_1.xml' ),
					commerceMlOffers( items )
				);
			},
			async () => {},
			async () => {},
			async () => {
				controller.abort();
			},
		];
		await watchFolder( {
			dir,
			pollMs: 5000,
			clock: env.clock,
			signal: controller.signal,
			print: ( l ) => lines.push( l ),
			push: async ( files, log ) => {
				pushed.push( files.map( ( f ) => f.slice( dir.length + 1 ) ) );
				return (
					await pushFiles( files, {
						warehouses:
							files.length === 2
								? [
										{ source: 'Склад Київ', id: 1 },
										{ source: 'Склад Львів', id: 2 },
									]
								: [ { source: null, id: 1 } ],
						priceType: 'Роздрібна',
						create: true,
						dryRun: false,
						skipInvalid: false,
						listChanges: true,
						client,
						out: log,
						err: log,
					} )
				).code;
			},
			onPoll: async () => {
				await script[ polls++ ]?.();
			},
		} );
		expect( pushed ).toEqual( [
			[ 'bad.csv' ],
			[ 'stock.csv' ],
			[ 'import0_1.xml', 'offers0_1.xml' ],
		] );
		expect( ( await readdir( join( dir, 'done' ) ) ).sort() ).toEqual( [
			'import0_1.xml',
			'import0_1.xml.report.txt',
			'offers0_1.xml',
			'stock.csv',
			'stock.csv.report.txt',
		] );
		expect( ( await readdir( join( dir, 'failed' ) ) ).sort() ).toEqual( [
			'bad.csv',
			'bad.csv.report.txt',
		] );
		expect( await readdir( dir ) ).toContain( 'next.csv.part' );
		const badReport = await readFile(
			join( dir, 'failed', 'bad.csv.report.txt' ),
			'utf8'
		);
		expect( badReport ).toContain( 'bad.csv:2: quantity "-1" is negative' );
		expect( badReport ).toContain(
			'exit 2: invalid file: nothing was sent'
		);
		const stockReport = await readFile(
			join( dir, 'done', 'stock.csv.report.txt' ),
			'utf8'
		);
		expect( stockReport ).toContain( 'line 3: B-2  stock 0 → 6' );
		expect( env.emulator.store.cell( 1, 1 ).quantity ).toBe( 5 );
		const cml = await readFile(
			join( dir, 'done', 'import0_1.xml.report.txt' ),
			'utf8'
		);
		expect( cml ).toContain( 'exit 0: done' );
		expect( env.emulator.store.findBySku( 'A-00001' ) ).toHaveLength( 1 );
		expect( lines.slice( -2 ) ).toEqual( [
			'import0_1.xml + offers0_1.xml → done/ (exit 0: done)',
			`Stopped watching ${ dir }.`,
		] );
	} );
} );
