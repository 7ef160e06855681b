/**
 * The per-SKU table of the Items screen.
 */
import { __, sprintf } from '@wordpress/i18n';

import type { Item } from '@keycrm-sync/contract';
import { RowActionButton } from '../components/row-action-button';
import { StateBadge } from '../components/state-badge';
import { formatDateTime, formatNumber } from '../format';

interface Props {
	items: Item[];
	retrying: string | null;
	onRetry: ( sku: string ) => void;
}

/**
 * @param props          Rows, the SKU being retried and the retry callback.
 * @param props.items
 * @param props.retrying
 * @param props.onRetry
 */
export function ItemsTable( { items, retrying, onRetry }: Props ) {
	return (
		<table className="widefat striped keycrm-sync-table">
			<caption className="screen-reader-text">
				{ __( 'SKUs and their sync state', 'keycrm-sync' ) }
			</caption>
			<thead>
				<tr>
					<th scope="col">{ __( 'SKU', 'keycrm-sync' ) }</th>
					<th scope="col">{ __( 'Product', 'keycrm-sync' ) }</th>
					<th scope="col">{ __( 'Type', 'keycrm-sync' ) }</th>
					<th scope="col">{ __( 'Shop stock', 'keycrm-sync' ) }</th>
					<th scope="col">{ __( 'Pushed stock', 'keycrm-sync' ) }</th>
					<th scope="col">{ __( 'keyCRM ids', 'keycrm-sync' ) }</th>
					<th scope="col">{ __( 'State', 'keycrm-sync' ) }</th>
					<th scope="col">{ __( 'Last sync', 'keycrm-sync' ) }</th>
					<th scope="col">{ __( 'Last error', 'keycrm-sync' ) }</th>
					<th scope="col">
						<span className="screen-reader-text">
							{ __( 'Actions', 'keycrm-sync' ) }
						</span>
					</th>
				</tr>
			</thead>
			<tbody>
				{ items.map( ( item ) => (
					<tr key={ item.sku }>
						<td>
							<code>{ item.sku }</code>
						</td>
						<td>
							{ item.edit_url ? (
								<a href={ item.edit_url }>
									{ item.product_name ??
										`#${ item.product_id ?? '' }` }
								</a>
							) : (
								( item.product_name ??
								__( '(deleted)', 'keycrm-sync' ) )
							) }
						</td>
						<td>{ item.type ?? '—' }</td>
						<td>{ formatNumber( item.shop_stock ) }</td>
						<td>{ formatNumber( item.pushed_stock ) }</td>
						<td>
							{ item.keycrm_product_id || item.keycrm_offer_id
								? sprintf(
										/* translators: 1: keyCRM product id, 2: keyCRM offer id. */
										__(
											'product %1$s / offer %2$s',
											'keycrm-sync'
										),
										String( item.keycrm_product_id ?? '—' ),
										String( item.keycrm_offer_id ?? '—' )
									)
								: '—' }
						</td>
						<td>
							<StateBadge state={ item.state } />
							{ item.dirty &&
								( item.state === 'synced' ||
									item.state === 'skipped' ) && (
									<span className="keycrm-sync-dirty">
										{ ' ' }
										{ __(
											'(changed since)',
											'keycrm-sync'
										) }
									</span>
								) }
						</td>
						<td>{ formatDateTime( item.synced_at ) }</td>
						<td className="keycrm-sync-error">
							{ item.last_error ?? '' }
							{ item.last_error_code && (
								<small> ({ item.last_error_code })</small>
							) }
						</td>
						<td>
							{ ( item.state === 'failed' ||
								item.state === 'dead' ) && (
								<RowActionButton
									sku={ item.sku }
									busySku={ retrying }
									onRun={ onRetry }
									label={ __( 'Retry', 'keycrm-sync' ) }
									ariaLabel={ sprintf(
										/* translators: %s: SKU. */
										__( 'Retry %s', 'keycrm-sync' ),
										item.sku
									) }
								/>
							) }
						</td>
					</tr>
				) ) }
			</tbody>
		</table>
	);
}
