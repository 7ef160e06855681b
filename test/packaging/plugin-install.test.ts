/** @jest-environment node */
/*
 * The plugin zip installs (the way wp-admin's "Upload Plugin" does) and activates on a real
 * WordPress + WooCommerce shop (PHP + MariaDB, set up by the wp-harness), then serves its REST
 * API and its admin screen with the built assets.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';

import { StatusResponse } from '../../src/contract/plugin-rest';
import {
	ensureAdminBuild,
	hasCommand,
	makeZip,
	readEnvFile,
	ROOT,
	run,
	WC_DIR,
	WP_CORE_DIR,
	WP_HARNESS_DIR,
	wordpressMissing,
} from './env';

const PORT = 8181;

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
	const wordpress = wordpressMissing();
	if ( wordpress ) {
		return wordpress;
	}
	if ( ! existsSync( join( WP_HARNESS_DIR, 'wp-up.sh' ) ) ) {
		return `no shop harness at WP_HARNESS_DIR=${ WP_HARNESS_DIR }`;
	}
	const programs = [ 'php', 'mariadbd', 'unzip' ].filter(
		( p ) => ! hasCommand( p ) && ! existsSync( `/usr/sbin/${ p }` )
	);
	return programs.length > 0
		? `not installed: ${ programs.join( ', ' ) }`
		: null;
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

const skip = missing();
const describeShop = skip ? describe.skip : describe;

describeShop(
	skip
		? `plugin zip on a real shop — skipped: ${ skip }`
		: 'plugin zip on a real WooCommerce shop',
	() => {
		let work: string;
		let siteDir: string;
		let env: Record< string, string >;
		let report: z.infer< typeof InstallReport >;

		beforeAll( () => {
			ensureAdminBuild();
			work = mkdtempSync( join( tmpdir(), 'keycrm-install-' ) );
			siteDir = join( work, 'site' );
			const made = makeZip( work );
			if ( made.status !== 0 ) {
				throw new Error( `plugin-zip failed: ${ made.stderr }` );
			}
			const up = run(
				'bash',
				[
					join( WP_HARNESS_DIR, 'wp-up.sh' ),
					'--core',
					WP_CORE_DIR,
					'--wc',
					WC_DIR,
					'--site',
					siteDir,
					'--port',
					String( PORT ),
					'--force',
				],
				300_000
			);
			if ( up.status !== 0 ) {
				throw new Error(
					`wp-up.sh failed:\n${ up.stdout }\n${ up.stderr }`
				);
			}
			env = readEnvFile( join( siteDir, 'site.env' ) );
			const script = join(
				ROOT,
				'test',
				'packaging',
				'php',
				'install-zip.php'
			);
			const installed = run(
				'bash',
				[
					join( WP_HARNESS_DIR, 'wp-eval.sh' ),
					siteDir,
					script,
					made.stdout.trim(),
				],
				120_000
			);
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
			if ( siteDir && existsSync( siteDir ) ) {
				run(
					'bash',
					[
						join( WP_HARNESS_DIR, 'wp-down.sh' ),
						'--purge',
						siteDir,
					],
					60_000
				);
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
			expect( report.dir ).toMatch(
				/\/wp-content\/plugins\/keycrm-sync$/
			);
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
	}
);
