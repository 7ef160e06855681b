/** @jest-environment node */
/**
 * The sender's SKU rule gives the same verdicts as the plugin's (PHP and SQL,
 * test/php/Sku/SkuRulesTest.php) on the shared awkward SKUs.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { isUsableSku, skuProblem } from '@keycrm-sync/contract';
import { DEFAULT_DESIRED_OPTIONS } from '../../src/sender/desired';
import { plan } from '../../src/sender/plan';
import { makeItem, makeSettings } from '../helpers/fake-shop-items';

interface SkuCase {
	name: string;
	sku: string;
	usable: boolean;
	repeat?: number;
}

const fixture = JSON.parse(
	readFileSync( path.join( __dirname, '../fixtures/sku-rules.json' ), 'utf8' )
) as { cases: SkuCase[] };
const cases = fixture.cases.map(
	( c ) => [ c.name, c.sku.repeat( c.repeat ?? 1 ), c.usable ] as const
);

describe( 'a usable SKU', () => {
	it( 'has awkward cases on both sides of every rule', () => {
		expect( cases.length ).toBeGreaterThan( 30 );
		expect( cases.some( ( [ , , ok ] ) => ok ) ).toBe( true );
		expect( cases.some( ( [ , , ok ] ) => ! ok ) ).toBe( true );
	} );

	it.each( cases )( '%s', ( _name, sku, usable ) => {
		expect( isUsableSku( sku ) ).toBe( usable );
		expect( skuProblem( sku ) === null ).toBe( usable );
	} );

	it.each( cases )(
		'the planner sends or blocks: %s',
		( _name, sku, usable ) => {
			const p = plan( {
				items: [ makeItem( sku ) ],
				settings: makeSettings(),
				options: DEFAULT_DESIRED_OPTIONS,
				knowledge: {
					skus: new Map(),
					parents: new Map(),
					census: new Map(),
				},
			} );
			const blocked = p.blocked.find(
				( b ) => b.code === 'unusable_sku'
			);
			expect( blocked === undefined ).toBe( usable );
			expect( p.calls.length > 0 ).toBe( usable );
		}
	);
} );
