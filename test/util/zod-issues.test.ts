/** @jest-environment node */
import * as z from 'zod';

import {
	ClaimRequest,
	describeIssues,
	PublicSettings,
	StockApplyRequest,
} from '@keycrm-sync/contract';

/**
 * The issues of a parse that must fail.
 *
 * @param result              A failed safeParse result.
 * @param result.success
 * @param result.error
 * @param result.error.issues
 */
function issuesOf( result: {
	success: boolean;
	error?: { issues: z.core.$ZodIssue[] };
} ) {
	expect( result.success ).toBe( false );
	return result.error?.issues ?? [];
}

describe( 'describeIssues', () => {
	it( 'words zod/mini issues (no locale loaded) by their code and limits', () => {
		expect(
			describeIssues(
				issuesOf( ClaimRequest.safeParse( { limit: 'many' } ) )
			)
		).toBe( 'limit: expected number' );
		expect(
			describeIssues(
				issuesOf( ClaimRequest.safeParse( { lease_seconds: 5 } ) )
			)
		).toBe( 'lease_seconds: must be at least 10' );
		expect(
			describeIssues(
				issuesOf( StockApplyRequest.safeParse( { items: [] } ) )
			)
		).toBe( 'items: must have at least 1 items' );
		const settings = issuesOf(
			PublicSettings.safeParse( {
				api_key_set: true,
				stock_source: 'elsewhere',
			} )
		);
		expect( describeIssues( settings, 2 ) ).toBe(
			'warehouse_id: expected number; stock_source: expected one of "woocommerce", "keycrm"'
		);
	} );

	it( 'keeps zod’s own words and a schema’s message, and names the root', () => {
		const classic = z.object( { n: z.number().max( 3 ) } );
		expect(
			describeIssues( issuesOf( classic.safeParse( { n: 9 } ) ) )
		).toBe( 'n: Too big: expected number to be <=3' );
		const own = z.string( { error: 'a text, please' } );
		expect( describeIssues( issuesOf( own.safeParse( 1 ) ) ) ).toBe(
			'(root): a text, please'
		);
	} );
} );
