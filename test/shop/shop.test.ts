/** @jest-environment node */
/*
 * The shop harness itself: a shop comes up with the plugin active (REST with the application
 * password from site.env, PHP eval inside it), stops with nothing left listening, and leaves
 * WordPress and WooCommerce as they were, with WP_CORE_DIR given as a symlink (file list, sizes
 * and mtimes of both folders compared before and after). Port: KCS_SHOP_TEST_PORT (default 8184).
 */
import {
	lstatSync,
	mkdtempSync,
	readdirSync,
	rmSync,
	symlinkSync,
	statSync,
} from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describeOrSkip } from '../helpers/skip';
import { ShopHarness, shopMissing, wordpressDirs } from './shop';

const ROOT = join( __dirname, '..', '..' );
const PORT = Number( process.env.KCS_SHOP_TEST_PORT ?? 8184 );

/**
 * Every entry under `dir` (symlinks followed at the top only) with its size, mode and mtime.
 *
 * @param dir Folder.
 */
function manifest( dir: string ): string[] {
	const out: string[] = [];
	const walk = ( rel: string ) => {
		for ( const name of readdirSync( join( dir, rel ) ) ) {
			const path = rel ? `${ rel }/${ name }` : name;
			const st = lstatSync( join( dir, path ) );
			out.push( `${ path } ${ st.size } ${ st.mode } ${ st.mtimeMs }` );
			if ( st.isDirectory() ) {
				walk( path );
			}
		}
	};
	walk( '' );
	return out.sort();
}

/**
 * Whether something accepts connections on 127.0.0.1:port.
 *
 * @param port Port.
 */
function listening( port: number ): Promise< boolean > {
	return new Promise( ( resolve ) => {
		const socket = connect( port, '127.0.0.1' );
		socket.once( 'connect', () => {
			socket.end();
			resolve( true );
		} );
		socket.once( 'error', () => resolve( false ) );
	} );
}

describeOrSkip( 'shop harness', shopMissing( ROOT ) )(
	'the shop harness (test/shop)',
	() => {
		const shop = new ShopHarness( ROOT );
		let work: string;
		let core: string;
		let wc: string;
		let before: { core: string[]; wc: string[] };

		beforeAll( () => {
			const dirs = wordpressDirs( ROOT );
			if ( typeof dirs === 'string' ) {
				throw new Error( dirs );
			}
			work = mkdtempSync( join( tmpdir(), 'kcs-shop-test-' ) );
			core = join( work, 'wordpress-link' );
			symlinkSync( dirs.core, core );
			wc = dirs.wc;
			before = { core: manifest( core ), wc: manifest( wc ) };
		} );

		afterAll( () => {
			shop.stop( join( work, 'site' ) );
			rmSync( work, { recursive: true, force: true } );
		}, 120_000 );

		test( 'starts a shop with the plugin, answers REST and PHP, stops, and writes nothing into WordPress or WooCommerce', async () => {
			const siteDir = join( work, 'site' );
			const env = shop.start( {
				siteDir,
				port: PORT,
				plugins: [ join( ROOT, 'plugin' ) ],
				wordpress: { core, wc },
			} );
			expect( env.SITE_URL ).toBe( `http://127.0.0.1:${ PORT }` );
			expect(
				lstatSync(
					join( siteDir, 'www/wp-content/plugins/keycrm-sync' )
				).isSymbolicLink()
			).toBe( true );
			// The docroot is a copy: no symlink in it leads back into WP_CORE_DIR.
			expect(
				lstatSync( join( siteDir, 'www/wp-settings.php' ) ).isFile()
			).toBe( true );
			expect(
				statSync( join( siteDir, 'www/wp-config.php' ) ).isFile()
			).toBe( true );

			const status = await fetch(
				`${ env.SITE_URL }/wp-json/keycrm-sync/v1/status`,
				{
					headers: {
						Authorization: `Basic ${ Buffer.from( `${ env.ADMIN_USER }:${ env.APP_PASS }` ).toString( 'base64' ) }`,
					},
				}
			);
			expect( status.status ).toBe( 200 );

			const evaluated = shop.eval( siteDir, [
				'-r',
				"echo wp_json_encode( array( get_current_user_id(), in_array( 'keycrm-sync/keycrm-sync.php', (array) get_option( 'active_plugins' ), true ), WC()->version ) );",
			] );
			expect( evaluated.stderr ).toBe( '' );
			expect( JSON.parse( evaluated.stdout ) ).toEqual( [
				1,
				true,
				env.WC_VERSION,
			] );

			shop.stop( siteDir, true );
			expect( await listening( PORT ) ).toBe( false );
			expect( manifest( core ) ).toEqual( before.core );
			expect( manifest( wc ) ).toEqual( before.wc );
		}, 300_000 );
	}
);
