/**
 * Table of keyCRM SKUs the shop cannot take (unknown / unmanaged) or whose stock drifted.
 */
import { __, sprintf } from '@wordpress/i18n';

import type { RemoteSku } from '@keycrm-sync/contract';
import type { RemoteSkuList } from '../api/client';
import { RowActionButton } from '../components/row-action-button';
import { formatAgo, formatNumber } from '../format';

interface Props {
	list: RemoteSkuList;
	items: RemoteSku[];
	caption: string;
	/** SKU being re-queued (drift only). */
	requeueing?: string | null;
	/** Drift only: re-queue one SKU. */
	onRequeue?: ( sku: string ) => void;
}

function ProductCell( { item }: { item: RemoteSku } ) {
	if ( item.product_id === null ) {
		return <>—</>;
	}
	const label = sprintf(
		/* translators: %d: product ID. */
		__( 'Product #%d', 'keycrm-sync' ),
		item.product_id
	);
	return item.edit_url ? <a href={ item.edit_url }>{ label }</a> : label;
}

/**
 * @param props            Rows and how to show them.
 * @param props.list       Which list the rows are from.
 * @param props.items      Rows.
 * @param props.caption    Table caption (screen readers).
 * @param props.requeueing SKU being re-queued.
 * @param props.onRequeue  Re-queue callback (drift list).
 */
export function RemoteSkuTable( {
	list,
	items,
	caption,
	requeueing = null,
	onRequeue,
}: Props ) {
	const drift = list === 'drift';
	return (
		<table className="widefat striped keycrm-sync-table">
			<caption className="screen-reader-text">{ caption }</caption>
			<thead>
				<tr>
					<th scope="col">{ __( 'SKU', 'keycrm-sync' ) }</th>
					<th scope="col">
						{ list === 'unknown'
							? __( 'keyCRM offer', 'keycrm-sync' )
							: __( 'Product', 'keycrm-sync' ) }
					</th>
					<th scope="col">
						{ __( 'keyCRM in stock', 'keycrm-sync' ) }
					</th>
					<th scope="col">
						{ drift
							? __( 'Shop stock', 'keycrm-sync' )
							: __( 'keyCRM reserved', 'keycrm-sync' ) }
					</th>
					<th scope="col">{ __( 'Last seen', 'keycrm-sync' ) }</th>
					{ drift && (
						<th scope="col">{ __( 'Actions', 'keycrm-sync' ) }</th>
					) }
				</tr>
			</thead>
			<tbody>
				{ items.map( ( item ) => (
					<tr key={ item.sku }>
						<td>
							<code>{ item.sku }</code>
						</td>
						<td>
							{ list === 'unknown' ? (
								formatNumber( item.offer_id )
							) : (
								<ProductCell item={ item } />
							) }
						</td>
						<td>{ formatNumber( item.keycrm_in_stock ) }</td>
						<td>
							{ formatNumber(
								drift ? item.shop_stock : item.keycrm_in_reserve
							) }
						</td>
						<td>{ formatAgo( item.last_seen_at ) }</td>
						{ drift && onRequeue && (
							<td>
								<RowActionButton
									sku={ item.sku }
									busySku={ requeueing }
									onRun={ onRequeue }
									label={ __( 'Re-queue', 'keycrm-sync' ) }
									ariaLabel={ sprintf(
										/* translators: %s: SKU. */
										__( 'Re-queue %s', 'keycrm-sync' ),
										item.sku
									) }
								/>
							</td>
						) }
					</tr>
				) ) }
			</tbody>
		</table>
	);
}
