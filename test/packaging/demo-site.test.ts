/** @jest-environment node */
/*
 * The demo's site folder (scripts/demo/playground.ts, no Playground started): WP_CORE_DIR and
 * WC_DIR given as symlinks are copied as real folders into the site folder, and what Playground
 * is told to mount is those copies, never the user's folders. (test/packaging/demo.test.ts proves
 * the same end to end, with a started demo.)
 */
import {
	lstatSync,
	mkdirSync,
	mkdtempSync,
	readFileSync,
	rmSync,
	symlinkSync,
	writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { recordTree, treeChanges } from './demo-helpers';
import { ROOT, run } from './env';

let work: string;

beforeEach( () => {
	work = mkdtempSync( join( tmpdir(), 'keycrm-demo-site-' ) );
} );

afterEach( () => {
	rmSync( work, { recursive: true, force: true } );
} );

/**
 * Runs preparePlayground() in a child Node (the demo is ESM run by tsx) and returns its result.
 *
 * @param wpCoreDir WP_CORE_DIR.
 * @param wcDir     WC_DIR.
 * @param siteDir   Site folder.
 */
function prepare(
	wpCoreDir: string,
	wcDir: string,
	siteDir: string
): { args: string[] } {
	const code = `
		import { preparePlayground } from ${ JSON.stringify( join( ROOT, 'scripts/demo/playground.ts' ) ) };
		const site = preparePlayground( {
			source: { kind: 'local', wpCoreDir: process.env.WPD, wcDir: process.env.WCD },
			siteDir: process.env.SITE,
			pluginDir: ${ JSON.stringify( join( ROOT, 'plugin' ) ) },
			demoDir: ${ JSON.stringify( join( ROOT, 'scripts/demo' ) ) },
			port: 8499,
		} );
		process.stdout.write( JSON.stringify( site ) );
	`;
	const result = run(
		process.execPath,
		[ '--import', 'tsx', '--input-type=module', '-e', code ],
		60_000,
		{ WPD: wpCoreDir, WCD: wcDir, SITE: siteDir }
	);
	if ( result.status !== 0 ) {
		throw new Error( `preparePlayground failed:\n${ result.stderr }` );
	}
	return JSON.parse( result.stdout ) as { args: string[] };
}

test( 'symlinked WP_CORE_DIR and WC_DIR are copied as folders and only the copies are mounted', () => {
	const wordpress = join( work, 'wordpress' );
	mkdirSync( join( wordpress, 'wp-content', 'plugins' ), {
		recursive: true,
	} );
	writeFileSync( join( wordpress, 'wp-settings.php' ), '<?php\n' );
	const woocommerce = join( work, 'woocommerce' );
	mkdirSync( woocommerce );
	writeFileSync( join( woocommerce, 'woocommerce.php' ), '<?php\n' );
	symlinkSync( wordpress, join( work, 'wp-link' ) );
	symlinkSync( woocommerce, join( work, 'wc-link' ) );
	const wpBefore = recordTree( join( work, 'wp-link' ) );
	const wcBefore = recordTree( join( work, 'wc-link' ) );

	const siteDir = join( work, 'site' );
	const site = prepare(
		join( work, 'wp-link' ),
		join( work, 'wc-link' ),
		siteDir
	);

	for ( const copy of [ 'wordpress', 'woocommerce' ] ) {
		expect( lstatSync( join( siteDir, copy ) ).isDirectory() ).toBe( true );
	}
	expect(
		readFileSync( join( siteDir, 'wordpress', 'wp-settings.php' ), 'utf8' )
	).toBe( '<?php\n' );
	const mounts = site.args
		.filter( ( a ) => a.startsWith( '--mount-before-install=' ) )
		.map( ( a ) => a.slice( '--mount-before-install='.length ) );
	expect( mounts ).toContain(
		`${ join( siteDir, 'wordpress' ) }:/wordpress`
	);
	expect( mounts ).toContain(
		`${ join( siteDir, 'woocommerce' ) }:/wordpress/wp-content/plugins/woocommerce`
	);
	for ( const mount of mounts ) {
		expect( mount.startsWith( wordpress ) ).toBe( false );
		expect( mount.startsWith( woocommerce ) ).toBe( false );
	}
	// Writing into the copies leaves the sources alone.
	writeFileSync( join( siteDir, 'wordpress', 'wp-config.php' ), '<?php\n' );
	mkdirSync( join( siteDir, 'wordpress', 'wp-content', 'plugins', 'x' ) );
	expect(
		treeChanges( wpBefore, recordTree( join( work, 'wp-link' ) ) )
	).toEqual( [] );
	expect(
		treeChanges( wcBefore, recordTree( join( work, 'wc-link' ) ) )
	).toEqual( [] );
} );
