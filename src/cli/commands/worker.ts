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
import {
	CliUsageError,
	type CliCommand,
	type CliContext,
	type CliOptions,
} from '../types.js';

export const SENDER_VERSION = '0.1.0';

const OPTIONS_HELP = `Options:
  --site URL             The shop's URL (env KEYCRM_SYNC_SITE)
  --user LOGIN           WordPress user of the application password (env KEYCRM_SYNC_USER)
  --app-password PW      WordPress application password (env KEYCRM_SYNC_APP_PASSWORD)
  --keycrm-url URL       keyCRM API root (env KEYCRM_API_URL; default https://openapi.keycrm.app/v1)
  --api-key K            keyCRM API key; overrides the plugin's (env KEYCRM_API_KEY)
  --batch N              Most SKUs per claim (1..10000, default 2000)
  --lease-seconds N      Lease of claimed SKUs (30..3600, default 300)
  --untracked-stock N    Stock sent for in-stock products that do not manage stock
                         (overrides the plugin setting)
                         (default: not sent; out-of-stock ones always get 0)
  --log-level L          debug, info, warn or error (default info); logs are JSON lines on stderr
  -h, --help             Show this help`;

const WORKER_HELP = `Usage: keycrm-sync worker --site URL --user LOGIN --app-password PW [options]

Claim changed SKUs from the keyCRM Sync plugin and send them to keyCRM with the
fewest requests, within keyCRM's rate limit, until SIGINT/SIGTERM (which lets
the batch in hand finish or releases it).

  --once                 Exit when nothing is left to send
${ OPTIONS_HELP }
`;

const SYNC_HELP = `Usage: keycrm-sync sync --once --site URL --user LOGIN --app-password PW [options]

Send everything that is waiting once, then exit (the same as "worker --once").

${ OPTIONS_HELP }
`;

const OPTIONS: CliOptions = {
	site: { type: 'string' },
	user: { type: 'string' },
	'app-password': { type: 'string' },
	'keycrm-url': { type: 'string' },
	'api-key': { type: 'string' },
	once: { type: 'boolean' },
	batch: { type: 'string' },
	'lease-seconds': { type: 'string' },
	'untracked-stock': { type: 'string' },
	'log-level': { type: 'string' },
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

export const workerCommand: CliCommand = {
	name: 'worker',
	summary: 'Send shop changes to keyCRM continuously (or --once)',
	help: WORKER_HELP,
	options: OPTIONS,
	run: ( ctx ) => runWorker( ctx, false ),
};

export const syncCommand: CliCommand = {
	name: 'sync',
	summary:
		'Send everything waiting to keyCRM once, then exit (worker --once)',
	help: SYNC_HELP,
	options: OPTIONS,
	run: ( ctx ) => runWorker( ctx, true ),
};
