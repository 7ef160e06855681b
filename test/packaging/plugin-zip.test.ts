/** @jest-environment node */
/*
 * `npm run plugin-zip`: the zip holds the plugin with its built admin assets under one
 * `keycrm-sync/` folder, and no development files.
 */
import {
	mkdirSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	rmSync,
	writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';

import { describeOrSkip } from '../helpers/skip';
import {
	ensureAdminBuild,
	hasCommand,
	makeZip,
	ROOT,
	run,
	zipEntries,
} from './env';

const PLUGIN = join( ROOT, 'plugin' );

/** Development files that must never ship (relative to the zip's top folder). */
const DEV_FILE =
	/(^|\/)(\.[^/]+|node_modules|tests?|vendor)(\/|$)|^composer\.(json|lock)$|^(phpcs|phpstan|phpunit)[^/]*$|\.(map|ts|tsx|log)$/;

function walk( dir: string ): string[] {
	return readdirSync( dir, { withFileTypes: true } ).flatMap( ( e ) => {
		const full = join( dir, e.name );
		if ( e.isDirectory() ) {
			return walk( full );
		}
		return e.isFile()
			? [ relative( PLUGIN, full ).split( sep ).join( '/' ) ]
			: [];
	} );
}

function readmeHeader( readme: string, name: string ): string | undefined {
	return new RegExp( `^${ name }:\\s*(.+)$`, 'm' )
		.exec( readme )?.[ 1 ]
		?.trim();
}

describe( 'plugin zip of this repository', () => {
	let out: string;
	let zip: string;
	let entries: string[];

	beforeAll( () => {
		ensureAdminBuild();
		out = mkdtempSync( join( tmpdir(), 'keycrm-zip-' ) );
		const made = makeZip( out );
		if ( made.status !== 0 ) {
			throw new Error( `plugin-zip failed: ${ made.stderr }` );
		}
		zip = made.stdout.trim();
		entries = zipEntries( zip );
	}, 660_000 );

	afterAll( () => rmSync( out, { recursive: true, force: true } ) );

	test( 'is named after the plugin version and has one top folder keycrm-sync/', () => {
		const header = readFileSync(
			join( PLUGIN, 'keycrm-sync.php' ),
			'utf8'
		);
		const version = /^\s*\*\s*Version:\s*(\S+)/m.exec( header )?.[ 1 ];
		expect( zip ).toBe( join( out, `keycrm-sync-${ version }.zip` ) );
		expect(
			entries.filter( ( e ) => ! e.startsWith( 'keycrm-sync/' ) )
		).toEqual( [] );
	} );

	test( 'ships the main file, readme, uninstall, every class and the built admin assets', () => {
		const files = entries.map( ( e ) => e.slice( 'keycrm-sync/'.length ) );
		for ( const required of [
			'keycrm-sync.php',
			'readme.txt',
			'uninstall.php',
			'build/admin.js',
			'build/admin.asset.php',
		] ) {
			expect( files ).toContain( required );
		}
		const classes = walk( join( PLUGIN, 'includes' ) ).filter( ( f ) =>
			f.endsWith( '.php' )
		);
		expect( classes.length ).toBeGreaterThan( 5 );
		expect( classes.filter( ( c ) => ! files.includes( c ) ) ).toEqual(
			[]
		);
	} );

	test( 'ships no development files', () => {
		const files = entries.map( ( e ) => e.slice( 'keycrm-sync/'.length ) );
		expect( files.filter( ( f ) => DEV_FILE.test( f ) ) ).toEqual( [] );
	} );

	test( 'readme.txt is a valid WordPress.org readme matching the plugin header', () => {
		const readme = readFileSync( join( PLUGIN, 'readme.txt' ), 'utf8' );
		const header = readFileSync(
			join( PLUGIN, 'keycrm-sync.php' ),
			'utf8'
		);
		expect( readme ).toMatch( /^=== keyCRM Sync for WooCommerce ===\n/ );
		const pluginHeader = ( name: string ) =>
			new RegExp( `^\\s*\\*\\s*${ name }:\\s*(.+)$`, 'm' )
				.exec( header )?.[ 1 ]
				?.trim();
		expect( readmeHeader( readme, 'Stable tag' ) ).toBe(
			pluginHeader( 'Version' )
		);
		expect( readmeHeader( readme, 'Requires PHP' ) ).toBe(
			pluginHeader( 'Requires PHP' )
		);
		expect( readmeHeader( readme, 'Requires at least' ) ).toBe(
			pluginHeader( 'Requires at least' )
		);
		for ( const name of [ 'Tested up to', 'License', 'Contributors' ] ) {
			expect( readmeHeader( readme, name ) ).toBeTruthy();
		}
		for ( const section of [
			'Description',
			'Installation',
			'Frequently Asked Questions',
			'Changelog',
		] ) {
			expect( readme ).toContain( `== ${ section } ==` );
		}
		// The short description: the first non-empty line after the headers, at most 150 characters.
		const short = readme.split( '\n\n' )[ 1 ]?.trim() ?? '';
		expect( short.length ).toBeGreaterThan( 20 );
		expect( short.length ).toBeLessThanOrEqual( 150 );
	} );

	describeOrSkip(
		'plugin zip php -l',
		hasCommand( 'php' )
			? null
			: 'not installed: php (Debian: apt-get install php-cli)'
	)( 'with php', () => {
		test( 'every PHP file in the zip parses (php -l)', () => {
			const dir = join( out, 'unzipped' );
			mkdirSync( dir );
			expect(
				run( 'unzip', [ '-q', zip, '-d', dir ], 60_000 ).status
			).toBe( 0 );
			const phpFiles = entries.filter( ( e ) => e.endsWith( '.php' ) );
			const failures = phpFiles
				.map( ( f ) => ( {
					f,
					r: run( 'php', [ '-l', join( dir, f ) ], 30_000 ),
				} ) )
				.filter( ( { r } ) => r.status !== 0 )
				.map( ( { f, r } ) => `${ f }: ${ r.stdout }${ r.stderr }` );
			expect( failures ).toEqual( [] );
		}, 120_000 );
	} );
} );

describe( 'plugin zip of a plugin folder with development files', () => {
	let dir: string;

	beforeEach( () => {
		dir = mkdtempSync( join( tmpdir(), 'keycrm-zip-fixture-' ) );
	} );
	afterEach( () => rmSync( dir, { recursive: true, force: true } ) );

	function put( files: Record< string, string > ): string {
		const plugin = join( dir, 'plugin' );
		for ( const [ path, content ] of Object.entries( files ) ) {
			mkdirSync( dirname( join( plugin, path ) ), { recursive: true } );
			writeFileSync( join( plugin, path ), content );
		}
		return plugin;
	}

	const shipped = {
		'keycrm-sync.php':
			'<?php\n/**\n * Plugin Name: x\n * Version: 9.9.9\n */\n',
		'readme.txt': '=== x ===\n',
		'uninstall.php': '<?php\n',
		'includes/Plugin.php': '<?php\n',
		'build/admin.js': 'x',
		'build/admin.asset.php': '<?php return array();\n',
		'languages/keycrm-sync.pot': '',
	};

	test( 'keeps the plugin files and leaves out tooling, tests, dependencies and source maps', () => {
		const plugin = put( {
			...shipped,
			'composer.json': '{}',
			'composer.lock': '{}',
			'vendor/autoload.php': '<?php\n',
			'tests/PluginTest.php': '<?php\n',
			'phpcs.xml.dist': '<x/>',
			'phpstan.neon': '',
			'build/admin.js.map': '{}',
			'node_modules/a/index.js': '',
			'.gitignore': '',
			'.github/workflows/ci.yml': '',
			'includes/.DS_Store': '',
		} );
		const made = makeZip( join( dir, 'out' ), plugin );
		expect( made.status ).toBe( 0 );
		expect( made.stdout.trim() ).toBe(
			join( dir, 'out', 'keycrm-sync-9.9.9.zip' )
		);
		const expected = [
			'keycrm-sync/',
			...Object.keys( shipped ).map( ( f ) => `keycrm-sync/${ f }` ),
		].sort();
		expect( zipEntries( made.stdout.trim() ) ).toEqual( expected );
	} );

	test( 'refuses a plugin folder without the admin build, saying how to build it', () => {
		const {
			'build/admin.js': _js,
			'build/admin.asset.php': _asset,
			...unbuilt
		} = shipped;
		const made = makeZip( join( dir, 'out' ), put( unbuilt ) );
		expect( made.status ).toBe( 1 );
		expect( made.stderr ).toContain(
			'build/admin.js, build/admin.asset.php'
		);
		expect( made.stderr ).toContain( 'npm run build:admin' );
	} );
} );
