/**
 * The sender's client of the plugin's REST API (namespace keycrm-sync/v1):
 * claim/ack for the worker and the admin reads for `doctor`, over the shared
 * request machinery of plugin-request.ts.
 */
import {
	AckRequest,
	AckResponse,
	ClaimRequest,
	ClaimResponse,
	ProblemsResponse,
	PublicSettings,
	SenderSettingsResponse,
	StatusResponse,
} from '../contract/plugin-rest.js';
import { PluginRequester, type PluginClientOptions } from './plugin-request.js';

export {
	PluginAuthError,
	PluginError,
	PluginHttpError,
	PluginMissingError,
	PluginUnreachableError,
	pluginRestRoot,
	type PluginClientOptions,
} from './plugin-request.js';

/** The plugin client. */
export class PluginClient {
	private readonly requester: PluginRequester;

	/** @param opts Site, credentials, transport (default timeout 60000 ms). */
	constructor( opts: PluginClientOptions ) {
		this.requester = new PluginRequester( opts, {
			timeoutMs: 60_000,
			texts: {
				missing: ( site ) =>
					`The keyCRM Sync plugin does not answer at ${ site } (is it installed and active?)`,
				auth: ( status ) =>
					`WordPress rejected the login or application password (${ status })`,
			},
		} );
	}

	/**
	 * POST /worker/claim: lease due SKUs with their current values.
	 *
	 * @param req Claim request.
	 */
	claim( req: ClaimRequest ): Promise< ClaimResponse > {
		return this.requester.post(
			'worker/claim',
			ClaimRequest,
			ClaimResponse,
			req
		);
	}

	/**
	 * POST /worker/ack: per-SKU outcomes of a lease.
	 *
	 * @param req Ack request.
	 */
	ack( req: AckRequest ): Promise< AckResponse > {
		return this.requester.post(
			'worker/ack',
			AckRequest,
			AckResponse,
			req
		);
	}

	/** GET /worker/settings: the sender's settings and SKU problems, without claiming anything. */
	senderSettings(): Promise< SenderSettingsResponse > {
		return this.requester.get( 'worker/settings', SenderSettingsResponse );
	}

	/** GET /status (admin route; application passwords authenticate as their user). */
	status(): Promise< StatusResponse > {
		return this.requester.get( 'status', StatusResponse );
	}

	/** GET /settings (admin route; the API key itself is never returned). */
	settings(): Promise< PublicSettings > {
		return this.requester.get( 'settings', PublicSettings );
	}

	/** GET /problems, first page (admin route). */
	problems(): Promise< ProblemsResponse > {
		return this.requester.get( 'problems?per_page=20', ProblemsResponse );
	}
}
