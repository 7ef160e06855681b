/**
 * The shop harness (test/shop/*.sh) from Node: jest and Playwright start, drive and stop real
 * WordPress + WooCommerce + MariaDB shops on loopback with these. See test/shop/README.md.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A finished command. */
export interface ShopRun {
	status: number | null;
	stdout: string;
	stderr: string;
}

/** What shop-up.sh wrote to SITE_DIR/site.env (SITE_URL, ADMIN_USER, ADMIN_PASS, APP_PASS, …). */
export type SiteEnv = Record< string, string >;

/**
 * Reads a site.env (shell `KEY=value`, values quoted by printf %q).
 *
 * @param siteDir The shop's folder.
 */
export function readSiteEnv( siteDir: string ): SiteEnv {
	const out: SiteEnv = {};
	for ( const line of readFileSync(
		join( siteDir, 'site.env' ),
		'utf8'
	).split( '\n' ) ) {
		const match = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec( line );
		if ( match?.[ 1 ] ) {
			const raw = match[ 2 ] ?? '';
			out[ match[ 1 ] ] = /^'.*'$/.test( raw )
				? raw.slice( 1, -1 )
				: raw.replace( /\\(.)/g, '$1' );
		}
	}
	return out;
}

let resolved: { core: string; wc: string } | string | undefined;

/**
 * WordPress and WooCommerce folders: WP_CORE_DIR / WC_DIR when set, else what scripts/wp-env.sh
 * finds (its cache, or a checked download). A string says why there are none.
 *
 * @param root The repository's root.
 */
export function wordpressDirs(
	root: string
): { core: string; wc: string } | string {
	if ( resolved !== undefined ) {
		return resolved;
	}
	let core = process.env.WP_CORE_DIR ?? '';
	let wc = process.env.WC_DIR ?? '';
	if ( core === '' || wc === '' ) {
		const found = spawnSync(
			'bash',
			[ join( root, 'scripts', 'wp-env.sh' ) ],
			{
				encoding: 'utf8',
				timeout: 900_000,
			}
		);
		if ( found.status !== 0 ) {
			// What to provide, once; the reason the suites give is its first lines, on one line.
			const said = ( found.stderr ?? '' ).trim();
			process.stderr.write( `${ said }\n` );
			resolved = `scripts/wp-env.sh found no WordPress / WooCommerce: ${ said
				.split( '\n\n' )[ 0 ]!
				.split( '\n' )
				.filter( ( l ) => ! / from (the cache|[A-Z_]+=)/.test( l ) )
				.map( ( l ) => l.replace( /^wp-env: /, '' ) )
				.join( '; ' ) }`;
			return resolved;
		}
		const vars = Object.fromEntries(
			( found.stdout ?? '' )
				.trim()
				.split( '\n' )
				.map( ( l ) => [
					l.slice( 0, l.indexOf( '=' ) ),
					l.slice( l.indexOf( '=' ) + 1 ),
				] )
		) as Record< string, string >;
		core = core || ( vars.WP_CORE_DIR ?? '' ).replace( /\\(.)/g, '$1' );
		wc = wc || ( vars.WC_DIR ?? '' ).replace( /\\(.)/g, '$1' );
	}
	if ( ! existsSync( join( core, 'wp-settings.php' ) ) ) {
		resolved = `no WordPress core at WP_CORE_DIR=${ core } (scripts/wp-env.sh says how to get one)`;
	} else if ( ! existsSync( join( wc, 'woocommerce.php' ) ) ) {
		resolved = `no WooCommerce at WC_DIR=${ wc } (scripts/wp-env.sh says how to get one)`;
	} else {
		resolved = { core, wc };
	}
	return resolved;
}

/**
 * Why a shop cannot be started here (WordPress, WooCommerce, programs), or null when it can.
 *
 * @param root The repository's root.
 */
export function shopMissing( root: string ): string | null {
	const dirs = wordpressDirs( root );
	if ( typeof dirs === 'string' ) {
		return dirs;
	}
	const programs = [ 'php', 'mariadbd', 'mariadb-install-db' ].filter(
		( p ) =>
			spawnSync( 'sh', [ '-c', `command -v ${ p }` ] ).status !== 0 &&
			! existsSync( `/usr/sbin/${ p }` )
	);
	return programs.length > 0
		? `not installed: ${ programs.join( ', ' ) } (Debian: apt-get install php-cli php-mysql mariadb-server)`
		: null;
}

/** Options of a new shop. */
export interface ShopOptions {
	/** The shop's folder (replaced when it exists). */
	siteDir: string;
	/** Its port on 127.0.0.1. */
	port: number;
	/** Plugin folders to link in and activate after WooCommerce. */
	plugins?: string[];
	/** Extra must-use plugin files. */
	mu?: string[];
	/** WordPress and WooCommerce folders (default: `wordpressDirs()`). */
	wordpress?: { core: string; wc: string };
}

/** Starts, drives and stops shops with the scripts in test/shop. */
export class ShopHarness {
	/**
	 * @param root The repository's root.
	 */
	constructor( readonly root: string ) {}

	private run(
		script: string,
		args: string[],
		timeoutMs: number,
		wordpress?: { core: string; wc: string }
	): ShopRun {
		const dirs = wordpress ?? wordpressDirs( this.root );
		const result = spawnSync(
			'bash',
			[ join( this.root, 'test', 'shop', script ), ...args ],
			{
				encoding: 'utf8',
				timeout: timeoutMs,
				maxBuffer: 64 * 1024 * 1024,
				env:
					typeof dirs === 'string'
						? process.env
						: {
								...process.env,
								WP_CORE_DIR: dirs.core,
								WC_DIR: dirs.wc,
							},
			}
		);
		return {
			status: result.status,
			stdout: result.stdout ?? '',
			stderr: result.stderr ?? '',
		};
	}

	/**
	 * A fresh shop; throws with shop-up.sh's output when it does not come up.
	 *
	 * @param options Where, which port, which plugins.
	 */
	start( options: ShopOptions ): SiteEnv {
		const args = [
			'--site',
			options.siteDir,
			'--port',
			String( options.port ),
			'--force',
		];
		for ( const plugin of options.plugins ?? [] ) {
			args.push( '--plugin', plugin );
		}
		for ( const file of options.mu ?? [] ) {
			args.push( '--mu', file );
		}
		const up = this.run( 'shop-up.sh', args, 300_000, options.wordpress );
		if ( up.status !== 0 ) {
			throw new Error(
				`test/shop/shop-up.sh failed (${ String( up.status ) }):\n${ up.stdout }\n${ up.stderr }`
			);
		}
		return readSiteEnv( options.siteDir );
	}

	/**
	 * Stops a shop (and deletes its folder unless `keep`).
	 *
	 * @param siteDir The shop's folder.
	 * @param keep    Keep the folder (the shop can be started again with shop-up.sh --restart).
	 */
	stop( siteDir: string, keep = false ): void {
		if ( existsSync( join( siteDir, 'run' ) ) ) {
			this.run(
				'shop-down.sh',
				keep ? [ siteDir ] : [ '--purge', siteDir ],
				120_000
			);
		}
	}

	/**
	 * Runs PHP in the shop as its admin: a file with arguments, or `-r CODE`.
	 *
	 * @param siteDir   The shop's folder.
	 * @param args      `[file, ...args]` or `['-r', code]`.
	 * @param timeoutMs Time allowed.
	 */
	eval( siteDir: string, args: string[], timeoutMs = 120_000 ): ShopRun {
		return this.run( 'shop-eval.sh', [ siteDir, ...args ], timeoutMs );
	}
}
