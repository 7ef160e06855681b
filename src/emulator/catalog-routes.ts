/**
 * Emulator routes for products and categories.
 */
import {
	CategoryCreate,
	OfferCreateBody,
	ProductCreate,
	ProductImportBody,
	ProductUpdate,
} from '../keycrm/schemas.js';
import { HttpError } from './http-error.js';
import { paginate } from './paging.js';
import {
	boolFilter,
	idList,
	statusTrue,
	type Route,
	type RouteContext,
} from './route-types.js';
import { rejectChosenSkus, validateBody } from './validate.js';
import { productView } from './views.js';

/**
 * The product a path addresses, or 404 (Laravel's model-not-found body).
 *
 * @param ctx Route context.
 */
function productOr404( ctx: RouteContext ) {
	const id = ctx.params.id ?? 0;
	const product = ctx.store.products.get( id );
	if ( ! product ) {
		throw HttpError.notFound(
			`No query results for model [Product] ${ id }`
		);
	}
	return product;
}

/**
 * Whether `include` names `custom_fields` (the spec form; live also accepts camelCase, API-NOTES (d)16).
 *
 * @param query Request query.
 */
function wantsCustomFields( query: URLSearchParams ): boolean {
	const include = ( query.get( 'include' ) ?? '' ).split( ',' );
	return (
		include.includes( 'custom_fields' ) ||
		include.includes( 'customFields' )
	);
}

export const catalogRoutes: Route[] = [
	{
		method: 'GET',
		template: '/products',
		handle( ctx ) {
			const ids = idList( ctx.query.get( 'filter[product_id]' ) );
			const cats = idList( ctx.query.get( 'filter[category_id]' ) );
			const archived = boolFilter(
				ctx.query.get( 'filter[is_archived]' )
			);
			const all = ctx.store.productList();
			const items =
				! ids && ! cats && archived === undefined
					? all
					: all.filter(
							( p ) =>
								( ! ids || ids.has( p.id ) ) &&
								( ! cats ||
									( p.category_id !== null &&
										cats.has( p.category_id ) ) ) &&
								( archived === undefined ||
									p.is_archived === archived )
						);
			const cf = wantsCustomFields( ctx.query );
			return {
				status: 200,
				body: paginate(
					items,
					ctx.query,
					`${ ctx.apiUrl }/products`,
					( p ) => productView( ctx.store, p, cf )
				),
			};
		},
	},
	{
		method: 'GET',
		template: '/products/{id}',
		handle: ( ctx ) => ( {
			status: 200,
			body: productView(
				ctx.store,
				productOr404( ctx ),
				wantsCustomFields( ctx.query )
			),
		} ),
	},
	{
		method: 'POST',
		template: '/products',
		handle( ctx ) {
			const body = validateBody( ProductCreate, ctx.body );
			rejectChosenSkus( 'products', [ body ], ctx.rejectSkus );
			checkCategory( ctx, body.category_id, 'category_id' );
			return {
				status: 201,
				body: productView( ctx.store, ctx.store.createProduct( body ) ),
			};
		},
	},
	{
		method: 'POST',
		template: '/products/import',
		handle( ctx ) {
			const body = validateBody( ProductImportBody, ctx.body );
			rejectChosenSkus( 'products', body.products, ctx.rejectSkus );
			body.products.forEach( ( p, i ) =>
				checkCategory(
					ctx,
					p.category_id,
					`products.${ i }.category_id`
				)
			);
			body.products.forEach( ( p ) => ctx.store.createProduct( p ) );
			return statusTrue( 201 );
		},
	},
	{
		method: 'PUT',
		template: '/products/{id}',
		handle( ctx ) {
			const product = productOr404( ctx );
			const body = validateBody( ProductUpdate, ctx.body );
			checkCategory( ctx, body.category_id, 'category_id' );
			ctx.store.updateProduct( product, body );
			return { status: 202, body: productView( ctx.store, product ) };
		},
	},
	{
		method: 'POST',
		template: '/products/{id}/offers',
		handle( ctx ) {
			const product = productOr404( ctx );
			const body = validateBody( OfferCreateBody, ctx.body );
			rejectChosenSkus( 'offers', body.offers, ctx.rejectSkus );
			ctx.store.addOffers( product, body.offers );
			return statusTrue( 201 );
		},
	},
	{
		method: 'GET',
		template: '/products/categories',
		handle( ctx ) {
			const ids = idList( ctx.query.get( 'filter[category_id]' ) );
			const parents = idList( ctx.query.get( 'filter[parent_id]' ) );
			const items = [ ...ctx.store.categories.values() ].filter(
				( c ) =>
					( ! ids || ids.has( c.id ) ) &&
					( ! parents ||
						( c.parent_id !== null && parents.has( c.parent_id ) ) )
			);
			return {
				status: 200,
				body: paginate(
					items,
					ctx.query,
					`${ ctx.apiUrl }/products/categories`,
					( c ) => ( { ...c } )
				),
			};
		},
	},
	{
		method: 'POST',
		template: '/products/categories',
		handle( ctx ) {
			const body = validateBody( CategoryCreate, ctx.body );
			if (
				body.parent_id !== undefined &&
				body.parent_id !== null &&
				! ctx.store.categories.has( body.parent_id )
			) {
				throw HttpError.validation( {
					parent_id: [ 'The selected parent id is invalid.' ],
				} );
			}
			return {
				status: 201,
				body: { ...ctx.store.createCategory( body ) },
			};
		},
	},
];

/**
 * 422 when a category id does not exist.
 *
 * @param ctx   Route context.
 * @param id    Category id (undefined: not given).
 * @param field Error key.
 */
function checkCategory(
	ctx: RouteContext,
	id: number | undefined,
	field: string
): void {
	if ( id !== undefined && ! ctx.store.categories.has( id ) ) {
		throw HttpError.validation( {
			[ field ]: [ `The selected ${ field } is invalid.` ],
		} );
	}
}
