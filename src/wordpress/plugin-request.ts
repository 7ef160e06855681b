/**
 * The request machinery shared by the sender's clients of the plugin's REST
 * API (namespace keycrm-sync/v1): ky with an application password (HTTP
 * Basic), every response parsed with a zod schema, WordPress errors sorted
 * into typed errors with plain messages. The application password is never
 * logged or put in a message.
 */
import ky, { HTTPError, TimeoutError, type KyInstance } from 'ky';
import * as z from 'zod';

import { RestError } from '../contract/plugin-rest.js';
import { describeIssues } from '../util/zod-issues.js';

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

/** Options of a plugin client. */
export interface PluginClientOptions {
	/** Site URL, e.g. https://shop.example. */
	siteUrl: string;
	user: string;
	appPassword: string;
	/** Per-request timeout (ms; each client has its own default). */
	timeoutMs?: number;
	/** fetch implementation (default global). */
	fetch?: typeof globalThis.fetch;
	signal?: AbortSignal;
}

/** The client-specific parts of the error messages. */
export interface PluginErrorTexts {
	/** Message head of a 404 (plugin or route missing). */
	missing: ( site: string ) => string;
	/** Message head of a 401/403. */
	auth: ( status: number ) => string;
}

/** Defaults a client passes to its requester. */
export interface PluginRequesterDefaults {
	/** Per-request timeout when the options give none (ms). */
	timeoutMs: number;
	texts: PluginErrorTexts;
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
 * Turn an HTTP error answer into a typed plugin error.
 *
 * @param error HTTP error thrown by ky.
 * @param site  Site URL (for messages).
 * @param texts Client-specific message heads.
 */
async function classifyHttp(
	error: HTTPError,
	site: string,
	texts: PluginErrorTexts
): Promise< PluginError > {
	const status = error.response.status;
	const body = RestError.safeParse(
		await error.response.json().catch( () => null )
	);
	const code = body.success ? body.data.code : undefined;
	const detail = body.success ? body.data.message : `HTTP ${ status }`;
	if ( status === 404 && ( code === 'rest_no_route' || ! body.success ) ) {
		return new PluginMissingError(
			`${ texts.missing( site ) }: ${ detail }`,
			{
				status,
				code,
			}
		);
	}
	if ( status === 401 || status === 403 ) {
		return new PluginAuthError( `${ texts.auth( status ) }: ${ detail }`, {
			status,
			code,
		} );
	}
	return new PluginHttpError( `The site answered ${ status }: ${ detail }`, {
		status,
		code,
	} );
}

/**
 * Turn a ky/network failure into a typed plugin error.
 *
 * @param error Anything thrown by ky.
 * @param site  Site URL (for messages).
 * @param texts Client-specific message heads.
 */
export async function classifyPluginError(
	error: unknown,
	site: string,
	texts: PluginErrorTexts
): Promise< PluginError > {
	if ( error instanceof HTTPError ) {
		return classifyHttp( error, site, texts );
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

/** Sends authenticated requests to the plugin and parses the answers. */
export class PluginRequester {
	private readonly http: KyInstance;
	private readonly site: string;
	private readonly texts: PluginErrorTexts;

	/**
	 * @param opts     Site, credentials, transport.
	 * @param defaults Client-specific timeout and message heads.
	 */
	constructor(
		opts: PluginClientOptions,
		defaults: PluginRequesterDefaults
	) {
		this.site = opts.siteUrl;
		this.texts = defaults.texts;
		const auth = `Basic ${ Buffer.from( `${ opts.user }:${ opts.appPassword }` ).toString( 'base64' ) }`;
		this.http = ky.create( {
			prefixUrl: pluginRestRoot( opts.siteUrl ),
			timeout: opts.timeoutMs ?? defaults.timeoutMs,
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
	async call< T >(
		method: 'get' | 'post',
		path: string,
		schema: z.core.$ZodType< T >,
		json?: unknown
	): Promise< T > {
		let body: unknown;
		try {
			body = await this.http( path, { method, json } ).json();
		} catch ( error ) {
			throw await classifyPluginError( error, this.site, this.texts );
		}
		const parsed = z.safeParse( schema, body );
		if ( ! parsed.success ) {
			throw new PluginHttpError(
				`Unexpected answer from ${ path }: ${ describeIssues( parsed.error.issues ) }`
			);
		}
		return parsed.data;
	}

	/**
	 * GET a route and parse the answer.
	 *
	 * @param path   Route under the namespace (with its query string).
	 * @param schema Response schema.
	 */
	get< T >( path: string, schema: z.core.$ZodType< T > ): Promise< T > {
		return this.call( 'get', path, schema );
	}

	/**
	 * POST a body, checked against its schema before it is sent, and parse the answer.
	 *
	 * @param path     Route under the namespace.
	 * @param request  Request body schema.
	 * @param response Response schema.
	 * @param body     Request body.
	 */
	post< Req, Res >(
		path: string,
		request: z.core.$ZodType< Req >,
		response: z.core.$ZodType< Res >,
		body: Req
	): Promise< Res > {
		return this.call( 'post', path, response, z.parse( request, body ) );
	}
}
