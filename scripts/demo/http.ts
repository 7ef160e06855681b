/**
 * Small HTTP helpers of the demo: waiting for a server, and configuring the plugin over REST.
 */
import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import * as z from 'zod';

import {
	PublicSettings,
	WebhookSecretResponse,
	RestError,
	type SettingsUpdate,
} from '@keycrm-sync/contract';
import type { Child } from './processes.js';

/** A server did not come up, or its process ended first. */
export class DemoStartError extends Error {}

/**
 * Waits until `ready()` is true, failing early if `child` exits.
 *
 * @param what      Name for the error message.
 * @param ready     Readiness probe.
 * @param child     The process serving it.
 * @param timeoutMs Time allowed.
 */
export async function waitUntil(
	what: string,
	ready: () => Promise< boolean >,
	child: Child,
	timeoutMs: number
): Promise< void > {
	const deadline = Date.now() + timeoutMs;
	let exited: number | string | null = null;
	void child.exited.then( ( code ) => {
		exited = code;
	} );
	while ( Date.now() < deadline ) {
		if ( exited !== null ) {
			throw new DemoStartError(
				`${ what }: ${ child.name } exited (${ String( exited ) }) before it was ready`
			);
		}
		if ( await ready() ) {
			return;
		}
		await sleep( 500 );
	}
	throw new DemoStartError(
		`${ what }: not ready after ${ Math.round( timeoutMs / 1000 ) } s`
	);
}

/**
 * Probe: the URL answers with any HTTP status below 500.
 *
 * @param url URL to GET.
 */
export function answers( url: string ): () => Promise< boolean > {
	return async () => {
		try {
			// A long timeout: an aborted request keeps running in the shop's PHP workers, so
			// short-timeout probes would pile up on a slow (busy) machine.
			const response = await fetch( url, {
				redirect: 'manual',
				signal: AbortSignal.timeout( 180_000 ),
			} );
			await response.body?.cancel();
			return response.status < 500;
		} catch {
			return false;
		}
	};
}

/**
 * Probe: a file exists.
 *
 * @param path File path.
 */
export function fileExists( path: string ): () => Promise< boolean > {
	return async () => existsSync( path );
}

/**
 * URL of a plugin REST route that works with any permalink setting.
 * @param siteUrl
 * @param route
 */
export function restUrl( siteUrl: string, route: string ): string {
	return `${ siteUrl }/?rest_route=${ encodeURIComponent( route ) }`;
}

/**
 * Basic auth header for an application password.
 * @param user
 * @param appPassword
 */
export function basicAuth( user: string, appPassword: string ): string {
	return `Basic ${ Buffer.from( `${ user }:${ appPassword }` ).toString( 'base64' ) }`;
}

/**
 * Stores keyCRM settings in the plugin (`PUT keycrm-sync/v1/settings`).
 *
 * @param siteUrl  Shop URL.
 * @param auth     Authorization header value.
 * @param settings Settings to store.
 * @return The settings as the plugin reports them.
 */
export async function configurePlugin(
	siteUrl: string,
	auth: string,
	settings: SettingsUpdate
): Promise< PublicSettings > {
	const response = await fetch(
		restUrl( siteUrl, '/keycrm-sync/v1/settings' ),
		{
			method: 'PUT',
			headers: {
				Authorization: auth,
				'Content-Type': 'application/json',
			},
			body: JSON.stringify( settings ),
			signal: AbortSignal.timeout( 300_000 ),
		}
	);
	const body: unknown = await response.json().catch( () => null );
	if ( ! response.ok ) {
		const error = RestError.safeParse( body );
		throw new DemoStartError(
			`plugin settings: HTTP ${ response.status } ${ error.success ? error.data.message : '' }`.trim()
		);
	}
	return PublicSettings.parse( body );
}

/**
 * Makes a new webhook secret (`POST keycrm-sync/v1/settings/webhook-secret`, administrators):
 * the only answer that carries it.
 *
 * @param siteUrl Shop URL.
 * @param auth    Authorization header value (an administrator's application password).
 * @return The full webhook URL.
 */
export async function createWebhookUrl(
	siteUrl: string,
	auth: string
): Promise< string > {
	const response = await fetch(
		restUrl( siteUrl, '/keycrm-sync/v1/settings/webhook-secret' ),
		{
			method: 'POST',
			headers: { Authorization: auth },
			signal: AbortSignal.timeout( 60_000 ),
		}
	);
	const body: unknown = await response.json().catch( () => null );
	if ( ! response.ok ) {
		const error = RestError.safeParse( body );
		throw new DemoStartError(
			`webhook secret: HTTP ${ response.status } ${ error.success ? error.data.message : '' }`.trim()
		);
	}
	return WebhookSecretResponse.parse( body ).webhook_url;
}

/**
 * Points the emulator's stock webhook at the plugin (`POST /__emulator/webhook`).
 *
 * @param emulatorUrl Emulator origin.
 * @param webhookUrl  The plugin's webhook URL (with its secret).
 */
export async function setEmulatorWebhook(
	emulatorUrl: string,
	webhookUrl: string
): Promise< void > {
	const response = await fetch( `${ emulatorUrl }/__emulator/webhook`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify( { url: webhookUrl } ),
		signal: AbortSignal.timeout( 10_000 ),
	} );
	await response.body?.cancel();
	if ( ! response.ok ) {
		throw new DemoStartError(
			`emulator webhook: HTTP ${ response.status }`
		);
	}
}

/** What the set-up PHP writes. */
export const SiteState = z.object( {
	admin_user: z.string(),
	admin_password: z.string(),
	app_password: z.string().min( 1 ),
	products: z.array(
		z.object( {
			id: z.number().int(),
			sku: z.string(),
			type: z.string(),
			stock: z.number().nullable(),
		} )
	),
	wc_version: z.string(),
	wp_version: z.string(),
} );
export type SiteState = z.infer< typeof SiteState >;
