/**
 * `keycrm-sync worker` (and `keycrm-sync sync`, the same with --once): drain
 * the plugin's outbox into keyCRM until stopped.
 */
import {
	ConfigError,
	loadWorkerConfig,
	type WorkerConfig,
} from '../../config/worker-config.js';
import { createKeyCrmClient } from '../../keycrm/client.js';
import { jsonLogger, type LogLevel } from '../../sender/logger.js';
import { Worker, WorkerFatalError } from '../../sender/worker.js';
import { systemClock } from '../../util/clock.js';
import { PluginClient } from '../../wordpress/plugin-client.js';
import { optFlag, optInt, optString } from '../options.js';
import { defineCommand, type OptionSpec } from '../define.js';
import { CliUsageError, type CliCommand, type CliContext } from '../types.js';

export const SENDER_VERSION = '0.1.0';

/** The options of `worker` and `sync` (`--once` first). */
const OPTIONS: Record< string, OptionSpec > = {
	once: {
		type: 'boolean',
		help: 'Exit when nothing is left to send',
	},
	site: {
		type: 'string',
		value: 'URL',
		help: "The shop's URL (env KEYCRM_SYNC_SITE)",
	},
	user: {
		type: 'string',
		value: 'LOGIN',
		help: 'WordPress user of the application password (env KEYCRM_SYNC_USER)',
	},
	'app-password': {
		type: 'string',
		value: 'PW',
		help: 'WordPress application password (env KEYCRM_SYNC_APP_PASSWORD)',
	},
	'keycrm-url': {
		type: 'string',
		value: 'URL',
		help: 'keyCRM API root (env KEYCRM_API_URL; default https://openapi.keycrm.app/v1)',
	},
	'api-key': {
		type: 'string',
		value: 'K',
		help: "keyCRM API key; overrides the plugin's (env KEYCRM_API_KEY)",
	},
	batch: {
		type: 'string',
		value: 'N',
		help: 'Most SKUs per claim (1..10000, default 2000)',
	},
	'lease-seconds': {
		type: 'string',
		value: 'N',
		help: 'Lease of claimed SKUs (30..3600, default 300)',
	},
	'untracked-stock': {
		type: 'string',
		value: 'N',
		help: [
			'Stock sent for in-stock products that do not manage stock',
			'(overrides the plugin setting)',
			'(default: not sent; out-of-stock ones always get 0)',
		].join( '\n' ),
	},
	'log-level': {
		type: 'string',
		value: 'L',
		help: 'debug, info, warn or error (default info); logs are JSON lines on stderr',
	},
};

/**
 * Read and validate the configuration; bad input is a usage error (exit 2).
 *
 * @param ctx  Command context.
 * @param once Force --once.
 */
export function configFrom( ctx: CliContext, once: boolean ): WorkerConfig {
	const v = ctx.values;
	try {
		return loadWorkerConfig(
			{
				site: optString( v, 'site' ),
				user: optString( v, 'user' ),
				appPassword: optString( v, 'app-password' ),
				keycrmUrl: optString( v, 'keycrm-url' ),
				apiKey: optString( v, 'api-key' ),
				once: once || optFlag( v, 'once' ),
				batch: optInt( v, 'batch', undefined ),
				leaseSeconds: optInt( v, 'lease-seconds', undefined ),
				untrackedStock:
					optInt( v, 'untracked-stock', undefined, 0 ) ?? null,
			},
			ctx.env
		);
	} catch ( error ) {
		if ( error instanceof ConfigError ) {
			throw new CliUsageError( error.message );
		}
		throw error;
	}
}

/**
 * The log level flag.
 *
 * @param ctx Command context.
 */
function logLevel( ctx: CliContext ): LogLevel {
	const level = optString( ctx.values, 'log-level', 'info' ) as string;
	if ( ! [ 'debug', 'info', 'warn', 'error' ].includes( level ) ) {
		throw new CliUsageError(
			`--log-level must be debug, info, warn or error, got "${ level }"`
		);
	}
	return level as LogLevel;
}

/**
 * Run the worker.
 *
 * @param ctx  Command context.
 * @param once Force --once.
 */
async function runWorker( ctx: CliContext, once: boolean ): Promise< number > {
	const config = configFrom( ctx, once );
	const logger = jsonLogger( ctx.stderr, logLevel( ctx ) );
	const tty = ( ctx.stdout as NodeJS.WriteStream ).isTTY === true;
	const worker = new Worker( {
		plugin: new PluginClient( {
			siteUrl: config.site,
			user: config.user,
			appPassword: config.appPassword,
		} ),
		makeClient: ( apiKey, ratePerMinute, signal ) =>
			createKeyCrmClient( {
				baseUrl: config.keycrmUrl,
				apiKey,
				ratePerMinute,
				clock: systemClock,
				signal,
			} ),
		site: {
			siteUrl: config.site,
			user: config.user,
			appPassword: config.appPassword,
		},
		clock: systemClock,
		logger,
		apiKey: config.apiKey,
		batch: config.batch,
		leaseSeconds: config.leaseSeconds,
		once: config.once,
		version: SENDER_VERSION,
		desired: { untrackedStock: config.untrackedStock },
		onProgress: tty
			? ( line ) => ctx.stdout.write( `\r\x1b[K${ line }` )
			: undefined,
	} );
	logger.log( 'info', 'worker started', {
		site: config.site,
		keycrm: config.keycrmUrl,
		once: config.once,
		batch: config.batch,
	} );
	try {
		await worker.run( ctx.signal );
	} catch ( error ) {
		if ( error instanceof WorkerFatalError ) {
			ctx.stderr.write( `keycrm-sync: ${ error.message }\n` );
			return 1;
		}
		throw error;
	} finally {
		if ( tty ) {
			ctx.stdout.write( '\n' );
		}
	}
	logger.log( 'info', 'worker stopped', {
		synced: worker.metrics.synced,
		failed: worker.metrics.failed,
		requests: worker.metrics.requests,
	} );
	return 0;
}

export const workerCommand: CliCommand = defineCommand( {
	name: 'worker',
	summary: 'Send shop changes to keyCRM continuously (or --once)',
	usage: '--site URL --user LOGIN --app-password PW [options]',
	about: `Claim changed SKUs from the keyCRM Sync plugin and send them to keyCRM with the
fewest requests, within keyCRM's rate limit, until SIGINT/SIGTERM (which lets
the batch in hand finish or releases it).`,
	options: OPTIONS,
	run: ( ctx ) => runWorker( ctx, false ),
} );

export const syncCommand: CliCommand = defineCommand( {
	name: 'sync',
	summary:
		'Send everything waiting to keyCRM once, then exit (worker --once)',
	usage: '--once --site URL --user LOGIN --app-password PW [options]',
	about: 'Send everything that is waiting once, then exit (the same as "worker --once").',
	options: OPTIONS,
	run: ( ctx ) => runWorker( ctx, true ),
} );
