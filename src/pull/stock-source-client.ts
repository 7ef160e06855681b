/**
 * The sender's client of the plugin's stock-pull routes (application password):
 * `GET|POST /worker/stock-pull` and `POST /worker/stock-apply`, every answer
 * parsed with the zod contract.
 */
import ky, { HTTPError, TimeoutError, type KyInstance } from 'ky';
import type { z } from 'zod';

import {
	RestError,
	StockApplyRequest,
	StockApplyResponse,
	StockPullReport,
	StockPullState,
} from '../contract/plugin-rest.js';
import {
	PluginAuthError,
	PluginError,
	PluginHttpError,
	PluginMissingError,
	PluginUnreachableError,
	pluginRestRoot,
	type PluginClientOptions,
} from '../wordpress/plugin-client.js';

/** What the stock pull needs from the plugin. */
export interface StockSourceApi {
	pullState: () => Promise< StockPullState >;
	reportPull: ( report: StockPullReport ) => Promise< StockPullState >;
	applyStock: ( req: StockApplyRequest ) => Promise< StockApplyResponse >;
}

async function toPluginError(
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
				`The plugin's stock routes do not answer at ${ site }: ${ detail }`,
				{ status, code }
			);
		}
		if ( status === 401 || status === 403 ) {
			return new PluginAuthError(
				`WordPress refused the stock route (${ status }): ${ detail }`,
				{ status, code }
			);
		}
		return new PluginHttpError(
			`The site answered ${ status }: ${ detail }`,
			{ status, code }
		);
	}
	let reason = error instanceof Error ? error.message : String( error );
	if ( error instanceof TimeoutError ) {
		reason = 'timed out';
	}
	return new PluginUnreachableError( `Cannot reach ${ site }: ${ reason }`, {
		cause: error,
	} );
}

/** HTTP implementation of StockSourceApi. */
export class StockSourceClient implements StockSourceApi {
	private readonly http: KyInstance;

	constructor( private readonly opts: PluginClientOptions ) {
		this.http = ky.create( {
			prefixUrl: pluginRestRoot( opts.siteUrl ),
			timeout: opts.timeoutMs ?? 120_000,
			retry: {
				limit: 2,
				methods: [ 'get', 'post' ],
				statusCodes: [ 502, 503, 504 ],
				backoffLimit: 5000,
			},
			headers: {
				Authorization: `Basic ${ Buffer.from( `${ opts.user }:${ opts.appPassword }` ).toString( 'base64' ) }`,
				Accept: 'application/json',
			},
			fetch: opts.fetch,
			signal: opts.signal,
		} );
	}

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
			throw await toPluginError( error, this.opts.siteUrl );
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

	/** GET /worker/stock-pull: is a pull due, and in which mode. */
	pullState(): Promise< StockPullState > {
		return this.call( 'get', 'worker/stock-pull', StockPullState );
	}

	/**
	 * POST /worker/stock-pull: report the start or the end of a pull.
	 *
	 * @param report Start or finish report.
	 */
	reportPull( report: StockPullReport ): Promise< StockPullState > {
		return this.call(
			'post',
			'worker/stock-pull',
			StockPullState,
			StockPullReport.parse( report )
		);
	}

	/**
	 * POST /worker/stock-apply: apply (keyCRM mode) or compare (WooCommerce mode) a batch.
	 *
	 * @param req Items.
	 */
	applyStock( req: StockApplyRequest ): Promise< StockApplyResponse > {
		return this.call(
			'post',
			'worker/stock-apply',
			StockApplyResponse,
			StockApplyRequest.parse( req )
		);
	}
}
