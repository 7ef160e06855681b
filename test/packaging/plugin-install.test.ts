/** @jest-environment node */
/*
 * The plugin zip installs (the way wp-admin's "Upload Plugin" does) and activates on a real
 * WordPress + WooCommerce shop (PHP + MariaDB, set up by test/shop), then serves its REST
 * API and its admin screen with the built assets. Port: KCS_INSTALL_SHOP_PORT (default 8181).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as z from 'zod';

import { StatusResponse } from '@keycrm-sync/contract';
import { describeOrSkip } from '../helpers/skip';
import { ShopHarness, shopMissing, type SiteEnv } from '../shop/shop';
import { ensureAdminBuild, hasCommand, makeZip, ROOT } from './env';

const PORT = Number( process.env.KCS_INSTALL_SHOP_PORT ?? 8181 );
const shop = new ShopHarness( ROOT );

const InstallReport = z.object( {
	installed: z.boolean(),
	errors: z.array( z.string() ),
	plugin_file: z.union( [ z.string(), z.literal( false ) ] ),
	activate: z.string(),
	active: z.boolean(),
	dir: z.string(),
	table: z.boolean(),
	wc_version: z.string(),
	wp_version: z.string(),
} );

function missing(): string | null {
	const shopless = shopMissing( ROOT );
	if ( shopless ) {
		return shopless;
	}
	return hasCommand( 'unzip' ) ? null : 'not installed: unzip';
}

/**
 * Logs in to wp-admin and returns the session cookies.
 * @param siteUrl
 * @param user
 * @param pass
 */
async function login(
	siteUrl: string,
	user: string,
	pass: string
): Promise< string > {
	const response = await fetch( `${ siteUrl }/wp-login.php`, {
		method: 'POST',
		redirect: 'manual',
		headers: {
			'Content-Type': 'application/x-www-form-urlencoded',
			Cookie: 'wordpress_test_cookie=WP%20Cookie%20check',
		},
		body: new URLSearchParams( {
			log: user,
			pwd: pass,
			testcookie: '1',
			redirect_to: `${ siteUrl }/wp-admin/`,
		} ),
	} );
	await response.body?.cancel();
	expect( response.status ).toBe( 302 );
	return response.headers
		.getSetCookie()
		.map( ( c ) => c.split( ';' )[ 0 ] )
		.join( '; ' );
}

const describeShop = describeOrSkip( 'plugin zip on a real shop', missing() );

describeShop( 'plugin zip on a real WooCommerce shop', () => {
	let work: string;
	let siteDir: string;
	let env: SiteEnv;
	let report: z.infer< typeof InstallReport >;

	beforeAll( () => {
		ensureAdminBuild();
		work = mkdtempSync( join( tmpdir(), 'keycrm-install-' ) );
		siteDir = join( work, 'site' );
		const made = makeZip( work );
		if ( made.status !== 0 ) {
			throw new Error( `plugin-zip failed: ${ made.stderr }` );
		}
		env = shop.start( { siteDir, port: PORT } );
		const script = join(
			ROOT,
			'test',
			'packaging',
			'php',
			'install-zip.php'
		);
		const installed = shop.eval( siteDir, [ script, made.stdout.trim() ] );
		if ( installed.status !== 0 ) {
			throw new Error(
				`install-zip.php failed:\n${ installed.stdout }\n${ installed.stderr }`
			);
		}
		report = InstallReport.parse(
			JSON.parse(
				installed.stdout.slice( installed.stdout.indexOf( '{' ) )
			)
		);
	}, 600_000 );

	afterAll( () => {
		if ( siteDir ) {
			shop.stop( siteDir );
		}
		if ( work ) {
			rmSync( work, { recursive: true, force: true } );
		}
	}, 120_000 );

	test( 'installs from the zip into wp-content/plugins/keycrm-sync and activates', () => {
		expect( report.errors ).toEqual( [] );
		expect( report.installed ).toBe( true );
		expect( report.plugin_file ).toBe( 'keycrm-sync/keycrm-sync.php' );
		expect( report.activate ).toBe( 'ok' );
		expect( report.active ).toBe( true );
		expect( report.dir ).toMatch( /\/wp-content\/plugins\/keycrm-sync$/ );
		expect( report.wc_version ).toMatch( /^10\./ );
	} );

	test( 'activation created the outbox table', () => {
		expect( report.table ).toBe( true );
	} );

	test( 'serves its REST status to an application-password request', async () => {
		const response = await fetch(
			`${ env.SITE_URL }/wp-json/keycrm-sync/v1/status`,
			{
				headers: {
					Authorization: `Basic ${ Buffer.from( `${ env.ADMIN_USER }:${ env.APP_PASS }` ).toString( 'base64' ) }`,
				},
			}
		);
		expect( response.status ).toBe( 200 );
		const status = StatusResponse.parse( await response.json() );
		expect( status.settings_complete ).toBe( false );
	} );

	test( 'its admin screen loads the built admin script from the installed plugin', async () => {
		const cookies = await login(
			env.SITE_URL ?? '',
			env.ADMIN_USER ?? '',
			env.ADMIN_PASS ?? ''
		);
		const response = await fetch(
			`${ env.SITE_URL }/wp-admin/admin.php?page=keycrm-sync`,
			{
				headers: { Cookie: cookies },
				redirect: 'manual',
			}
		);
		expect( response.status ).toBe( 200 );
		const html = await response.text();
		expect( html ).toContain(
			'/wp-content/plugins/keycrm-sync/build/admin.js'
		);
		const asset = await fetch(
			`${ env.SITE_URL }/wp-content/plugins/keycrm-sync/build/admin.js`
		);
		expect( asset.status ).toBe( 200 );
		expect( ( await asset.text() ).length ).toBeGreaterThan( 1000 );
	} );
} );
