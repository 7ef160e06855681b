/**
 * The emulator's control API under `/__emulator/` (no auth; the HTTP server
 * answers it on loopback only): stats, state, reset, faults, stock changes
 * "inside keyCRM", webhook URL and seeding.
 */
import * as z from 'zod';

import type { KeyCrmEmulator } from './core.js';
import { FaultSettings } from './faults.js';
import { HttpError } from './http-error.js';
import { applySeed } from './seed.js';
import type { RouteResult } from './route-types.js';
import { offerView, productView } from './views.js';

/** `POST /__emulator/stock`: one change or a list; keyed by `sku` or `offer_id`. */
const StockChange = z
	.object( {
		offer_id: z.number().int().positive().optional(),
		sku: z.string().min( 1 ).optional(),
		warehouse_id: z.number().int().positive().optional(),
		quantity: z.number().optional(),
		reserve: z.number().optional(),
	} )
	.refine( ( c ) => c.offer_id !== undefined || c.sku !== undefined, {
		message: 'offer_id or sku is required',
	} );
const StockChangeBody = z.union( [ StockChange, z.array( StockChange ) ] );

const WebhookBody = z.object( { url: z.url().nullable() } );

/**
 * Parse a control body or answer 422.
 *
 * @param schema Body schema.
 * @param body   Parsed JSON.
 */
function parse< S extends z.ZodType >(
	schema: S,
	body: unknown
): z.output< S > {
	const parsed = schema.safeParse( body ?? {} );
	if ( ! parsed.success ) {
		throw new HttpError( 422, {
			message: z.prettifyError( parsed.error ),
		} );
	}
	return parsed.data;
}

/**
 * The whole state (tests and the demo compare it with WooCommerce).
 *
 * @param emu The emulator.
 */
export function stateView( emu: KeyCrmEmulator ) {
	const store = emu.store;
	return {
		warehouses: store.warehouses,
		categories: [ ...store.categories.values() ],
		products: [ ...store.products.values() ].map( ( p ) =>
			productView( store, p, true )
		),
		offers: [ ...store.offers.values() ].map( ( o ) =>
			offerView( store, o )
		),
		stock: [ ...store.offers.values() ].map( ( o ) => ( {
			offer_id: o.id,
			sku: o.sku,
			...store.totals( o.id ),
			warehouses: Object.fromEntries(
				store.warehouses.map( ( w ) => [
					String( w.id ),
					store.cell( o.id, w.id ),
				] )
			),
		} ) ),
		duplicates: store.counters.duplicateSkusCreated,
		counters: { ...store.counters },
	};
}

/**
 * Apply `POST /__emulator/stock` changes and fire the webhook.
 *
 * @param emu  The emulator.
 * @param body Parsed JSON.
 */
function changeStock( emu: KeyCrmEmulator, body: unknown ): RouteResult {
	const parsed = parse( StockChangeBody, body );
	const changes = Array.isArray( parsed ) ? parsed : [ parsed ];
	const changed = new Set< number >();
	for ( const c of changes ) {
		const offers = emu.store.resolve(
			c.offer_id !== undefined ? { id: c.offer_id } : { sku: c.sku }
		);
		const warehouseId =
			c.warehouse_id ?? emu.store.warehouses[ 0 ]?.id ?? 1;
		if (
			offers.length === 0 ||
			! emu.store.warehouses.some( ( w ) => w.id === warehouseId )
		) {
			throw new HttpError( 422, {
				message: `unknown offer or warehouse: ${ JSON.stringify( c ) }`,
			} );
		}
		for ( const o of offers ) {
			if (
				emu.store.setStock( o.id, warehouseId, {
					quantity: c.quantity,
					reserve: c.reserve,
				} )
			) {
				changed.add( o.id );
			}
		}
	}
	emu.webhook.notify( changed );
	return { status: 200, body: { changed: [ ...changed ] } };
}

/**
 * Handle one control request.
 *
 * @param emu    The emulator.
 * @param method HTTP method.
 * @param name   Path after `/__emulator/`.
 * @param body   Parsed JSON body.
 */
export function handleControl(
	emu: KeyCrmEmulator,
	method: string,
	name: string,
	body: unknown
): RouteResult {
	const key = `${ method } ${ name }`;
	switch ( key ) {
		case 'GET stats':
			return { status: 200, body: emu.stats() };
		case 'GET state':
			return { status: 200, body: stateView( emu ) };
		case 'POST reset':
			emu.reset();
			return { status: 200, body: { reset: true } };
		case 'POST faults':
			emu.faults.set( parse( FaultSettings, body ) );
			return { status: 200, body: emu.faults.get() };
		case 'POST stock':
			return changeStock( emu, body );
		case 'POST webhook':
			emu.webhook.url = parse( WebhookBody, body ).url;
			return { status: 200, body: { url: emu.webhook.url } };
		case 'POST seed':
			try {
				return { status: 200, body: applySeed( emu.store, body ) };
			} catch ( error ) {
				throw new HttpError( 422, {
					message:
						error instanceof Error
							? error.message
							: String( error ),
				} );
			}
		default:
			throw HttpError.notFound( `no control endpoint ${ key }` );
	}
}
