/**
 * Problems: products whose SKU keyCRM cannot match (missing, duplicate, unusable).
 */
import { Card, CardBody } from '@wordpress/components';
import { useState } from '@wordpress/element';
import { __, _n, sprintf } from '@wordpress/i18n';

import type { Problem, ProblemsResponse } from '@keycrm-sync/contract';
import { getProblems } from '../api/client';
import { LoadState } from '../components/load-state';
import { ResultPagination } from '../components/pagination';
import { formatNumber } from '../format';
import { useRequest } from '../hooks/use-request';

/**
 * Plain-words name of a problem kind.
 *
 * @param kind Problem kind.
 */
export function problemLabel( kind: Problem[ 'kind' ] ): string {
	switch ( kind ) {
		case 'missing_sku':
			return __( 'No SKU', 'keycrm-sync' );
		case 'duplicate_sku':
			return __( 'Duplicate SKU', 'keycrm-sync' );
		case 'unusable_sku':
			return __( 'Unusable SKU', 'keycrm-sync' );
		case 'parent_stock':
			return __( 'Stock shared by variations', 'keycrm-sync' );
	}
}

/** The Problems tab. */
export function ProblemsScreen() {
	const [ page, setPage ] = useState( 1 );
	const { state: req, reload } = useRequest< ProblemsResponse >(
		( signal ) => getProblems( page, signal ),
		[ page ]
	);
	const data = req.data;
	return (
		<Card>
			<CardBody>
				<p className="description">
					{ __(
						'keyCRM matches products by SKU. These products are not synced until their SKU is fixed: open the product, correct the SKU and update it.',
						'keycrm-sync'
					) }
				</p>
				<LoadState
					req={ req }
					reload={ reload }
					errorTitle={ __(
						'Could not load the SKU problems.',
						'keycrm-sync'
					) }
					loadingLabel={ __(
						'Loading SKU problems…',
						'keycrm-sync'
					) }
				/>
				{ data && data.total === 0 && (
					<p>
						{ __(
							'No SKU problems: every product has a unique, usable SKU.',
							'keycrm-sync'
						) }
					</p>
				) }
				{ data && data.total > 0 && (
					<>
						<p>
							{ sprintf(
								/* translators: %s: number of problems. */
								_n(
									'%s problem',
									'%s problems',
									data.total,
									'keycrm-sync'
								),
								formatNumber( data.total )
							) }
						</p>
						<table className="widefat striped keycrm-sync-table">
							<caption className="screen-reader-text">
								{ __(
									'Products with SKU problems',
									'keycrm-sync'
								) }
							</caption>
							<thead>
								<tr>
									<th scope="col">
										{ __( 'Problem', 'keycrm-sync' ) }
									</th>
									<th scope="col">
										{ __( 'SKU', 'keycrm-sync' ) }
									</th>
									<th scope="col">
										{ __( 'Product', 'keycrm-sync' ) }
									</th>
									<th scope="col">
										{ __( 'Details', 'keycrm-sync' ) }
									</th>
								</tr>
							</thead>
							<tbody>
								{ data.problems.map( ( p ) => (
									<tr
										key={ `${ p.kind }-${ p.product_id }-${ p.sku }` }
									>
										<td>{ problemLabel( p.kind ) }</td>
										<td>
											{ p.sku === '' ? (
												'—'
											) : (
												<code>{ p.sku }</code>
											) }
										</td>
										<td>
											<a href={ p.edit_url }>
												{ p.product_name ||
													`#${ p.product_id }` }
											</a>
										</td>
										<td>{ p.detail }</td>
									</tr>
								) ) }
							</tbody>
						</table>
						<ResultPagination
							result={ data }
							onChange={ setPage }
						/>
					</>
				) }
			</CardBody>
		</Card>
	);
}
