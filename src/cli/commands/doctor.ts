/**
 * `keycrm-sync doctor`: check, and explain in plain words, everything the
 * sender needs: the site, the plugin, the credentials, the keyCRM key, the
 * warehouse, and SKU problems.
 */
import ky from 'ky';
import * as z from 'zod';

import type { WorkerConfig } from '../../config/worker-config.js';
import type { ProblemsResponse } from '../../contract/plugin-rest.js';
import { createKeyCrmClient } from '../../keycrm/client.js';
import { KeyCrmAuthError } from '../../keycrm/errors.js';
import { systemClock } from '../../util/clock.js';
import {
	PluginAuthError,
	PluginClient,
} from '../../wordpress/plugin-client.js';
import { defineCommand } from '../define.js';
import type { CliCommand, CliContext } from '../types.js';
import { configFrom } from './worker.js';

const RestIndex = z.object( { namespaces: z.array( z.string() ) } );

/** One check's verdict. */
type Verdict = { ok: boolean; text: string };

/** Writes verdicts and remembers whether any failed. */
class Report {
	failed = false;
	constructor( private readonly out: NodeJS.WritableStream ) {}
	add( label: string, v: Verdict ): boolean {
		this.failed ||= ! v.ok;
		this.out.write( `${ v.ok ? '✓' : '✗' } ${ label }: ${ v.text }\n` );
		return v.ok;
	}
}

/**
 * Check the site answers and the plugin's namespace is registered.
 *
 * @param config Configuration.
 * @param r      Report.
 */
async function checkSite(
	config: WorkerConfig,
	r: Report
): Promise< boolean > {
	let index: z.infer< typeof RestIndex >;
	try {
		index = RestIndex.parse(
			await ky
				.get( `${ config.site }/wp-json/`, {
					timeout: 15_000,
					retry: 0,
				} )
				.json()
		);
	} catch ( error ) {
		const why = error instanceof Error ? error.message : String( error );
		return r.add( 'Site', {
			ok: false,
			text: `cannot read the WordPress REST API at ${ config.site }/wp-json/ (${ why }). Check the URL and that the site is up.`,
		} );
	}
	r.add( 'Site', { ok: true, text: `${ config.site } answers` } );
	const present = index.namespaces.includes( 'keycrm-sync/v1' );
	return r.add( 'Plugin', {
		ok: present,
		text: present
			? 'keyCRM Sync is active'
			: 'keyCRM Sync is not active on this site: install and activate the plugin.',
	} );
}

/**
 * Check the keyCRM key with one cheap request.
 *
 * @param config Configuration.
 * @param key    The key.
 * @param r      Report.
 */
async function checkKeyCrm(
	config: WorkerConfig,
	key: string,
	r: Report
): Promise< void > {
	const client = createKeyCrmClient( {
		baseUrl: config.keycrmUrl,
		apiKey: key,
		clock: systemClock,
		maxRetries: 1,
		timeoutMs: 20_000,
	} );
	try {
		const page = await client.listOffers( { limit: 1 } );
		r.add( 'keyCRM key', {
			ok: true,
			text: `accepted by ${ config.keycrmUrl } (${ page.total } offers in the account)`,
		} );
	} catch ( error ) {
		const text =
			error instanceof KeyCrmAuthError
				? 'keyCRM rejected the API key. Generate one in keyCRM (Settings → General → API key) and save it in the plugin settings.'
				: `cannot use keyCRM at ${ config.keycrmUrl }: ${ error instanceof Error ? error.message : String( error ) }`;
		r.add( 'keyCRM key', { ok: false, text } );
	}
}

/**
 * Run every check.
 *
 * @param ctx Context.
 */
async function runDoctor( ctx: CliContext ): Promise< number > {
	const config = configFrom( ctx, true );
	const r = new Report( ctx.stdout );
	if ( ! ( await checkSite( config, r ) ) ) {
		return 1;
	}
	const plugin = new PluginClient( {
		siteUrl: config.site,
		user: config.user,
		appPassword: config.appPassword,
		timeoutMs: 20_000,
	} );
	// GET /worker/settings leases nothing and leaves the heartbeat alone: running doctor
	// never shows "sender online" nor holds SKUs back.
	let read;
	try {
		read = await plugin.senderSettings();
	} catch ( error ) {
		const auth = error instanceof PluginAuthError;
		r.add( 'Credentials', {
			ok: false,
			text: auth
				? `WordPress rejected user "${ config.user }" with this application password (or the user is not the keyCRM Sync sender). Create the sender user and its application password on WooCommerce → keyCRM Sync → Settings.`
				: `the plugin did not answer: ${ error instanceof Error ? error.message : String( error ) }`,
		} );
		return 1;
	}
	r.add( 'Credentials', {
		ok: true,
		text: `user "${ config.user }" accepted`,
	} );
	const { settings, problems } = read;
	r.add(
		'Warehouse',
		settings.warehouse_id === null
			? {
					ok: false,
					text: 'no keyCRM warehouse is set, so stock cannot be sent: choose one in WooCommerce → keyCRM Sync → Settings.',
				}
			: {
					ok: true,
					text: `stock goes to keyCRM warehouse #${ settings.warehouse_id }`,
				}
	);
	const key = config.apiKey || settings.api_key;
	if ( key === '' ) {
		r.add( 'keyCRM key', {
			ok: false,
			text: 'no API key is set: save it in the plugin settings or pass --api-key.',
		} );
	} else {
		await checkKeyCrm( config, key, r );
	}
	reportProblems( problems, r );
	return r.failed ? 1 : 0;
}

/**
 * List SKU problems (missing, duplicate, unusable SKUs).
 *
 * @param p First page of problems.
 * @param r Report.
 */
function reportProblems( p: ProblemsResponse, r: Report ): void {
	const lines = p.problems
		.slice( 0, 5 )
		.map(
			( x ) =>
				`\n    - ${ x.sku === '' ? '(no SKU)' : x.sku } · ${ x.product_name }: ${ x.detail }`
		);
	r.add(
		'SKUs',
		p.total === 0
			? { ok: true, text: 'no SKU problems' }
			: {
					ok: false,
					text: `${ p.total } product(s) cannot be synced until their SKU is fixed:${ lines.join( '' ) }${ p.total > 5 ? '\n    …' : '' }`,
				}
	);
}

export const doctorCommand: CliCommand = defineCommand( {
	name: 'doctor',
	summary:
		'Check the site, plugin, credentials, keyCRM key, warehouse and SKUs',
	usage: '--site URL --user LOGIN --app-password PW [options]',
	about: `Check that the sender can work, and explain what is wrong in plain words:
site reachable, plugin active, credentials accepted, keyCRM key valid (one
cheap request), warehouse set, SKU problems. Exit code 0 when all is well.`,
	options: {
		site: {
			type: 'string',
			value: 'URL',
			help: "The shop's URL (env KEYCRM_SYNC_SITE)",
		},
		user: {
			type: 'string',
			value: 'LOGIN',
			help: 'WordPress user (env KEYCRM_SYNC_USER)',
		},
		'app-password': {
			type: 'string',
			value: 'PW',
			help: 'Application password (env KEYCRM_SYNC_APP_PASSWORD)',
		},
		'keycrm-url': {
			type: 'string',
			value: 'URL',
			help: 'keyCRM API root (env KEYCRM_API_URL)',
		},
		'api-key': {
			type: 'string',
			value: 'K',
			help: "keyCRM API key to check instead of the plugin's (env KEYCRM_API_KEY)",
		},
	},
	run: runDoctor,
} );
