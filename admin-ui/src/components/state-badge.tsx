/**
 * A per-SKU state shown as text (never colour alone).
 */
import { __ } from '@wordpress/i18n';

import type { ItemState } from '@keycrm-sync/contract';

/**
 * Translated label of each state.
 * @param state
 */
export function stateLabel( state: ItemState ): string {
	switch ( state ) {
		case 'pending':
			return __( 'Pending', 'keycrm-sync' );
		case 'synced':
			return __( 'Synced', 'keycrm-sync' );
		case 'failed':
			return __( 'Failed', 'keycrm-sync' );
		case 'dead':
			return __( 'Gave up', 'keycrm-sync' );
		case 'skipped':
			return __( 'Skipped', 'keycrm-sync' );
	}
}

/**
 * @param props       The state.
 * @param props.state Per-SKU state.
 */
export function StateBadge( { state }: { state: ItemState } ) {
	return (
		<span className={ `keycrm-sync-state keycrm-sync-state--${ state }` }>
			{ stateLabel( state ) }
		</span>
	);
}
