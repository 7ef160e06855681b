/**
 * Shared checks for JSON fixtures captured from the PHP plugin: every fixture
 * has a schema, every schema a fixture, and each fixture parses to exactly
 * itself (a missing or an extra key fails).
 */
// A shared suite builder, imported by test files (it declares tests; it is not a test file).
/* eslint-disable jest/no-export */
import { readdirSync } from 'node:fs';
import type * as z from 'zod/mini';

/**
 * Declare the two fixture-contract tests inside the current `describe`.
 *
 * @param dir     Folder of the `.json` fixtures.
 * @param schemas Fixture file name → zod schema.
 * @param load    Reads one fixture.
 */
export function itMatchesFixtureContract(
	dir: string,
	schemas: Record< string, z.ZodMiniType >,
	load: ( name: string ) => unknown
): void {
	it( 'has a schema for every fixture and a fixture for every schema', () => {
		const files = readdirSync( dir )
			.filter( ( f ) => f.endsWith( '.json' ) )
			.sort();
		expect( files ).toEqual( Object.keys( schemas ).sort() );
	} );

	it.each( Object.entries( schemas ) )(
		'%s matches the contract exactly',
		( name, schema ) => {
			const raw = load( name );
			const result = schema.safeParse( raw );
			if ( ! result.success ) {
				throw new Error( `${ name }: ${ result.error.message }` );
			}
			expect( result.data ).toEqual( raw );
		}
	);
}
