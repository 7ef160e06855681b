/**
 * The demo shop: WordPress Playground's CLI (PHP in WebAssembly, SQLite) serving WordPress,
 * WooCommerce and this plugin on loopback.
 */
import {
	cpSync,
	mkdirSync,
	realpathSync,
	rmSync,
	writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

import type { WordPressSource } from './wordpress-source.js';

/** Paths inside Playground's virtual file system. */
const VFS = {
	wordpress: '/wordpress',
	plugins: '/wordpress/wp-content/plugins',
	muPlugins: '/wordpress/wp-content/mu-plugins',
	demo: '/keycrm-demo',
	state: '/keycrm-demo-state',
} as const;

/** PHP of the demo shop. */
const PHP_VERSION = '8.3';

/** Everything needed to start the shop. */
export interface PlaygroundSite {
	/** Arguments for `node <cli> …`. */
	args: string[];
	/** Playground's CLI entry file. */
	cliPath: string;
	/** Host file the set-up script writes (admin login, application password, products). */
	stateFile: string;
}

/** Returns the entry file of @wp-playground/cli. */
function playgroundCliPath(): string {
	const require = createRequire( import.meta.url );
	return join(
		dirname( require.resolve( '@wp-playground/cli/package.json' ) ),
		'wp-playground.js'
	);
}

/**
 * The Blueprint run once after WordPress is installed: activate WooCommerce and the plugin,
 * then run the demo's PHP set-up.
 *
 * @param source    Local directories or a download.
 * @param stateFile Path inside the VFS the set-up writes to.
 * @param offline   Block outgoing HTTP from WordPress (loopback stays allowed).
 * @param keycrmUrl
 */
export function demoBlueprint(
	source: WordPressSource,
	stateFile: string,
	offline: boolean,
	keycrmUrl: string
): object {
	const setup = [
		'<?php',
		"ini_set( 'display_errors', '1' );",
		'error_reporting( E_ALL & ~E_DEPRECATED & ~E_NOTICE );',
		`$keycrm_demo_state_file = ${ JSON.stringify( stateFile ) };`,
		`require ${ JSON.stringify( VFS.wordpress + '/wp-load.php' ) };`,
		`require ${ JSON.stringify( VFS.demo + '/php/setup.php' ) };`,
	].join( '\n' );
	return {
		// Playground takes the versions from a blueprint file, not from --php / --wp.
		preferredVersions: {
			php: PHP_VERSION,
			wp:
				source.kind === 'download'
					? ( source.wpZipUrl ?? 'latest' )
					: 'latest',
		},
		landingPage: '/wp-admin/admin.php?page=keycrm-sync',
		constants: {
			WP_ENVIRONMENT_TYPE: 'local',
			WP_DEBUG: true,
			WP_DEBUG_LOG: true,
			WP_DEBUG_DISPLAY: false,
			// The plugin's keyCRM (the emulator, or --keycrm-url), for the runner inside WordPress.
			KEYCRM_SYNC_API_URL: keycrmUrl,
			...( offline ? { WP_HTTP_BLOCK_EXTERNAL: true } : {} ),
		},
		plugins:
			source.kind === 'download'
				? [
						source.wcZipUrl === null
							? 'woocommerce'
							: { resource: 'url', url: source.wcZipUrl },
					]
				: [],
		steps: [
			...( source.kind === 'local'
				? [
						{
							step: 'activatePlugin',
							pluginPath: 'woocommerce/woocommerce.php',
						},
					]
				: [] ),
			{
				step: 'activatePlugin',
				pluginPath: 'keycrm-sync/keycrm-sync.php',
			},
			{ step: 'runPHP', code: setup },
		],
	};
}

/**
 * Copies a folder given by a path that may be (or pass through) a symlink: the copy holds real
 * files only, so nothing written into it reaches the source.
 *
 * @param from Source folder.
 * @param to   New folder.
 */
function copyFolder( from: string, to: string ): void {
	cpSync( realpathSync( from ), to, { recursive: true, dereference: true } );
}

/**
 * Prepares a fresh site directory and the Playground CLI arguments.
 *
 * In local mode WordPress core and WooCommerce are copied into the site directory and the
 * copies are mounted: Playground writes wp-config.php, the SQLite database and mount points into
 * WordPress, and it has no read-only mounts, so WP_CORE_DIR and WC_DIR are only ever read. Each
 * copy starts from the folder's real path and follows symlinks (a symlinked WP_CORE_DIR copied as
 * a symlink once let Playground write into the user's own WordPress).
 *
 * @param opts           Options.
 * @param opts.source    Local directories or a download.
 * @param opts.siteDir   Site directory (deleted and recreated).
 * @param opts.pluginDir The plugin folder of this repository.
 * @param opts.demoDir   scripts/demo (mounted for its PHP).
 * @param opts.port      Loopback port.
 * @param opts.keycrmUrl
 */
export function preparePlayground( opts: {
	source: WordPressSource;
	siteDir: string;
	pluginDir: string;
	demoDir: string;
	port: number;
	keycrmUrl: string;
} ): PlaygroundSite {
	const { source, siteDir, pluginDir, demoDir, port } = opts;
	rmSync( siteDir, { recursive: true, force: true } );
	const stateDir = join( siteDir, 'state' );
	mkdirSync( stateDir, { recursive: true } );
	const mounts: Array< [ string, string ] > = [];
	if ( source.kind === 'local' ) {
		const wordpress = join( siteDir, 'wordpress' );
		const woocommerce = join( siteDir, 'woocommerce' );
		copyFolder( source.wpCoreDir, wordpress );
		copyFolder( source.wcDir, woocommerce );
		mounts.push(
			[ wordpress, VFS.wordpress ],
			[ woocommerce, `${ VFS.plugins }/woocommerce` ]
		);
	}
	mounts.push(
		[ pluginDir, `${ VFS.plugins }/keycrm-sync` ],
		[ demoDir, VFS.demo ],
		// The demo's SQLite compatibility shim (see mu-plugins/keycrm-demo-sqlite-compat.php).
		[ join( demoDir, 'mu-plugins' ), VFS.muPlugins ],
		[ stateDir, VFS.state ]
	);
	const blueprintFile = join( siteDir, 'blueprint.json' );
	const blueprint = demoBlueprint(
		source,
		`${ VFS.state }/site.json`,
		source.kind === 'local',
		opts.keycrmUrl
	);
	writeFileSync( blueprintFile, JSON.stringify( blueprint, null, 2 ) );
	const args = [
		'server',
		`--port=${ port }`,
		`--site-url=http://127.0.0.1:${ port }`,
		`--php=${ PHP_VERSION }`,
		`--blueprint=${ blueprintFile }`,
		'--workers=2',
		...mounts.map(
			( [ host, vfs ] ) => `--mount-before-install=${ host }:${ vfs }`
		),
		...( source.kind === 'local'
			? [ '--wordpress-install-mode=install-from-existing-files' ]
			: [ `--wp=${ source.wpZipUrl ?? 'latest' }` ] ),
	];
	return {
		args,
		cliPath: playgroundCliPath(),
		stateFile: join( stateDir, 'site.json' ),
	};
}
