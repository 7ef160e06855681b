/**
 * Command-line options of the demo (`npm start -- --help`).
 */
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as z from 'zod';

import { describeIssues } from '@keycrm-sync/contract';

/** Demo settings after parsing and validation. */
export const DemoOptions = z.object( {
	/** Loopback port of the WordPress shop. */
	port: z.number().int().min( 1 ).max( 65535 ),
	/** Loopback port of the keyCRM emulator (unused with --keycrm-url). */
	emulatorPort: z.number().int().min( 1 ).max( 65535 ),
	/** A real keyCRM base URL (e.g. https://openapi.keycrm.app/v1); null = the emulator. */
	keycrmUrl: z.url().nullable(),
	/** keyCRM API key stored in the plugin's settings. */
	apiKey: z.string().min( 1 ),
	/** keyCRM warehouse that stock is written to. */
	warehouseId: z.number().int().positive(),
	/** WordPress core directory used when offline. */
	wpCoreDir: z.string().min( 1 ),
	/** Built WooCommerce plugin directory used when offline. */
	wcDir: z.string().min( 1 ),
	/** Where Playground downloads WordPress from without WP_CORE_DIR (a release zip URL). */
	wpZipUrl: z.url().nullable(),
	/** Where Playground downloads WooCommerce from without WC_DIR (a plugin zip URL). */
	wcZipUrl: z.url().nullable(),
	/** Where the demo site (files + SQLite database) lives; recreated on every start. */
	siteDir: z.string().min( 1 ),
	/** Start the shop and the emulator, but no sender (tests drive the sender themselves). */
	noSender: z.boolean(),
	/** Seconds allowed for the shop to come up. */
	bootTimeout: z.number().int().positive(),
} );
export type DemoOptions = z.infer< typeof DemoOptions >;

/** Thrown for bad flags; the message is meant for the user. */
export class DemoUsageError extends Error {}

export const USAGE = `Usage: npm start -- [options]

Starts a demo on loopback: a WordPress + WooCommerce shop with keyCRM Sync active (WordPress
Playground: PHP in WebAssembly, SQLite), the keyCRM emulator, and the sender. Ctrl-C stops it.

Options:
  --port N             shop port (default 9400)
  --emulator-port N    keyCRM emulator port (default 9401)
  --keycrm-url URL     use a real keyCRM instead of the emulator (e.g. https://openapi.keycrm.app/v1)
  --api-key KEY        keyCRM API key (required with --keycrm-url; the emulator's key otherwise)
  --warehouse-id N     keyCRM warehouse for stock (default 1)
  --site-dir DIR       where the demo site lives (default: <tmp>/keycrm-sync-demo-<port>)
  --no-sender          do not start the sender
  --boot-timeout S     seconds allowed for the shop to start (default 300)
  --help               this text

Environment: WP_CORE_DIR, WC_DIR (local WordPress core and built WooCommerce, used instead of a
download; default ~/.cache/wp-test-env/wordpress and ~/.cache/wp-test-env/woocommerce; only read,
the demo runs copies). Without them: KEYCRM_DEMO_WP_ZIP_URL, KEYCRM_DEMO_WC_ZIP_URL (zips to
download instead of the latest WordPress and WooCommerce from wordpress.org).
`;

const DEMO_EMULATOR_KEY = 'demo-api-key';

/**
 * Parses the demo's argv.
 *
 * @param argv Arguments after the script name.
 * @param env  Environment (WP_CORE_DIR, WC_DIR, KEYCRM_DEMO_WP_ZIP_URL, KEYCRM_DEMO_WC_ZIP_URL).
 * @return The options, or 'help' when --help was given.
 */
export function parseDemoOptions(
	argv: string[],
	env: NodeJS.ProcessEnv
): DemoOptions | 'help' {
	let values;
	try {
		( { values } = parseArgs( {
			args: argv,
			strict: true,
			options: {
				port: { type: 'string' },
				'emulator-port': { type: 'string' },
				'keycrm-url': { type: 'string' },
				'api-key': { type: 'string' },
				'warehouse-id': { type: 'string' },
				'site-dir': { type: 'string' },
				'no-sender': { type: 'boolean' },
				'boot-timeout': { type: 'string' },
				help: { type: 'boolean' },
			},
		} ) );
	} catch ( error ) {
		throw new DemoUsageError(
			error instanceof Error ? error.message : String( error )
		);
	}
	if ( values.help ) {
		return 'help';
	}
	const keycrmUrl = values[ 'keycrm-url' ] ?? null;
	if ( keycrmUrl !== null && ! values[ 'api-key' ] ) {
		throw new DemoUsageError(
			'--keycrm-url needs --api-key (the key of that keyCRM account)'
		);
	}
	const port = Number( values.port ?? '9400' );
	const cache = join( homedir(), '.cache', 'wp-test-env' );
	const parsed = DemoOptions.safeParse( {
		port,
		emulatorPort: Number( values[ 'emulator-port' ] ?? '9401' ),
		keycrmUrl,
		apiKey: values[ 'api-key' ] ?? DEMO_EMULATOR_KEY,
		warehouseId: Number( values[ 'warehouse-id' ] ?? '1' ),
		wpCoreDir: env.WP_CORE_DIR || join( cache, 'wordpress' ),
		wcDir: env.WC_DIR || join( cache, 'woocommerce' ),
		wpZipUrl: env.KEYCRM_DEMO_WP_ZIP_URL || null,
		wcZipUrl: env.KEYCRM_DEMO_WC_ZIP_URL || null,
		siteDir:
			values[ 'site-dir' ] ??
			join( tmpdir(), `keycrm-sync-demo-${ port }` ),
		noSender: values[ 'no-sender' ] ?? false,
		bootTimeout: Number( values[ 'boot-timeout' ] ?? '300' ),
	} );
	if ( ! parsed.success ) {
		throw new DemoUsageError(
			`bad option ${ describeIssues( parsed.error.issues ) }`
		);
	}
	return parsed.data;
}
