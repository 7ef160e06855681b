/** @jest-environment node */
/**
 * Drift check between the PHP plugin and the TypeScript contract.
 *
 * The PHP REST tests (test/php/Rest/RoutesHttpTest.php) write the JSON the real plugin served
 * over HTTP to test/contract/fixtures/. Here each fixture is parsed with its zod schema from
 * src/contract/plugin-rest.ts; the parsed value must equal the input, so a missing key, a wrong
 * type or a key the contract does not know (zod strips unknown keys) fails the test.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as z from 'zod/mini';

import { itMatchesFixtureContract } from '../helpers/fixture-contract';
import {
	AckResponse,
	ClaimResponse,
	ItemsResponse,
	ProblemsResponse,
	PublicSettings,
	ResyncResponse,
	RestError,
	RetryResponse,
	SenderSettingsResponse,
	StatusResponse,
	WebhookSecretResponse,
} from '@keycrm-sync/contract';

const FIXTURES = join( __dirname, 'fixtures' );

const SCHEMAS: Record< string, z.ZodMiniType > = {
	'claim.json': ClaimResponse,
	'claim-empty.json': ClaimResponse,
	'ack.json': AckResponse,
	'status.json': StatusResponse,
	'status-resync.json': StatusResponse,
	'items.json': ItemsResponse,
	'retry.json': RetryResponse,
	'resync.json': ResyncResponse,
	'problems.json': ProblemsResponse,
	'settings.json': PublicSettings,
	'error-invalid-param.json': RestError,
	'error-forbidden.json': RestError,
	'sender-settings.json': SenderSettingsResponse,
	'webhook-secret.json': WebhookSecretResponse,
};

function load( name: string ): unknown {
	return JSON.parse(
		readFileSync( join( FIXTURES, name ), 'utf8' )
	) as unknown;
}

describe( 'plugin REST fixtures captured from the PHP plugin', () => {
	itMatchesFixtureContract( FIXTURES, SCHEMAS, load );

	it( 'covers the interesting cases', () => {
		const claim = ClaimResponse.parse( load( 'claim.json' ) );
		expect( claim.items.some( ( i ) => i.retired ) ).toBe( true );
		expect(
			claim.items.some(
				( i ) => i.type === 'variation' && i.parent_sku !== null
			)
		).toBe( true );
		expect( claim.settings.api_key ).toBeDefined();
		expect(
			PublicSettings.parse( load( 'settings.json' ) )
		).not.toHaveProperty( 'api_key' );
		const problems = ProblemsResponse.parse( load( 'problems.json' ) );
		const kinds = problems.problems.map( ( p ) => p.kind );
		expect( kinds ).toEqual(
			expect.arrayContaining( [ 'missing_sku', 'unusable_sku' ] )
		);
		expect(
			StatusResponse.parse( load( 'status-resync.json' ) ).resync.running
		).toBe( true );
	} );
} );
