/** @jest-environment node */
/*
 * The demo's download path: with no local WordPress (WP_CORE_DIR and WC_DIR missing), WordPress
 * Playground downloads WordPress and WooCommerce. Here it downloads them from a local HTTP server
 * (KEYCRM_DEMO_WP_ZIP_URL, KEYCRM_DEMO_WC_ZIP_URL) that serves zips of the local copies, so the
 * path is known to work wherever the real download (wordpress.org) is reachable.
 *
 * The zips are built once per WordPress / WooCommerce version into
 * <tmp>/keycrm-sync-demo-zips/ and reused. Playground's own download cache (~/.wordpress-playground)
 * goes to a temporary HOME, so every run really downloads.
 *
 * Ports: KCS_DEMO_DOWNLOAD_PORT (default 8183), KCS_DEMO_DOWNLOAD_EMULATOR_PORT (default 9483);
 * the zip server takes a free loopback port.
 */
import { spawnSync } from 'node:child_process';
import {
	existsSync,
	mkdirSync,
	mkdtempSync,
	readFileSync,
	realpathSync,
	renameSync,
	rmSync,
	symlinkSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import {
	demoMissing,
	emulatorStock,
	envPort,
	eventually,
	killDemo,
	startDemo,
	stopDemo,
	type Demo,
} from './demo-helpers';
import { describeOrSkip } from '../helpers/skip';
import { hasCommand, WC_DIR, WP_CORE_DIR } from './env';

const SHOP_PORT = envPort( 'KCS_DEMO_DOWNLOAD_PORT', 8183 );
const EMULATOR_PORT = envPort( 'KCS_DEMO_DOWNLOAD_EMULATOR_PORT', 9483 );

/**
 * A version string read from a file by a pattern.
 *
 * @param file    File.
 * @param pattern Pattern with the version as group 1.
 */
function versionIn( file: string, pattern: RegExp ): string {
	const match = pattern.exec( readFileSync( file, 'utf8' ) );
	if ( ! match?.[ 1 ] ) {
		throw new Error( `no version in ${ file }` );
	}
	return match[ 1 ];
}

/**
 * Zips a folder under one top folder, as wordpress.org's release zips are laid out
 * (`wordpress/…`, `woocommerce/…`), with Debian's `zip` (scripts/test.sh installs it; a pure-JS
 * zip of these ~8,000 files takes minutes); reuses a zip built before.
 *
 * @param dir  Folder to zip.
 * @param top  Top folder name inside the zip.
 * @param path Zip path.
 */
function zipOnce( dir: string, top: string, path: string ): void {
	if ( existsSync( path ) ) {
		return;
	}
	mkdirSync( dirname( path ), { recursive: true } );
	const stage = mkdtempSync( join( tmpdir(), 'keycrm-demo-zip-' ) );
	try {
		symlinkSync( realpathSync( dir ), join( stage, top ) );
		const zipped = spawnSync(
			'zip',
			[ '-q', '-r', '-1', `${ path }.partial`, top ],
			{ cwd: stage, encoding: 'utf8', timeout: 600_000 }
		);
		if ( zipped.status !== 0 ) {
			throw new Error(
				`zip ${ dir }: ${ zipped.error?.message ?? zipped.stderr }`
			);
		}
		renameSync( `${ path }.partial`, path );
	} finally {
		rmSync( stage, { recursive: true, force: true } );
		rmSync( `${ path }.partial`, { force: true } );
	}
}

function missing(): string | null {
	return (
		demoMissing() ??
		( hasCommand( 'zip' ) ? null : 'no zip command (apt install zip)' )
	);
}

const skip = missing();
const describeDemo = describeOrSkip( 'demo download path', skip );

describeDemo(
	skip
		? `npm start demo, downloading WordPress — skipped: ${ skip }`
		: 'npm start demo, downloading WordPress and WooCommerce',
	() => {
		const wpVersion = skip
			? ''
			: versionIn(
					join( WP_CORE_DIR, 'wp-includes', 'version.php' ),
					/\$wp_version\s*=\s*'([^']+)'/
				);
		const wcVersion = skip
			? ''
			: versionIn(
					join( WC_DIR, 'woocommerce.php' ),
					/^\s*\*\s*Version:\s*(\S+)/m
				);
		const zips = join( tmpdir(), 'keycrm-sync-demo-zips' );
		const served = {
			[ `/wordpress-${ wpVersion }.zip` ]: join(
				zips,
				`wordpress-${ wpVersion }.zip`
			),
			[ `/woocommerce.${ wcVersion }.zip` ]: join(
				zips,
				`woocommerce.${ wcVersion }.zip`
			),
		};
		const requests: string[] = [];
		let server: Server;
		let work: string;
		let demo: Demo | undefined;

		beforeAll( async () => {
			zipOnce(
				WP_CORE_DIR,
				'wordpress',
				served[ `/wordpress-${ wpVersion }.zip` ] ?? ''
			);
			zipOnce(
				WC_DIR,
				'woocommerce',
				served[ `/woocommerce.${ wcVersion }.zip` ] ?? ''
			);
			server = createServer( ( req, res ) => {
				const path = new URL( req.url ?? '/', 'http://x' ).pathname;
				requests.push( `${ req.method } ${ path }` );
				const file = served[ path ];
				if ( ! file ) {
					res.writeHead( 404 ).end();
					return;
				}
				const bytes = readFileSync( file );
				res.writeHead( 200, {
					'Content-Type': 'application/zip',
					'Content-Length': bytes.length,
				} );
				res.end( req.method === 'HEAD' ? undefined : bytes );
			} );
			await new Promise< void >( ( resolve ) =>
				server.listen( 0, '127.0.0.1', resolve )
			);
			const base = `http://127.0.0.1:${ ( server.address() as AddressInfo ).port }`;
			work = mkdtempSync( join( tmpdir(), 'keycrm-demo-download-' ) );
			mkdirSync( join( work, 'home' ) );
			demo = await startDemo( {
				port: SHOP_PORT,
				emulatorPort: EMULATOR_PORT,
				siteDir: join( work, 'site' ),
				env: {
					WP_CORE_DIR: join( work, 'no-wordpress' ),
					WC_DIR: join( work, 'no-woocommerce' ),
					HOME: join( work, 'home' ),
					KEYCRM_DEMO_WP_ZIP_URL: `${ base }/wordpress-${ wpVersion }.zip`,
					KEYCRM_DEMO_WC_ZIP_URL: `${ base }/woocommerce.${ wcVersion }.zip`,
				},
			} );
		}, 780_000 );

		afterAll( async () => {
			await killDemo( demo );
			await new Promise( ( resolve ) => server?.close( resolve ) );
			if ( work ) {
				rmSync( work, { recursive: true, force: true } );
			}
		}, 90_000 );

		test( 'Playground downloads both zips and the shop runs those versions', () => {
			expect( demo?.output() ).toContain(
				'WordPress and WooCommerce: downloading'
			);
			expect( requests ).toContain( `GET /wordpress-${ wpVersion }.zip` );
			expect( requests ).toContain(
				`GET /woocommerce.${ wcVersion }.zip`
			);
			expect( demo?.info.wp_version ).toBe( wpVersion );
			expect( demo?.info.wc_version ).toBe( wcVersion );
		} );

		test( 'the seeded products reach the emulator with their stock', async () => {
			const info = demo?.info;
			const seeded = ( info?.products ?? [] ).filter(
				( p ) => p.sku !== '' && p.stock !== null
			);
			expect( seeded.length ).toBeGreaterThan( 0 );
			const ms = await eventually(
				'seeded stock in the emulator',
				async () => {
					const stock = await emulatorStock(
						info?.emulator_url ?? ''
					);
					return seeded.every(
						( p ) => stock.get( p.sku ) === p.stock
					);
				},
				300_000
			);
			expect( ms ).toBeLessThan( 300_000 );
		}, 310_000 );

		test( 'Ctrl-C stops it', async () => {
			if ( ! demo ) {
				throw new Error( 'the demo did not start' );
			}
			expect( await stopDemo( demo ) ).toBe( 0 );
		}, 70_000 );
	}
);
