/** @jest-environment node */
/**
 * Drift check of the stock-source routes: test/php/StockSource/*Test.php write the JSON the real
 * plugin served over HTTP to test/pull/fixtures/; each is parsed here with its zod schema and
 * must come out unchanged (zod strips unknown keys, so an extra, missing or mistyped key fails).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as z from 'zod/mini';

import { itMatchesFixtureContract } from '../helpers/fixture-contract';
import {
	RemoteSkusResponse,
	RequeueDriftResponse,
	RestError,
	StockApplyResponse,
	StockPullState,
	StockSourceStatus,
	StockWebhookResponse,
} from '@keycrm-sync/contract';

const FIXTURES = join( __dirname, 'fixtures' );

const SCHEMAS: Record< string, z.ZodMiniType > = {
	'webhook-applied.json': StockWebhookResponse,
	'webhook-queued.json': StockWebhookResponse,
	'webhook-bad-secret.json': RestError,
	'stock-apply-keycrm.json': StockApplyResponse,
	'stock-apply-woocommerce.json': StockApplyResponse,
	'unknown.json': RemoteSkusResponse,
	'drift.json': RemoteSkusResponse,
	'requeue.json': RequeueDriftResponse,
	'pull-state-initial.json': StockPullState,
	'pull-state-finished.json': StockPullState,
	'pull-now.json': StockPullState,
	'status.json': StockSourceStatus,
	'status-stuck.json': StockSourceStatus,
};

const load = ( name: string ): unknown =>
	JSON.parse( readFileSync( join( FIXTURES, name ), 'utf8' ) );

describe( 'stock-source fixtures captured from the PHP plugin', () => {
	itMatchesFixtureContract( FIXTURES, SCHEMAS, load );

	it( 'covers the interesting cases', () => {
		const keycrm = StockApplyResponse.parse(
			load( 'stock-apply-keycrm.json' )
		);
		expect( keycrm.results.map( ( r ) => r.outcome ) ).toEqual( [
			'applied',
			'unchanged',
			'unknown',
		] );
		const woo = StockApplyResponse.parse(
			load( 'stock-apply-woocommerce.json' )
		);
		expect( woo.results.map( ( r ) => r.outcome ) ).toEqual( [
			'in_sync',
			'drift',
			'pending',
		] );
		expect(
			RemoteSkusResponse.parse( load( 'drift.json' ) ).items[ 0 ]
				?.edit_url
		).toMatch( /post\.php\?post=\d+&action=edit/ );
		expect(
			StockPullState.parse( load( 'pull-state-finished.json' ) )
				.last_result?.complete
		).toBe( true );
		expect(
			StockWebhookResponse.parse( load( 'webhook-queued.json' ) ).queued
		).toBe( true );
	} );
} );
