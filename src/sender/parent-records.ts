/**
 * Variable products created in this run whose keyCRM id the plugin has not
 * recorded yet. Their variations wait for it: a sender that died after adding
 * some variations would otherwise leave siblings that a later sender, not
 * knowing the product, puts under a second product. The id goes to the plugin
 * as an id-only result (it leases no row: the plugin records the ids it
 * carries on the parent product and its row, and changes nothing else).
 */
import type { AckResult } from '../contract/plugin-rest.js';
import type { AckQueue } from './acks.js';

/**
 * Lease token of id-only results: it leases no row, so the plugin records the
 * keyCRM ids they carry and changes nothing else (as for a lost lease).
 */
export const IDS_ONLY_TOKEN = 'ids-only';

/** Code of an id-only result (not a row's outcome). */
const IDS_ONLY_CODE = 'ids_only';

/**
 * Whether a result is a SKU's (not an id-only record).
 *
 * @param result Ack result.
 */
export function isRowResult( result: AckResult ): boolean {
	return result.code !== IDS_ONLY_CODE;
}

/** See the module docblock. */
export class ParentRecords {
	/** WP parent id → the id-only result that records its keyCRM id. */
	private readonly unrecorded = new Map< number, AckResult >();

	constructor( private readonly acks: AckQueue ) {}

	/**
	 * Have the plugin record a created variable product's keyCRM id (on the
	 * parent product and its row, where every later claim of a sibling finds
	 * it) before any variation is added to it.
	 *
	 * @param parentId  WordPress id of the variable product (the plugin keeps the id on it).
	 * @param productId Its keyCRM id (undefined: not created).
	 * @param parentSku Its SKU, when it has one (its row records the id too).
	 */
	record(
		parentId: number,
		productId: number | undefined,
		parentSku: string | null
	): void {
		if ( productId === undefined ) {
			return;
		}
		const result: AckResult = {
			sku: parentSku ?? '',
			version: 0,
			outcome: 'retry',
			code: IDS_ONLY_CODE,
			keycrm_product_id: productId,
			parent_id: parentId,
		};
		this.unrecorded.set( parentId, result );
		this.acks.add( IDS_ONLY_TOKEN, result );
	}

	/**
	 * Whether the product's id still waits to be recorded by the plugin.
	 *
	 * @param parentId WordPress id of the variable product.
	 */
	waiting( parentId: number ): boolean {
		return this.unrecorded.has( parentId );
	}

	/**
	 * After an ack flush: forget recorded parents, queue again the records that were dropped.
	 *
	 * @param delivered Results delivered.
	 * @param dropped   Results dropped.
	 */
	settle(
		delivered: readonly AckResult[],
		dropped: readonly AckResult[]
	): void {
		const done = new Set( delivered );
		const lost = new Set( dropped );
		for ( const [ parentId, result ] of this.unrecorded ) {
			if ( done.has( result ) ) {
				this.unrecorded.delete( parentId );
			} else if ( lost.has( result ) ) {
				this.acks.add( IDS_ONLY_TOKEN, result );
			}
		}
	}
}
