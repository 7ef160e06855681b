/** @jest-environment node */
/*
 * `npm run bundle`: the sender as one file that runs with Node alone (copied into an empty
 * folder, no node_modules), and the example systemd unit and Dockerfile that run it.
 */
import {
	copyFileSync,
	mkdtempSync,
	readFileSync,
	rmSync,
	writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describeOrSkip } from '../helpers/skip';
import { hasCommand, ROOT, run } from './env';

describe( 'one-file sender', () => {
	let dir: string;
	let bundle: string;

	beforeAll( () => {
		const work = mkdtempSync( join( tmpdir(), 'keycrm-bundle-' ) );
		const built = run(
			process.execPath,
			[
				'--import',
				'tsx',
				'scripts/bundle-sender.ts',
				'--out',
				join( work, 'build', 'keycrm-sync.mjs' ),
			],
			120_000
		);
		if ( built.status !== 0 ) {
			throw new Error( `bundle failed: ${ built.stderr }` );
		}
		// An empty folder outside the repository: nothing to resolve packages from.
		dir = join( work, 'alone' );
		run( 'mkdir', [ '-p', dir ], 5000 );
		bundle = join( dir, 'keycrm-sync.mjs' );
		copyFileSync( join( work, 'build', 'keycrm-sync.mjs' ), bundle );
	}, 150_000 );

	afterAll( () =>
		rmSync( join( dir, '..' ), { recursive: true, force: true } )
	);

	test( 'is a single ES module with a node shebang', () => {
		const text = readFileSync( bundle, 'utf8' );
		expect( text.startsWith( '#!/usr/bin/env node\n' ) ).toBe( true );
		expect( text ).not.toMatch( /from ['"](ky|zod)['"]/ );
	} );

	test( 'lists its commands and the worker options with Node alone', () => {
		const help = run( process.execPath, [ bundle, '--help' ], 30_000 );
		expect( help.status ).toBe( 0 );
		for ( const command of [ 'doctor', 'worker', 'push', 'sync' ] ) {
			expect( help.stdout ).toContain( command );
		}
		expect( help.stdout ).not.toContain( 'emulator' );
		const worker = run(
			process.execPath,
			[ bundle, 'worker', '--help' ],
			30_000
		);
		expect( worker.status ).toBe( 0 );
		expect( worker.stdout ).toContain( '--app-password' );
	} );

	test( 'refuses a worker without a site, in plain words', () => {
		const worker = run( process.execPath, [ bundle, 'worker' ], 30_000, {
			KEYCRM_SYNC_SITE: '',
			KEYCRM_SYNC_USER: '',
			KEYCRM_SYNC_APP_PASSWORD: '',
		} );
		expect( worker.status ).toBe( 2 );
		expect( worker.stderr ).toContain( '--site (KEYCRM_SYNC_SITE)' );
	} );

	test( 'carries no emulator: the command is unknown there', () => {
		const emulator = run(
			process.execPath,
			[ bundle, 'emulator', '--port', '0' ],
			30_000
		);
		expect( emulator.status ).toBe( 2 );
		expect( emulator.stderr ).toContain( 'unknown command "emulator"' );
	} );
} );

describe( 'packaging examples', () => {
	test( 'the Dockerfile copies the bundle that `npm run bundle` writes and runs the worker', () => {
		const docker = readFileSync(
			join( ROOT, 'packaging', 'Dockerfile' ),
			'utf8'
		);
		const pkg = readFileSync( join( ROOT, 'package.json' ), 'utf8' );
		expect( pkg ).toContain( 'scripts/bundle-sender.ts' );
		expect( docker ).toMatch( /^COPY dist\/keycrm-sync\.mjs /m );
		expect( docker ).toMatch(
			/^ENTRYPOINT \["node", "\/app\/keycrm-sync\.mjs"\]$/m
		);
		expect( docker ).toMatch( /^CMD \["worker"\]$/m );
		expect( docker ).toMatch( /^USER node$/m );
	} );

	test( 'the environment example names exactly the variables the worker reads', () => {
		const example = readFileSync(
			join( ROOT, 'packaging', 'keycrm-sync.env.example' ),
			'utf8'
		);
		const names = [ ...example.matchAll( /^#?([A-Z_]+)=/gm ) ]
			.map( ( m ) => m[ 1 ] )
			.sort();
		expect( names ).toEqual( [
			'KEYCRM_API_KEY',
			'KEYCRM_API_URL',
			'KEYCRM_SYNC_APP_PASSWORD',
			'KEYCRM_SYNC_SITE',
			'KEYCRM_SYNC_USER',
		] );
		const config = readFileSync(
			join( ROOT, 'src', 'config', 'worker-config.ts' ),
			'utf8'
		);
		for ( const name of names ) {
			expect( config ).toContain( `env.${ name }` );
		}
	} );

	describeOrSkip(
		'systemd unit check',
		hasCommand( 'systemd-analyze' )
			? null
			: 'not installed: systemd-analyze (Debian: apt-get install systemd)'
	)( 'systemd', () => {
		test( 'the unit passes systemd-analyze verify', () => {
			const dir = mkdtempSync( join( tmpdir(), 'keycrm-unit-' ) );
			try {
				const unit = join( dir, 'keycrm-sync.service' );
				writeFileSync(
					unit,
					readFileSync(
						join( ROOT, 'packaging', 'keycrm-sync.service' )
					)
				);
				const verified = run(
					'systemd-analyze',
					[ 'verify', unit ],
					30_000
				);
				expect(
					`${ verified.stdout }${ verified.stderr }`.trim()
				).toBe( '' );
				expect( verified.status ).toBe( 0 );
			} finally {
				rmSync( dir, { recursive: true, force: true } );
			}
		} );
	} );
} );
