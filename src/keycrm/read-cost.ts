/**
 * The one cost decision for reading keyCRM state about a set of SKUs: scan
 * the whole list (pages of 50) or look the SKUs up, 50 per request
 * (`filter[sku]` / `filter[offers_sku]`). Used by the sender's census
 * (src/sender/census.ts) and the file push's stock read
 * (src/push/read-remote-stock.ts).
 */
import { KEYCRM_LIMITS } from './schemas.js';

/**
 * Requests a lookup of `skus` SKUs takes, 50 per request.
 *
 * @param skus Number of SKUs to look up.
 */
export function lookupRequests( skus: number ): number {
	return Math.ceil( skus / KEYCRM_LIMITS.pageSize );
}

/**
 * Whether scanning `scanPages` pages costs no more requests than looking
 * `skus` SKUs up (a tie scans: a scan also learns what the lookup would not).
 *
 * @param scanPages Pages the scan still has to read.
 * @param skus      SKUs a lookup would have to ask for.
 */
export function scanIsCheaper( scanPages: number, skus: number ): boolean {
	return scanPages <= lookupRequests( skus );
}
