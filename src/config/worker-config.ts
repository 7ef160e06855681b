/**
 * Configuration of the `worker`, `sync` and `doctor` commands: flags first,
 * then environment variables (KEYCRM_SYNC_SITE, KEYCRM_SYNC_USER,
 * KEYCRM_SYNC_APP_PASSWORD, KEYCRM_API_URL, KEYCRM_API_KEY), validated with
 * zod into plain-words messages. Secrets are never echoed in messages.
 */
import * as z from 'zod';

export const DEFAULT_KEYCRM_URL = 'https://openapi.keycrm.app/v1';

const httpUrl = ( what: string, example: string ) =>
	z
		.string( { message: `${ what } is required` } )
		.trim()
		.min( 1, `${ what } is required` )
		.refine( ( v ) => {
			try {
				const u = new URL( v );
				return (
					( u.protocol === 'http:' || u.protocol === 'https:' ) &&
					u.hostname !== ''
				);
			} catch {
				return false;
			}
		}, `${ what } must be a full http(s) URL, e.g. ${ example }` )
		.transform( ( v ) => v.replace( /\/+$/, '' ) );

/** The validated configuration. */
export const WorkerConfig = z.object( {
	site: httpUrl( '--site (KEYCRM_SYNC_SITE)', 'https://shop.example' ),
	user: z
		.string( { message: '--user (KEYCRM_SYNC_USER) is required' } )
		.trim()
		.min( 1, '--user (KEYCRM_SYNC_USER) is required' ),
	appPassword: z
		.string( {
			message: '--app-password (KEYCRM_SYNC_APP_PASSWORD) is required',
		} )
		.min( 1, '--app-password (KEYCRM_SYNC_APP_PASSWORD) is required' ),
	keycrmUrl: httpUrl( '--keycrm-url (KEYCRM_API_URL)', DEFAULT_KEYCRM_URL ),
	/** Overrides the key stored in the plugin. */
	apiKey: z
		.string()
		.trim()
		.min( 1, '--api-key (KEYCRM_API_KEY) must not be empty' )
		.optional(),
	once: z.boolean(),
	batch: z
		.number()
		.int()
		.min( 1, '--batch must be 1..10000' )
		.max( 10_000, '--batch must be 1..10000' ),
	leaseSeconds: z
		.number()
		.int()
		.min( 30, '--lease-seconds must be 30..3600' )
		.max( 3600, '--lease-seconds must be 30..3600' ),
	/** Stock pushed for in-stock products that do not manage stock (null: not pushed). */
	untrackedStock: z.number().min( 0 ).nullable(),
} );
export type WorkerConfig = z.infer< typeof WorkerConfig >;

/** Raw values before validation (flags already merged over the environment). */
export interface RawWorkerConfig {
	site?: string;
	user?: string;
	appPassword?: string;
	keycrmUrl?: string;
	apiKey?: string;
	once?: boolean;
	batch?: number;
	leaseSeconds?: number;
	untrackedStock?: number | null;
}

/** A configuration problem, in plain words (one line per problem). */
export class ConfigError extends Error {
	override readonly name = 'ConfigError';
}

/**
 * Merge flags over the environment and validate.
 *
 * @param flags Values from flags (undefined = not given).
 * @param env   Environment variables.
 */
export function loadWorkerConfig(
	flags: RawWorkerConfig,
	env: NodeJS.ProcessEnv
): WorkerConfig {
	const envKey = env.KEYCRM_API_KEY?.trim();
	const parsed = WorkerConfig.safeParse( {
		site: flags.site ?? env.KEYCRM_SYNC_SITE,
		user: flags.user ?? env.KEYCRM_SYNC_USER,
		appPassword: flags.appPassword ?? env.KEYCRM_SYNC_APP_PASSWORD,
		keycrmUrl: flags.keycrmUrl ?? env.KEYCRM_API_URL ?? DEFAULT_KEYCRM_URL,
		apiKey: flags.apiKey ?? ( envKey ? envKey : undefined ),
		once: flags.once ?? false,
		batch: flags.batch ?? 2000,
		leaseSeconds: flags.leaseSeconds ?? 300,
		untrackedStock: flags.untrackedStock ?? null,
	} );
	if ( ! parsed.success ) {
		throw new ConfigError(
			[
				...new Set( parsed.error.issues.map( ( i ) => i.message ) ),
			].join( '\n' )
		);
	}
	return parsed.data;
}
