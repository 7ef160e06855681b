/**
 * `npm start`: the demo. Starts on loopback the keyCRM emulator (unless --keycrm-url), a
 * WordPress + WooCommerce shop with this plugin (WordPress Playground), and the sender, wired
 * together; prints where to look; Ctrl-C stops everything.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import {
	answers,
	basicAuth,
	configurePlugin,
	createWebhookUrl,
	DemoStartError,
	fileExists,
	setEmulatorWebhook,
	SiteState,
	waitUntil,
} from './http.js';
import {
	DemoUsageError,
	parseDemoOptions,
	USAGE,
	type DemoOptions,
} from './options.js';
import { preparePlayground } from './playground.js';
import {
	startNode,
	stopChild,
	type Child,
	type LineSink,
} from './processes.js';
import {
	resolveWordPressSource,
	WordPressUnavailableError,
	type WordPressSource,
} from './wordpress-source.js';

const DEMO_DIR = dirname( fileURLToPath( import.meta.url ) );
const ROOT = resolve( DEMO_DIR, '..', '..' );
const CLI = join( ROOT, 'dist', 'cli.js' );

const sink: LineSink = ( name, line ) =>
	process.stdout.write( `[${ name }] ${ line }\n` );
const say = ( line: string ): void => {
	process.stdout.write( `[demo] ${ line }\n` );
};

/** Children in start order; stopped in reverse. */
const children: Child[] = [];

async function startEmulator( opts: DemoOptions ): Promise< string > {
	const url = `http://127.0.0.1:${ opts.emulatorPort }`;
	const child = startNode(
		'emulator',
		CLI,
		[
			'emulator',
			'--host',
			'127.0.0.1',
			'--port',
			String( opts.emulatorPort ),
			'--api-key',
			opts.apiKey,
		],
		sink
	);
	children.push( child );
	await waitUntil( 'keyCRM emulator', answers( `${ url }/` ), child, 30_000 );
	return url;
}

async function startShop(
	opts: DemoOptions,
	source: WordPressSource,
	keycrmUrl: string
): Promise< SiteState > {
	say(
		source.kind === 'local'
			? `WordPress from ${ source.wpCoreDir }, WooCommerce from ${ source.wcDir }`
			: `WordPress and WooCommerce: downloading (no local WP_CORE_DIR / WC_DIR) from ${ source.wpZipUrl ?? 'wordpress.org' } and ${ source.wcZipUrl ?? 'wordpress.org' }`
	);
	const site = preparePlayground( {
		source,
		siteDir: opts.siteDir,
		pluginDir: join( ROOT, 'plugin' ),
		keycrmUrl,
		demoDir: DEMO_DIR,
		port: opts.port,
	} );
	say(
		`starting the shop with WordPress Playground in ${ opts.siteDir } (first start takes a minute)`
	);
	const loopbackOnly = join( DEMO_DIR, 'loopback-only.mjs' );
	const child = startNode( 'shop', site.cliPath, site.args, sink, {}, [
		'--import',
		loopbackOnly,
	] );
	children.push( child );
	const timeout = opts.bootTimeout * 1000;
	await waitUntil(
		'shop set-up',
		fileExists( site.stateFile ),
		child,
		timeout
	);
	await waitUntil(
		'shop',
		answers( `http://127.0.0.1:${ opts.port }/wp-login.php` ),
		child,
		timeout
	);
	return SiteState.parse(
		JSON.parse( readFileSync( site.stateFile, 'utf8' ) )
	);
}

function startSender(
	siteUrl: string,
	state: SiteState,
	keycrmUrl: string
): void {
	const child = startNode(
		'sender',
		CLI,
		[
			'worker',
			'--site',
			siteUrl,
			'--user',
			state.admin_user,
			'--keycrm-url',
			keycrmUrl,
		],
		sink,
		// The application password goes through the environment, not the process list.
		{ KEYCRM_SYNC_APP_PASSWORD: state.app_password }
	);
	children.push( child );
}

function printBanner( info: Record< string, string > ): void {
	const width = Math.max( ...Object.keys( info ).map( ( k ) => k.length ) );
	const lines = Object.entries( info ).map(
		( [ k, v ] ) => `  ${ k.padEnd( width ) }  ${ v }`
	);
	process.stdout.write(
		`\n${ lines.join( '\n' ) }\n\n  Ctrl-C stops everything.\n\n`
	);
}

async function run( opts: DemoOptions ): Promise< void > {
	if ( ! existsSync( CLI ) ) {
		throw new DemoStartError(
			`${ CLI } is missing: run \`npm run build\` (or start with \`npm start\`)`
		);
	}
	const source = await resolveWordPressSource( opts.wpCoreDir, opts.wcDir, {
		wp: opts.wpZipUrl,
		wc: opts.wcZipUrl,
	} );
	const emulatorUrl =
		opts.keycrmUrl === null ? await startEmulator( opts ) : null;
	const keycrmUrl = opts.keycrmUrl ?? `${ emulatorUrl ?? '' }/v1`;
	const state = await startShop( opts, source, keycrmUrl );
	const siteUrl = `http://127.0.0.1:${ opts.port }`;
	const auth = basicAuth( state.admin_user, state.app_password );
	await configurePlugin( siteUrl, auth, {
		api_key: opts.apiKey,
		warehouse_id: opts.warehouseId,
	} );
	if ( emulatorUrl !== null ) {
		// keyCRM → shop: the emulator posts its stock changes to the plugin's webhook.
		await setEmulatorWebhook(
			emulatorUrl,
			await createWebhookUrl( siteUrl, auth )
		);
	}
	if ( ! opts.noSender ) {
		startSender( siteUrl, state, keycrmUrl );
	}
	const info: Record< string, string > = {
		Shop: `${ siteUrl }/`,
		'wp-admin': `${ siteUrl }/wp-admin/  (login ${ state.admin_user } / ${ state.admin_password })`,
		'keyCRM Sync': `${ siteUrl }/wp-admin/admin.php?page=keycrm-sync`,
		keyCRM: emulatorUrl
			? `${ emulatorUrl }/  (emulator, API ${ keycrmUrl }, key ${ opts.apiKey })`
			: keycrmUrl,
		Sender: opts.noSender
			? 'not started (--no-sender)'
			: `running (application password in ${ opts.siteDir }/demo.json)`,
		Products: state.products
			.map( ( p ) => p.sku || '(no SKU)' )
			.join( ', ' ),
	};
	writeFileSync(
		join( opts.siteDir, 'demo.json' ),
		JSON.stringify(
			{
				site_url: siteUrl,
				emulator_url: emulatorUrl,
				keycrm_url: keycrmUrl,
				api_key: opts.apiKey,
				...state,
			},
			null,
			2
		),
		{ mode: 0o600 }
	);
	printBanner( info );
	say( 'ready' );
}

async function shutdown( code: number ): Promise< never > {
	for ( const child of [ ...children ].reverse() ) {
		await stopChild( child, child.name === 'sender' ? 20_000 : 10_000 );
	}
	process.exit( code );
}

async function main(): Promise< void > {
	let opts: DemoOptions | 'help';
	try {
		opts = parseDemoOptions( process.argv.slice( 2 ), process.env );
	} catch ( error ) {
		process.stderr.write(
			`demo: ${ error instanceof DemoUsageError ? error.message : String( error ) }\n\n${ USAGE }`
		);
		process.exit( 2 );
	}
	if ( opts === 'help' ) {
		process.stdout.write( USAGE );
		return;
	}
	let stopping = false;
	const stop = ( why: string, code: number ): void => {
		if ( ! stopping ) {
			stopping = true;
			say( `${ why }: stopping…` );
			void shutdown( code );
		}
	};
	process.on( 'SIGINT', () => stop( 'Ctrl-C', 0 ) );
	process.on( 'SIGTERM', () => stop( 'SIGTERM', 0 ) );
	try {
		await run( opts );
	} catch ( error ) {
		const known =
			error instanceof DemoStartError ||
			error instanceof WordPressUnavailableError;
		process.stderr.write(
			`\ndemo: ${ known ? error.message : String( error instanceof Error ? error.stack : error ) }\n`
		);
		stop( 'start failed', 1 );
		return;
	}
	for ( const child of children ) {
		void child.exited.then( ( exitCode ) =>
			stop( `${ child.name } exited (${ String( exitCode ) })`, 1 )
		);
	}
}

void main();
