/**
 * The planner: a pure function from the SKUs in hand (claimed snapshots +
 * what this run knows) to the keyCRM calls that bring keyCRM to the shop's
 * state with the fewest requests (DESIGN §4):
 *
 * | step | call | rows per request |
 * | --- | --- | --- |
 * | stock of SKUs keyCRM holds | `PUT /offers/stocks` by sku | 10,000 |
 * | offer data (prices, weight, size, image) | `PUT /offers` by sku | 10,000 |
 * | ids / existence of SKUs nobody knows | `GET /offers?filter[sku]=…` | 50 |
 * | new simple products | `POST /products/import` | 100 |
 * | new variable products | `POST /products` | 1 (returns the id) |
 * | new variations | `POST /products/{id}/offers` | 100 per product |
 * | name, description, pictures, category | `PUT /products/{id}` | 1 |
 * | categories keyCRM lacks | `GET`/`POST /products/categories` | 1 (see plan-categories.ts) |
 *
 * Nothing is sent that keyCRM already holds (pushed_stock / hashes equal the
 * desired values; a row reclaimed or retried after a failure cannot vouch
 * for them, so its values are sent again); ids are looked up only when a
 * call needs them (a product-level update, a variation's parent) or when the
 * SKU's existence decides between create and update. Stock of a SKU created
 * in this plan comes in a later plan (keyCRM can only stock an offer that
 * exists): the executor re-plans after every slice.
 *
 * Steps: each item's desired record (desired.ts, once per item) → its work
 * (plan/work.ts) → buckets (plan/route.ts) → calls (plan/assemble.ts, with
 * the bodies of plan/bodies.ts; categories in plan-categories.ts), each
 * carrying under `ESTABLISHES` the hashes the executor records once keyCRM
 * has the data.
 */
import type { ClaimedItem, SenderSettings } from '../contract/plugin-rest.js';
import type {
	OfferCreate,
	ProductCreate,
	ProductUpdate,
} from '../keycrm/schemas.js';
import {
	desiredOf,
	type Desired,
	type DesiredOptions,
	type OfferData,
} from './desired.js';
import { assemble } from './plan/assemble.js';
import { newBuckets, planItem } from './plan/route.js';
import { knownParentIds } from './plan/work.js';
import { planCategories, type CategoriesCall } from './plan-categories.js';
import type { Knowledge } from './state.js';

/** One stock row with what the planner knows about its urgency. */
export interface StockRow {
	sku: string;
	quantity: number;
	/** A live change of a SKU keyCRM already sold (not a fresh creation, not a retirement): send it soon. */
	urgent: boolean;
}

/**
 * Key of the desired records a call carries for the SKUs whose values it
 * establishes in keyCRM (their `pushed_*_hash` values, recorded by the
 * executor once keyCRM accepts the data). A symbol: not part of the request,
 * and absent from the plan's JSON (which is what the PHP planner plans too).
 */
export const ESTABLISHES = Symbol( 'establishes' );

/** SKU → its desired record. */
export type Established = Map< string, Desired >;

/** What a call carries for the executor besides the request. */
interface Establishing {
	[ ESTABLISHES ]?: Established;
}

/** `PUT /offers/stocks`: stock of SKUs keyCRM holds. */
export interface StocksCall {
	kind: 'stocks';
	warehouseId: number;
	rows: StockRow[];
}

/** `PUT /offers`: offer data (prices, weight, size, image) of SKUs keyCRM holds. */
export interface OffersCall extends Establishing {
	kind: 'offers';
	rows: Array< OfferData & { sku: string } >;
}

/** `GET /offers?filter[sku]=…`: ids / existence of SKUs. */
export interface LookupCall {
	kind: 'lookup';
	skus: string[];
}

/** `POST /products/import`: new simple products. */
export interface ImportCall extends Establishing {
	kind: 'import';
	products: ProductCreate[];
	skus: string[];
}

/** `POST /products`: a new variable product. */
export interface CreateParentCall extends Establishing {
	kind: 'createParent';
	parentId: number;
	body: ProductCreate;
	parentSku: string | null;
	skus: string[];
}

/** `POST /products/{id}/offers`: new variations of a product keyCRM holds. */
export interface CreateOffersCall extends Establishing {
	kind: 'createOffers';
	productId: number;
	parentId: number;
	offers: OfferCreate[];
	skus: string[];
}

/** `PUT /products/{id}`: product-level data. */
export interface UpdateProductCall extends Establishing {
	kind: 'updateProduct';
	productId: number;
	sku: string;
	body: ProductUpdate;
	/** Sibling variations of a SKU-less parent that this update brings up to date too. */
	also?: string[];
}

/** A keyCRM call the executor performs. `skus` are the items whose outcome depends on it. */
export type PlannedCall =
	| StocksCall
	| OffersCall
	| LookupCall
	| ImportCall
	| CreateParentCall
	| CreateOffersCall
	| UpdateProductCall
	| CategoriesCall;

/** A SKU that cannot be sent as it is (acknowledged as failed). */
export interface BlockedItem {
	sku: string;
	code: string;
	message: string;
}

/** A SKU that cannot be sent as it is (acknowledged as failed). */
export interface BlockedItem {
	sku: string;
	code: string;
	message: string;
}

/**
 * The plan: calls in execution order, SKUs with nothing left to send, SKUs
 * that cannot be sent, and SKUs the settings keep out of keyCRM (acknowledged
 * as done, with the reason shown on the Items screen).
 */
export interface Plan {
	calls: PlannedCall[];
	done: string[];
	blocked: BlockedItem[];
	notSent: BlockedItem[];
}

/** Everything the planner reads. */
export interface PlanInput {
	items: readonly ClaimedItem[];
	settings: SenderSettings;
	options: DesiredOptions;
	knowledge: Knowledge;
	/** Desired record of an item in hand (default: computed once per plan). */
	desired?: ( item: ClaimedItem ) => Desired;
}

/** The planner input with the desired record of every item at hand. */
export type PlanContext = PlanInput & {
	desired: ( item: ClaimedItem ) => Desired;
};

/**
 * Plan the keyCRM calls for the SKUs in hand.
 *
 * @param input Items, settings, options and knowledge.
 */
export function plan( input: PlanInput ): Plan {
	const ctx = withDesired( input );
	const b = newBuckets();
	const parentIds = knownParentIds( input );
	for ( const item of input.items ) {
		if ( item.type === 'variable' && item.product_id !== null ) {
			b.parentItems.set( item.product_id, item );
		}
	}
	for ( const item of input.items ) {
		planItem( item, ctx, parentIds, b );
	}
	const categories = planCategories(
		input.items,
		input.settings,
		input.knowledge,
		parentIds,
		b
	);
	return {
		calls: [
			...( categories ? [ categories ] : [] ),
			...assemble( ctx, parentIds, b ),
		],
		done: b.done,
		blocked: b.blocked,
		notSent: b.notSent,
	};
}

/**
 * The input with a desired record per item: the caller's (records kept while
 * the SKUs are in hand), else each computed here once.
 *
 * @param input Planner input.
 */
function withDesired( input: PlanInput ): PlanContext {
	if ( input.desired ) {
		return { ...input, desired: input.desired };
	}
	const { settings, options } = input;
	const records = new Map(
		input.items.map( ( i ) => [ i, desiredOf( i, settings, options ) ] )
	);
	return {
		...input,
		desired: ( item ) =>
			records.get( item ) ?? desiredOf( item, settings, options ),
	};
}

/**
 * Number of keyCRM requests a plan needs (each call is one request).
 *
 * @param p Plan.
 */
export function requestCount( p: Plan ): number {
	return p.calls.length;
}
