/**
 * The sender's client of the plugin's REST API (namespace keycrm-sync/v1):
 * ky with an application password (HTTP Basic), every response parsed with
 * the zod contract, WordPress errors sorted into typed errors with plain
 * messages. The application password is never logged or put in a message.
 */
import ky, { HTTPError, TimeoutError, type KyInstance } from 'ky';
import type { z } from 'zod';

import {
	AckRequest,
	AckResponse,
	ClaimRequest,
	ClaimResponse,
	ProblemsResponse,
	PublicSettings,
	RestError,
	StatusResponse,
} from '../contract/plugin-rest.js';

/** Base class of plugin client errors. */
export class PluginError extends Error {
	override name = 'PluginError';
	/** HTTP status when a response was received. */
	readonly status: number | undefined;
	/** WordPress error code when the body had one. */
	readonly code: string | undefined;
	constructor(
		message: string,
		opts: { status?: number; code?: string; cause?: unknown } = {}
	) {
		super(
			message,
			opts.cause === undefined ? undefined : { cause: opts.cause }
		);
		this.status = opts.status;
		this.code = opts.code;
	}
}
/** The site could not be reached (DNS, refused, timeout, TLS). */
export class PluginUnreachableError extends PluginError {
	override name = 'PluginUnreachableError';
}
/** 401/403: the login or application password was rejected, or the user lacks rights. */
export class PluginAuthError extends PluginError {
	override name = 'PluginAuthError';
}
/** 404 rest_no_route: the plugin is not active on the site. */
export class PluginMissingError extends PluginError {
	override name = 'PluginMissingError';
}
/** Any other failure (5xx, unexpected body). */
export class PluginHttpError extends PluginError {
	override name = 'PluginHttpError';
}

/** Options of the plugin client. */
export interface PluginClientOptions {
	/** Site URL, e.g. https://shop.example. */
	siteUrl: string;
	user: string;
	appPassword: string;
	/** Per-request timeout (ms, default 60000). */
	timeoutMs?: number;
	/** fetch implementation (default global). */
	fetch?: typeof globalThis.fetch;
	signal?: AbortSignal;
}

/**
 * The REST root of the plugin for a site URL.
 *
 * @param siteUrl Site URL.
 */
export function pluginRestRoot( siteUrl: string ): string {
	return `${ siteUrl.replace( /\/+$/, '' ) }/wp-json/keycrm-sync/v1/`;
}

/**
 * Turn a ky/network failure into a typed plugin error.
 *
 * @param error Anything thrown by ky.
 * @param site  Site URL (for messages).
 */
async function classify(
	error: unknown,
	site: string
): Promise< PluginError > {
	if ( error instanceof HTTPError ) {
		const status = error.response.status;
		const body = RestError.safeParse(
			await error.response.json().catch( () => null )
		);
		const code = body.success ? body.data.code : undefined;
		const detail = body.success ? body.data.message : `HTTP ${ status }`;
		if (
			status === 404 &&
			( code === 'rest_no_route' || ! body.success )
		) {
			return new PluginMissingError(
				`The keyCRM Sync plugin does not answer at ${ site } (is it installed and active?): ${ detail }`,
				{ status, code }
			);
		}
		if ( status === 401 || status === 403 ) {
			return new PluginAuthError(
				`WordPress rejected the login or application password (${ status }): ${ detail }`,
				{ status, code }
			);
		}
		return new PluginHttpError(
			`The site answered ${ status }: ${ detail }`,
			{ status, code }
		);
	}
	if ( error instanceof PluginError ) {
		return error;
	}
	let reason = String( error );
	if ( error instanceof TimeoutError ) {
		reason = 'timed out';
	} else if ( error instanceof Error ) {
		reason = error.message;
	}
	return new PluginUnreachableError( `Cannot reach ${ site }: ${ reason }`, {
		cause: error,
	} );
}

/** The plugin client. */
export class PluginClient {
	private readonly http: KyInstance;
	private readonly site: string;

	constructor( opts: PluginClientOptions ) {
		this.site = opts.siteUrl;
		const auth = `Basic ${ Buffer.from( `${ opts.user }:${ opts.appPassword }` ).toString( 'base64' ) }`;
		this.http = ky.create( {
			prefixUrl: pluginRestRoot( opts.siteUrl ),
			timeout: opts.timeoutMs ?? 60_000,
			retry: {
				limit: 2,
				methods: [ 'get', 'post' ],
				statusCodes: [ 502, 503, 504 ],
				backoffLimit: 5000,
			},
			headers: { Authorization: auth, Accept: 'application/json' },
			fetch: opts.fetch,
			signal: opts.signal,
		} );
	}

	/**
	 * Send a request and parse the answer.
	 *
	 * @param method HTTP method.
	 * @param path   Route under the namespace.
	 * @param schema Response schema.
	 * @param json   JSON body.
	 */
	private async call< T >(
		method: 'get' | 'post',
		path: string,
		schema: z.ZodType< T >,
		json?: unknown
	): Promise< T > {
		let body: unknown;
		try {
			body = await this.http( path, { method, json } ).json();
		} catch ( error ) {
			throw await classify( error, this.site );
		}
		const parsed = schema.safeParse( body );
		if ( ! parsed.success ) {
			const issue = parsed.error.issues[ 0 ];
			throw new PluginHttpError(
				`Unexpected answer from ${ path }: ${ issue?.path.join( '.' ) ?? '' } ${ issue?.message ?? '' }`.trim()
			);
		}
		return parsed.data;
	}

	/**
	 * POST /worker/claim: lease due SKUs with their current values.
	 *
	 * @param req Claim request.
	 */
	claim( req: ClaimRequest ): Promise< ClaimResponse > {
		return this.call(
			'post',
			'worker/claim',
			ClaimResponse,
			ClaimRequest.parse( req )
		);
	}

	/**
	 * POST /worker/ack: per-SKU outcomes of a lease.
	 *
	 * @param req Ack request.
	 */
	ack( req: AckRequest ): Promise< AckResponse > {
		return this.call(
			'post',
			'worker/ack',
			AckResponse,
			AckRequest.parse( req )
		);
	}

	/** GET /status (admin route; application passwords authenticate as their user). */
	status(): Promise< StatusResponse > {
		return this.call( 'get', 'status', StatusResponse );
	}

	/** GET /settings (admin route; the API key itself is never returned). */
	settings(): Promise< PublicSettings > {
		return this.call( 'get', 'settings', PublicSettings );
	}

	/** GET /problems, first page (admin route). */
	problems(): Promise< ProblemsResponse > {
		return this.call( 'get', 'problems?per_page=20', ProblemsResponse );
	}
}
