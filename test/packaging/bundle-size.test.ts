/** @jest-environment node */
/*
 * Size budgets of the two shipped bundles: the admin app (plugin/build/admin.js, wp-scripts)
 * and the one-file sender (dist/keycrm-sync.mjs, `npm run bundle`). Both are built here into a
 * temporary folder; the sizes are printed whether or not they pass.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ROOT, run } from './env';

const budget = require( '../../scripts/size-budget.cjs' ) as {
	ADMIN_BUDGET: number;
	SENDER_BUDGET: number;
	sizeLine: ( name: string, bytes: Buffer, limit: number ) => string;
};

describe( 'bundle sizes', () => {
	let dir: string;
	let admin: Buffer;
	let sender: Buffer;

	beforeAll( () => {
		dir = mkdtempSync( join( tmpdir(), 'keycrm-sizes-' ) );
		const built = run(
			process.execPath,
			[
				join(
					ROOT,
					'node_modules/@wordpress/scripts/bin/wp-scripts.js'
				),
				'build',
				`--output-path=${ join( dir, 'admin' ) }`,
			],
			240_000,
			{ NODE_ENV: 'production' }
		);
		if ( built.status !== 0 ) {
			throw new Error( `admin build failed: ${ built.stderr }` );
		}
		admin = readFileSync( join( dir, 'admin', 'admin.js' ) );
		const bundled = run(
			process.execPath,
			[
				'--import',
				'tsx',
				'scripts/bundle-sender.ts',
				'--out',
				join( dir, 'keycrm-sync.mjs' ),
			],
			120_000
		);
		if ( bundled.status !== 0 ) {
			throw new Error( `bundle failed: ${ bundled.stderr }` );
		}
		sender = readFileSync( join( dir, 'keycrm-sync.mjs' ) );
		process.stdout.write(
			[
				budget.sizeLine(
					'plugin/build/admin.js',
					admin,
					budget.ADMIN_BUDGET
				),
				budget.sizeLine(
					'dist/keycrm-sync.mjs',
					sender,
					budget.SENDER_BUDGET
				),
				'',
			].join( '\n' )
		);
	}, 300_000 );

	afterAll( () => rmSync( dir, { recursive: true, force: true } ) );

	test( 'the admin app stays within its budget', () => {
		expect( admin.length ).toBeLessThanOrEqual( budget.ADMIN_BUDGET );
	} );

	test( 'the one-file sender stays within its budget, without the emulator or msw', () => {
		expect( sender.length ).toBeLessThanOrEqual( budget.SENDER_BUDGET );
		const text = sender.toString( 'utf8' );
		expect( text ).not.toContain( 'KeyCrmEmulator' );
		expect( text ).not.toContain( '/__emulator/' );
		expect( text ).not.toMatch( /from ['"]msw['"]/ );
	} );
} );
