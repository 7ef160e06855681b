/** @jest-environment node */
/*
 * scripts/wp-env.sh's download path, against a local HTTP server that plays wordpress.org: small
 * fake release zips with their checksum files. A good checksum unpacks into the cache (in a
 * temporary HOME), a bad one is refused and leaves nothing in the cache, and where nothing is to
 * be had the script exits non-zero and says what to provide.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
	existsSync,
	mkdirSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	rmSync,
	symlinkSync,
	writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
	configure,
	TextReader,
	Uint8ArrayWriter,
	ZipWriter,
} from '@zip.js/zip.js';

const ROOT = join( __dirname, '..', '..' );
const SCRIPT = join( ROOT, 'scripts', 'wp-env.sh' );
const WP = '6.8.3';
const WC = '10.0.2';
const WP_OLD = '6.6.2';
const WC_OLD = '9.0.2';

/**
 * Files of a fake WordPress release (what wp-env.sh checks for).
 * @param version
 */
function wordpressFiles( version: string ): Record< string, string > {
	return {
		'wp-settings.php': '<?php // fake WordPress core\n',
		'wp-includes/version.php': `<?php\n$wp_version = '${ version }';\n`,
		'index.php': '<?php\n',
	};
}

/**
 * Files of a fake built WooCommerce release.
 * @param version
 */
function woocommerceFiles( version: string ): Record< string, string > {
	return {
		'woocommerce.php': `<?php\n/**\n * Plugin Name: WooCommerce\n * Version: ${ version }\n */\n`,
		'vendor/autoload_packages.php': '<?php\n',
		'readme.txt': 'fake\n',
	};
}

/**
 * A zip holding `files` under `top/`.
 *
 * @param top   Top folder.
 * @param files Path → content.
 */
async function zip(
	top: string,
	files: Record< string, string >
): Promise< Buffer > {
	configure( { useWebWorkers: false } );
	const writer = new ZipWriter( new Uint8ArrayWriter() );
	for ( const [ path, content ] of Object.entries( files ) ) {
		await writer.add( `${ top }/${ path }`, new TextReader( content ) );
	}
	return Buffer.from( await writer.close() );
}

const sha = ( algorithm: string, data: string | Buffer ) =>
	createHash( algorithm ).update( data ).digest( 'hex' );

/**
 * The checksum file wordpress.org publishes for a plugin release: per-file md5 and sha256.
 *
 * @param files Path → content.
 */
function pluginChecksums( files: Record< string, string > ): string {
	return JSON.stringify( {
		plugin: 'woocommerce',
		files: Object.fromEntries(
			Object.entries( files ).map( ( [ path, content ] ) => [
				path,
				{
					md5: sha( 'md5', content ),
					sha256: sha( 'sha256', content ),
				},
			] )
		),
	} );
}

interface Mirror {
	server: Server;
	base: string;
	/** Path → body; a missing path answers 404. */
	files: Map< string, Buffer | string >;
	requests: string[];
}

/** A local stand-in for wordpress.org and downloads.wordpress.org, on a free loopback port. */
async function startMirror(): Promise< Mirror > {
	const files = new Map< string, Buffer | string >();
	const requests: string[] = [];
	const server = createServer( ( req, res ) => {
		requests.push( req.url ?? '' );
		const body = files.get( req.url ?? '' );
		res.writeHead( body === undefined ? 404 : 200 );
		res.end( body );
	} );
	await new Promise< void >( ( resolve ) =>
		server.listen( 0, '127.0.0.1', resolve )
	);
	const { port } = server.address() as AddressInfo;
	return { server, base: `http://127.0.0.1:${ port }`, files, requests };
}

/**
 * Serves a release set: the WordPress zip with its .sha1, the WooCommerce zip with its checksums.
 *
 * @param mirror The mirror.
 * @param wp     WordPress version.
 * @param wc     WooCommerce version.
 */
async function publish(
	mirror: Mirror,
	wp: string,
	wc: string
): Promise< void > {
	const wpZip = await zip( 'wordpress', wordpressFiles( wp ) );
	mirror.files.set( `/wordpress-${ wp }.zip`, wpZip );
	mirror.files.set( `/wordpress-${ wp }.zip.sha1`, sha( 'sha1', wpZip ) );
	mirror.files.set(
		`/plugin/woocommerce.${ wc }.zip`,
		await zip( 'woocommerce', woocommerceFiles( wc ) )
	);
	mirror.files.set(
		`/plugin-checksums/woocommerce/${ wc }.json`,
		pluginChecksums( woocommerceFiles( wc ) )
	);
}

interface Result {
	code: number;
	stdout: string;
	stderr: string;
}

/**
 * Runs wp-env.sh with a clean environment (no WP_CORE_DIR / WC_DIR unless given).
 *
 * @param home Its HOME (the cache is HOME/.cache/wp-test-env).
 * @param env  Extra variables.
 * @param args Arguments.
 */
function wpEnv(
	home: string,
	env: Record< string, string >,
	args: string[] = []
): Promise< Result > {
	return new Promise( ( resolve ) => {
		execFile(
			'bash',
			[ SCRIPT, ...args ],
			{
				env: {
					PATH: process.env.PATH ?? '/usr/bin:/bin',
					HOME: home,
					...env,
				},
				timeout: 120_000,
			},
			( error, stdout, stderr ) =>
				resolve( {
					code:
						error === null
							? 0
							: Number(
									( error as { code?: number } ).code ?? 1
								),
					stdout,
					stderr,
				} )
		);
	} );
}

/**
 * Everything under the cache folder of `home` (empty when there is none).
 * @param home
 */
function cacheEntries( home: string ): string[] {
	const cache = join( home, '.cache', 'wp-test-env' );
	return existsSync( cache ) ? readdirSync( cache ).sort() : [];
}

let mirror: Mirror;
let work: string;
let home: string;

beforeAll( async () => {
	mirror = await startMirror();
	work = mkdtempSync( join( tmpdir(), 'kcs-wp-env-test-' ) );
} );

afterAll( async () => {
	await new Promise( ( resolve ) => mirror.server.close( resolve ) );
	rmSync( work, { recursive: true, force: true } );
} );

beforeEach( () => {
	mirror.files.clear();
	mirror.requests.length = 0;
	home = mkdtempSync( join( work, 'home-' ) );
} );

const download = () => ( {
	KCS_WP_DOWNLOAD_BASE: mirror.base,
	KCS_WC_DOWNLOAD_BASE: mirror.base,
} );

test( 'downloads, checks and unpacks both into the cache, then uses the cache without downloading', async () => {
	await publish( mirror, WP, WC );
	const first = await wpEnv( home, download() );
	expect( first.stderr ).toContain(
		`WordPress ${ WP } checked and unpacked`
	);
	expect( first ).toMatchObject( { code: 0 } );
	const cache = join( home, '.cache', 'wp-test-env' );
	expect( first.stdout ).toBe(
		`WP_CORE_DIR=${ cache }/wordpress\nWC_DIR=${ cache }/woocommerce\n`
	);
	expect( cacheEntries( home ) ).toEqual( [ 'woocommerce', 'wordpress' ] );
	expect(
		readFileSync(
			join( cache, 'wordpress', 'wp-includes', 'version.php' ),
			'utf8'
		)
	).toContain( WP );
	expect(
		existsSync(
			join( cache, 'woocommerce', 'vendor', 'autoload_packages.php' )
		)
	).toBe( true );

	mirror.requests.length = 0;
	const second = await wpEnv( home, download(), [ '--export' ] );
	expect( second ).toMatchObject( { code: 0 } );
	expect( second.stdout ).toBe(
		`export WP_CORE_DIR=${ cache }/wordpress\nexport WC_DIR=${ cache }/woocommerce\n`
	);
	expect( mirror.requests ).toEqual( [] );
} );

test( 'a WordPress zip whose SHA-1 differs from the published one is refused and leaves nothing in the cache', async () => {
	await publish( mirror, WP, WC );
	mirror.files.set(
		`/wordpress-${ WP }.zip.sha1`,
		sha( 'sha1', 'something else' )
	);
	const result = await wpEnv( home, download() );
	expect( result.code ).not.toBe( 0 );
	expect( result.stderr ).toMatch(
		/SHA-1 [0-9a-f]{40} does not match the published [0-9a-f]{40}; refused/
	);
	// WooCommerce was fine and is kept; nothing of WordPress, and no temporary folder.
	expect( cacheEntries( home ) ).toEqual( [ 'woocommerce' ] );
} );

test( 'a WooCommerce zip with a file that differs from the published SHA-256 is refused and leaves nothing in the cache', async () => {
	await publish( mirror, WP, WC );
	const tampered = {
		...woocommerceFiles( WC ),
		'woocommerce.php': `<?php\n/**\n * Version: ${ WC }\n */\nevil();\n`,
	};
	mirror.files.set(
		`/plugin/woocommerce.${ WC }.zip`,
		await zip( 'woocommerce', tampered )
	);
	const result = await wpEnv( home, download() );
	expect( result.code ).not.toBe( 0 );
	expect( result.stderr ).toContain( 'woocommerce.php: SHA-256 differs' );
	expect( cacheEntries( home ) ).toEqual( [ 'wordpress' ] );

	// A file the checksum list does not know is refused as well.
	rmSync( join( home, '.cache' ), { recursive: true } );
	mirror.files.set(
		`/plugin/woocommerce.${ WC }.zip`,
		await zip( 'woocommerce', {
			...woocommerceFiles( WC ),
			'extra.php': '<?php\n',
		} )
	);
	const extra = await wpEnv( home, download() );
	expect( extra.code ).not.toBe( 0 );
	expect( extra.stderr ).toContain( 'extra.php: not in the checksum file' );
	expect( cacheEntries( home ) ).toEqual( [ 'wordpress' ] );
} );

test( 'nothing reachable: exits non-zero, names what to provide and how, and leaves no cache folder', async () => {
	const result = await wpEnv( home, {
		KCS_WP_DOWNLOAD_BASE: 'http://127.0.0.1:1',
		KCS_WC_DOWNLOAD_BASE: 'http://127.0.0.1:1',
	} );
	expect( result.code ).toBe( 1 );
	expect( result.stdout ).toBe( '' );
	for ( const text of [
		'WordPress is missing',
		'WooCommerce is missing',
		'WP_CORE_DIR=/path/to/wordpress',
		'WC_DIR=/path/to/woocommerce',
		`wordpress-${ WP }.zip`,
		`woocommerce.${ WC }.zip`,
		join( home, '.cache', 'wp-test-env', 'wordpress' ),
		join( home, '.cache', 'wp-test-env', 'woocommerce' ),
	] ) {
		expect( result.stderr ).toContain( text );
	}
	expect( cacheEntries( home ) ).toEqual( [] );
} );

test( 'WP_CORE_DIR=/nonexistent WC_DIR=/nonexistent with an empty HOME: exits non-zero naming both', async () => {
	const result = await wpEnv( home, {
		CI: 'true',
		WP_CORE_DIR: '/nonexistent',
		WC_DIR: '/nonexistent',
		KCS_WP_DOWNLOAD_BASE: 'http://127.0.0.1:1',
		KCS_WC_DOWNLOAD_BASE: 'http://127.0.0.1:1',
	} );
	expect( result.code ).toBe( 1 );
	expect( result.stderr ).toContain(
		'WP_CORE_DIR=/nonexistent is not a WordPress folder'
	);
	expect( result.stderr ).toContain(
		'WC_DIR=/nonexistent is not a WooCommerce folder'
	);
	expect( result.stderr ).toContain( 'WordPress is missing' );
	expect( result.stderr ).toContain( 'WooCommerce is missing' );
} );

test( 'folders given by WP_CORE_DIR / WC_DIR are used as they are, symlinks included', async () => {
	const core = join( work, 'core-copy' );
	mkdirSync( join( core, 'wp-includes' ), { recursive: true } );
	for ( const [ path, content ] of Object.entries(
		wordpressFiles( '6.8.8' )
	) ) {
		writeFileSync( join( core, path ), content );
	}
	symlinkSync( core, join( home, 'core-link' ) );
	const wc = join( work, 'wc' );
	mkdirSync( join( wc, 'vendor' ), { recursive: true } );
	for ( const [ path, content ] of Object.entries(
		woocommerceFiles( WC )
	) ) {
		writeFileSync( join( wc, path ), content );
	}
	const result = await wpEnv( home, {
		WP_CORE_DIR: join( home, 'core-link' ),
		WC_DIR: wc,
		...download(),
	} );
	expect( result ).toMatchObject( { code: 0 } );
	expect( result.stdout ).toBe(
		`WP_CORE_DIR=${ join( home, 'core-link' ) }\nWC_DIR=${ wc }\n`
	);
	expect( mirror.requests ).toEqual( [] );
	rmSync( core, { recursive: true } );
	rmSync( wc, { recursive: true } );
} );

test( '--oldest fetches the oldest versions the plugin header claims into versioned cache folders', async () => {
	const header = readFileSync(
		join( ROOT, 'plugin', 'keycrm-sync.php' ),
		'utf8'
	);
	expect( header ).toMatch(
		new RegExp( `Requires at least: +${ WP_OLD.slice( 0, 3 ) }\\n` )
	);
	expect( header ).toMatch(
		new RegExp( `WC requires at least: +${ WC_OLD.slice( 0, 3 ) }\\n` )
	);
	await publish( mirror, WP_OLD, WC_OLD );
	const result = await wpEnv( home, download(), [ '--oldest' ] );
	expect( result ).toMatchObject( { code: 0 } );
	expect( cacheEntries( home ) ).toEqual( [
		`woocommerce-${ WC_OLD }`,
		`wordpress-${ WP_OLD }`,
	] );
} );

describe( '--wp-cli', () => {
	const CLI = '2.10.0';
	/** A stand-in for the WP-CLI phar: a PHP file that answers `--version` as WP-CLI does. */
	const phar = `<?php echo "WP-CLI ${ CLI }\\n";\n`;
	const cliDownload = () => ( { KCS_WP_CLI_DOWNLOAD_BASE: mirror.base } );

	test( 'downloads the pinned phar, checks its published SHA-512, then uses the cache', async () => {
		mirror.files.set( `/wp-cli-${ CLI }.phar`, phar );
		mirror.files.set(
			`/wp-cli-${ CLI }.phar.sha512`,
			`${ sha( 'sha512', phar ) }\n`
		);
		const first = await wpEnv( home, cliDownload(), [ '--wp-cli' ] );
		const cached = join( home, '.cache', 'wp-test-env', 'wp-cli.phar' );
		expect( first ).toMatchObject( {
			code: 0,
			stdout: `KCS_WP_CLI=${ cached }\n`,
		} );
		expect( first.stderr ).toContain( `WP-CLI ${ CLI } checked and saved` );
		expect( readFileSync( cached, 'utf8' ) ).toBe( phar );
		expect( cacheEntries( home ) ).toEqual( [ 'wp-cli.phar' ] );

		mirror.requests.length = 0;
		const again = await wpEnv( home, cliDownload(), [
			'--wp-cli',
			'--export',
		] );
		expect( again ).toMatchObject( {
			code: 0,
			stdout: `export KCS_WP_CLI=${ cached }\n`,
		} );
		expect( mirror.requests ).toEqual( [] );
	} );

	test( 'a phar whose SHA-512 differs from the published one is refused and leaves nothing behind', async () => {
		mirror.files.set( `/wp-cli-${ CLI }.phar`, `${ phar }// changed\n` );
		mirror.files.set(
			`/wp-cli-${ CLI }.phar.sha512`,
			`${ sha( 'sha512', phar ) }\n`
		);
		const result = await wpEnv( home, cliDownload(), [ '--wp-cli' ] );
		expect( result.code ).not.toBe( 0 );
		expect( result.stdout ).toBe( '' );
		expect( result.stderr ).toMatch(
			/SHA-512 [0-9a-f]{128} does not match the published [0-9a-f]{128}; refused/
		);
		expect( result.stderr ).toContain( 'KCS_WP_CLI=/path/to/wp-cli.phar' );
		expect( cacheEntries( home ) ).toEqual( [] );
	} );
} );
