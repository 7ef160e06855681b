/**
 * `POST /products` (a variable product) and `PUT /products/{id}` (product-level data).
 */
import { KeyCrmError } from '../../keycrm/errors.js';
import {
	ESTABLISHES,
	type CreateParentCall,
	type UpdateProductCall,
} from '../plan.js';
import { established, type ExecContext } from './context.js';
import { staleCategory } from './categories.js';

/**
 * The `createParent` call: records the new product's id (its variations
 * are created under it by a later plan).
 *
 * @param call The call.
 * @param ctx  Context.
 */
export async function performCreateParent(
	call: CreateParentCall,
	ctx: ExecContext
): Promise< void > {
	const product = await ctx.client
		.createProduct( call.body )
		.catch( ( error: unknown ) => {
			if (
				error instanceof KeyCrmError &&
				staleCategory( ctx, call.body.category_id, error.message )
			) {
				return null;
			}
			throw error;
		} );
	if ( product === null ) {
		return; // Its SKUs stay in hand: planned again once the category is found again.
	}
	ctx.state.parents.set( call.parentId, product.id );
	// The variable product's own row, when in hand.
	for ( const [ sku, d ] of call[ ESTABLISHES ] ?? [] ) {
		ctx.state.patch( sku, {
			productId: product.id,
			productHash: d.productHash,
			exists: 'yes',
		} );
	}
}

/**
 * The `updateProduct` call.
 *
 * @param call The call.
 * @param ctx  Context.
 */
export async function performUpdateProduct(
	call: UpdateProductCall,
	ctx: ExecContext
): Promise< void > {
	try {
		await ctx.client.updateProduct( call.productId, call.body );
	} catch ( error ) {
		if (
			error instanceof KeyCrmError &&
			staleCategory( ctx, call.body.category_id, error.message )
		) {
			return; // Its SKUs stay in hand: planned again once the category is found again.
		}
		throw error;
	}
	for ( const sku of [ call.sku, ...( call.also ?? [] ) ] ) {
		ctx.state.patch( sku, {
			productHash: established( call, sku, 'productHash' ),
			productId: call.productId,
		} );
	}
}
