/**
 * Loads keyCRM's official OpenAPI document (`test/keycrm/openapi/openapi.yml`,
 * its source and date in the README.md next to it) and repairs, in memory, the
 * defects that README lists, recording each repair so a test can list them.
 * Validation itself is done by openapi-backend (ajv), not by hand.
 */
import path from 'node:path';
import { existsSync } from 'node:fs';

import SwaggerParser from '@apidevtools/swagger-parser';
import { OpenAPIBackend } from 'openapi-backend';

export const REPO_ROOT = path.resolve( __dirname, '../..' );
export const SPEC_PATH = path.resolve(
	REPO_ROOT,
	'test/keycrm/openapi/openapi.yml'
);

/** One in-memory change to the published document. */
export interface SpecRepair {
	where: string;
	what: string;
	why: string;
}

type Json = Record< string, unknown >;
const METHODS = [ 'get', 'put', 'post', 'delete', 'patch' ];
/** The part of the API the product uses (API-NOTES (g)2: valid once security is normalised). */
const IN_SCOPE = [ '/products', '/offers' ];
/** Response schemas whose numeric fields can be null live (API-NOTES (d)9). */
const RESPONSE_SCHEMAS = [
	'Product',
	'ProductWithIncludes',
	'ProductOffer',
	'Offer',
	'OfferStocks',
	'Warehouse',
	'Category',
];
/** String fields seen as null live (API-NOTES (d)9, DART-DATA, FLEXY). */
const NULLABLE_STRINGS = [ 'description', 'thumbnail_url', 'sku', 'barcode' ];

const asObj = ( v: unknown ): Json =>
	v !== null && typeof v === 'object' ? ( v as Json ) : {};

/**
 * Each operation of the in-scope paths, with its label.
 *
 * @param paths The document's `paths`.
 */
function operations( paths: Json ): [ string, Json ][] {
	return Object.entries( paths ).flatMap( ( [ p, item ] ) =>
		Object.entries( asObj( item ) )
			.filter( ( [ m ] ) => METHODS.includes( m ) )
			.map( ( [ m, op ] ): [ string, Json ] => [
				`${ m.toUpperCase() } ${ p }`,
				asObj( op ),
			] )
	);
}

/**
 * The JSON request-body schema of an operation (an empty object when none).
 *
 * @param op Operation.
 */
function bodySchema( op: Json ): Json {
	return asObj(
		asObj( asObj( asObj( op.requestBody ).content )[ 'application/json' ] )
			.schema
	);
}

/**
 * Walk a schema, converting `maximum` on arrays to `maxItems` (API-NOTES (g)3).
 *
 * @param schema  Schema.
 * @param where   Label.
 * @param repairs Repair log.
 */
function fixArrayMaximum(
	schema: unknown,
	where: string,
	repairs: SpecRepair[]
): void {
	const s = asObj( schema );
	if ( s.type === 'array' && typeof s.maximum === 'number' ) {
		s.maxItems = s.maximum;
		delete s.maximum;
		repairs.push( {
			where,
			what: `array "maximum: ${ String( s.maxItems ) }" → "maxItems"`,
			why: 'API-NOTES (g)3: batch limits written as maximum are enforced by no validator',
		} );
	}
	for ( const [ key, child ] of Object.entries( asObj( s.properties ) ) ) {
		fixArrayMaximum( child, `${ where }.${ key }`, repairs );
	}
	if ( s.items ) {
		fixArrayMaximum( s.items, `${ where }[]`, repairs );
	}
}

/**
 * Repair the in-scope subset of the document in place; returns the log.
 *
 * @param doc Parsed document (not dereferenced).
 */
export function repairSpec( doc: Json ): SpecRepair[] {
	const repairs: SpecRepair[] = [];
	const all = asObj( doc.paths );
	const dropped = Object.keys( all ).filter(
		( p ) => ! IN_SCOPE.some( ( s ) => p.startsWith( s ) )
	);
	doc.paths = Object.fromEntries(
		Object.entries( all ).filter( ( [ p ] ) => ! dropped.includes( p ) )
	);
	repairs.push( {
		where: 'paths',
		what: `kept /products* and /offers*, dropped ${ dropped.length } other paths`,
		why: 'API-NOTES (g)1-2: other paths carry further errors; out of scope',
	} );
	for ( const [ label, op ] of operations( asObj( doc.paths ) ) ) {
		if ( Array.isArray( op.security ) ) {
			op.security = op.security.map( ( req ) =>
				Object.fromEntries(
					Object.keys( asObj( req ) ).map( ( k ) => [ k, [] ] )
				)
			);
			repairs.push( {
				where: label,
				what: 'security {bearerAuth: {}} → {bearerAuth: []}',
				why: 'API-NOTES (g)1: a security requirement value must be an array',
			} );
		}
		fixArrayMaximum( bodySchema( op ), `${ label } body`, repairs );
	}
	const offersBody = bodySchema(
		asObj(
			asObj( asObj( doc.paths )[ '/products/{productId}/offers' ] ).post
		)
	);
	if ( JSON.stringify( offersBody.required ) === '["name"]' ) {
		offersBody.required = [ 'offers' ];
		repairs.push( {
			where: 'POST /products/{productId}/offers body',
			what: 'required [name] → [offers]',
			why: "API-NOTES (g)4: copied from product creation; keyCRM's own plugin sends only {offers}",
		} );
	}
	const categoryBody = bodySchema(
		asObj( asObj( asObj( doc.paths )[ '/products/categories' ] ).post )
	);
	if ( JSON.stringify( categoryBody.required ) === '["full_name"]' ) {
		categoryBody.required = [ 'name' ];
		repairs.push( {
			where: 'POST /products/categories body',
			what: 'required [full_name] → [name]',
			why: 'API-NOTES (a)12: spec typo; clients send name',
		} );
	}
	repairs.push(
		...repairResponses( asObj( asObj( doc.components ).schemas ) )
	);
	return repairs;
}

/**
 * Make live-nullable response fields nullable, and the paginator's page URLs.
 *
 * @param schemas `components.schemas`.
 */
function repairResponses( schemas: Json ): SpecRepair[] {
	const repairs: SpecRepair[] = [];
	for ( const name of RESPONSE_SCHEMAS ) {
		for ( const [ key, prop ] of Object.entries(
			asObj( asObj( schemas[ name ] ).properties )
		) ) {
			const p = asObj( prop );
			const numeric =
				( p.type === 'number' || p.type === 'integer' ) &&
				key !== 'id' &&
				key !== 'product_id';
			if (
				( numeric ||
					( p.type === 'string' &&
						NULLABLE_STRINGS.includes( key ) ) ) &&
				p.nullable !== true
			) {
				p.nullable = true;
				repairs.push( {
					where: `${ name }.${ key }`,
					what: 'nullable: true',
					why: 'API-NOTES (d)9: live responses carry null here',
				} );
			}
		}
	}
	const page = asObj( asObj( schemas.PaginatedResponse ).properties );
	for ( const key of [ 'next_page_url' ] ) {
		asObj( page[ key ] ).nullable = true;
		repairs.push( {
			where: `PaginatedResponse.${ key }`,
			what: 'nullable: true',
			why: 'API-NOTES (b): Laravel paginator; null on the last page (live samples)',
		} );
	}
	return repairs;
}

/** The repaired document, its repair log, and a ready openapi-backend. */
export interface KeyCrmSpec {
	definition: Json;
	repairs: SpecRepair[];
	backend: OpenAPIBackend;
}

/**
 * Load, repair, validate (as OpenAPI 3.0) and initialise the validator.
 * Throws a clear error when the document is missing.
 */
export async function loadKeyCrmSpec(): Promise< KeyCrmSpec > {
	if ( ! existsSync( SPEC_PATH ) ) {
		throw new Error(
			`keyCRM OpenAPI document not found at ${ SPEC_PATH } (it is part of the repository: see test/keycrm/openapi/README.md)`
		);
	}
	const definition = ( await SwaggerParser.parse(
		SPEC_PATH
	) ) as unknown as Json;
	const repairs = repairSpec( definition );
	// Must now be valid OpenAPI 3.0 (validate() dereferences, so give it a copy).
	await SwaggerParser.validate( structuredClone( definition ) as never );
	const backend = new OpenAPIBackend( {
		definition: definition as never,
		apiRoot: '/v1',
		strict: false,
		quick: false,
		validate: true,
		ajvOpts: { allErrors: true },
	} );
	await backend.init();
	return { definition, repairs, backend };
}
