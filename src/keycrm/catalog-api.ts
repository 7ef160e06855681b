/**
 * Client methods for products and categories.
 */
import { checkBody, checkCount, productId, type Caller } from './caller.js';
import { listQuery, type FilterValue, type ListParams } from './query.js';
import {
	Category,
	CategoryCreate,
	CategoryPage,
	KEYCRM_LIMITS,
	Product,
	ProductCreate,
	ProductImportBody,
	ProductPage,
	ProductUpdate,
	StatusTrue,
} from './schemas.js';

/** `GET /products` parameters. */
export interface ProductListQuery extends ListParams {
	filter?: {
		product_id?: FilterValue;
		category_id?: FilterValue;
		is_archived?: boolean;
	};
	include?: string | readonly string[];
}

/** `GET /products/categories` parameters. */
export interface CategoryListQuery extends ListParams {
	filter?: { category_id?: FilterValue; parent_id?: FilterValue };
}

/**
 * The product and category methods of a client.
 *
 * @param call The client's caller.
 */
export function catalogMethods( call: Caller ) {
	return {
		/**
		 * `GET /products`: one page of products.
		 *
		 * @param q Query: filters, include, page, limit.
		 */
		listProducts: async ( q: ProductListQuery = {} ) =>
			call.get(
				'/products',
				'/products',
				ProductPage,
				listQuery( 'GET /products', q )
			),

		/**
		 * `GET /products/{id}`; throws KeyCrmNotFoundError when missing.
		 *
		 * @param id      keyCRM product id.
		 * @param include Associations to include (e.g. `custom_fields`).
		 */
		getProduct: async (
			id: number,
			include?: string | readonly string[]
		) =>
			call.get(
				'/products/{id}',
				`/products/${ productId( id ) }`,
				Product,
				include === undefined
					? undefined
					: listQuery( 'GET /products/{id}', { include } )
			),

		/**
		 * `POST /products`: create one product without variants; returns it with its id. Never retried blindly.
		 *
		 * @param body Product fields (`name` required).
		 */
		createProduct: async ( body: ProductCreate ) =>
			call.send(
				'POST',
				'/products',
				'/products',
				'create',
				checkBody( 'POST /products', ProductCreate, body ),
				Product
			),

		/**
		 * `POST /products/import`: create 1..100 products; keyCRM returns no ids. Never retried blindly.
		 *
		 * @param products Products to create.
		 */
		importProducts: async (
			products: readonly ProductCreate[]
		): Promise< void > => {
			checkCount(
				'POST /products/import',
				products.length,
				KEYCRM_LIMITS.importProducts
			);
			const body = checkBody(
				'POST /products/import',
				ProductImportBody,
				{ products }
			);
			await call.send(
				'POST',
				'/products/import',
				'/products/import',
				'create',
				body,
				StatusTrue
			);
		},

		/**
		 * `PUT /products/{id}`: update one product; returns it.
		 *
		 * @param id   keyCRM product id.
		 * @param body Fields to change.
		 */
		updateProduct: async ( id: number, body: ProductUpdate ) =>
			call.send(
				'PUT',
				'/products/{id}',
				`/products/${ productId( id ) }`,
				'write',
				checkBody( 'PUT /products/{id}', ProductUpdate, body ),
				Product
			),

		/**
		 * `GET /products/categories`: one page of categories.
		 *
		 * @param q Query: filters, page, limit.
		 */
		listCategories: async ( q: CategoryListQuery = {} ) =>
			call.get(
				'/products/categories',
				'/products/categories',
				CategoryPage,
				listQuery( 'GET /products/categories', q )
			),

		/**
		 * `POST /products/categories`: create a category; returns it. Never retried blindly.
		 *
		 * @param body Name and optional parent id.
		 */
		createCategory: async ( body: CategoryCreate ) =>
			call.send(
				'POST',
				'/products/categories',
				'/products/categories',
				'create',
				checkBody( 'POST /products/categories', CategoryCreate, body ),
				Category
			),
	};
}
