/**
 * Seed data for the emulator (CLI `--seed-file`, `POST /__emulator/seed`):
 * categories, products (simple or with variants) and their stock.
 */
import * as z from 'zod';

import { OfferCreate, ProductCreate } from '../keycrm/schemas.js';
import type { EmulatorStore } from './store.js';

/** Stock of one offer: a number (first warehouse) or warehouse id → quantity. */
const StockSeed = z.union( [
	z.number(),
	z.record( z.string().regex( /^\d+$/ ), z.number() ),
] );

export const SeedData = z.object( {
	categories: z
		.array(
			z.object( {
				name: z.string().min( 1 ),
				parent_id: z.number().int().positive().nullable().optional(),
			} )
		)
		.optional(),
	products: z
		.array(
			ProductCreate.extend( {
				stock: StockSeed.optional(),
				offers: z
					.array(
						OfferCreate.extend( { stock: StockSeed.optional() } )
					)
					.optional(),
			} )
		)
		.optional(),
} );
export type SeedData = z.infer< typeof SeedData >;

/**
 * Apply seed data to a store (no webhooks: seeding is setup, not a change).
 *
 * @param store The store.
 * @param data  Seed data (validated here).
 */
export function applySeed(
	store: EmulatorStore,
	data: unknown
): { products: number; offers: number } {
	const seed = SeedData.parse( data );
	for ( const c of seed.categories ?? [] ) {
		store.createCategory( c );
	}
	let offers = 0;
	for ( const { stock, offers: variants, ...product } of seed.products ??
		[] ) {
		const rec = store.createProduct( product );
		if ( variants?.length ) {
			store.addOffers(
				rec,
				variants.map( ( { stock: _s, ...o } ) => o )
			);
			store
				.offersOf( rec.id )
				.forEach( ( o, i ) =>
					setSeedStock( store, o.id, variants[ i ]?.stock )
				);
		} else {
			store
				.offersOf( rec.id )
				.forEach( ( o ) => setSeedStock( store, o.id, stock ) );
		}
		offers += store.offersOf( rec.id ).length;
	}
	return { products: seed.products?.length ?? 0, offers };
}

/**
 * Set seeded stock of one offer.
 *
 * @param store   The store.
 * @param offerId Offer id.
 * @param stock   Seed stock.
 */
function setSeedStock(
	store: EmulatorStore,
	offerId: number,
	stock: z.infer< typeof StockSeed > | undefined
): void {
	if ( stock === undefined ) {
		return;
	}
	const first = store.warehouses[ 0 ]?.id ?? 1;
	const entries: [ number, number ][] =
		typeof stock === 'number'
			? [ [ first, stock ] ]
			: Object.entries( stock ).map( ( [ w, q ] ) => [ Number( w ), q ] );
	for ( const [ warehouseId, quantity ] of entries ) {
		if ( ! store.warehouses.some( ( w ) => w.id === warehouseId ) ) {
			throw new Error( `seed: unknown warehouse ${ warehouseId }` );
		}
		store.setStock( offerId, warehouseId, { quantity } );
	}
}
