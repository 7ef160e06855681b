/**
 * The sender's client of the plugin's stock-pull routes (application password):
 * `GET|POST /worker/stock-pull` and `POST /worker/stock-apply`, every answer
 * parsed with the zod contract.
 */
import {
	StockApplyRequest,
	StockApplyResponse,
	StockPullReport,
	StockPullState,
} from '../contract/plugin-rest.js';
import {
	PluginRequester,
	type PluginClientOptions,
} from '../wordpress/plugin-request.js';

/** What the stock pull needs from the plugin. */
export interface StockSourceApi {
	pullState: () => Promise< StockPullState >;
	reportPull: ( report: StockPullReport ) => Promise< StockPullState >;
	applyStock: ( req: StockApplyRequest ) => Promise< StockApplyResponse >;
}

/** HTTP implementation of StockSourceApi. */
export class StockSourceClient implements StockSourceApi {
	private readonly requester: PluginRequester;

	/** @param opts Site, credentials, transport (default timeout 120000 ms). */
	constructor( opts: PluginClientOptions ) {
		this.requester = new PluginRequester( opts, {
			timeoutMs: 120_000,
			texts: {
				missing: ( site ) =>
					`The plugin's stock routes do not answer at ${ site }`,
				auth: ( status ) =>
					`WordPress refused the stock route (${ status })`,
			},
		} );
	}

	/** GET /worker/stock-pull: is a pull due, and in which mode. */
	pullState(): Promise< StockPullState > {
		return this.requester.get( 'worker/stock-pull', StockPullState );
	}

	/**
	 * POST /worker/stock-pull: report the start or the end of a pull.
	 *
	 * @param report Start or finish report.
	 */
	reportPull( report: StockPullReport ): Promise< StockPullState > {
		return this.requester.post(
			'worker/stock-pull',
			StockPullReport,
			StockPullState,
			report
		);
	}

	/**
	 * POST /worker/stock-apply: apply (keyCRM mode) or compare (WooCommerce mode) a batch.
	 *
	 * @param req Items.
	 */
	applyStock( req: StockApplyRequest ): Promise< StockApplyResponse > {
		return this.requester.post(
			'worker/stock-apply',
			StockApplyRequest,
			StockApplyResponse,
			req
		);
	}
}
