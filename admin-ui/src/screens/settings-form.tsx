/**
 * The settings form fields (controlled; the screen owns load/save).
 */
import {
	CheckboxControl,
	SelectControl,
	TextControl,
	ToggleControl,
} from '@wordpress/components';
import { __ } from '@wordpress/i18n';

import type { PublicSettings } from '@keycrm-sync/contract';

/** Editable form state: numbers as typed text, the API key as a separate draft. */
export interface SettingsDraft {
	api_key: string;
	warehouse_id: string;
	stock_source: PublicSettings[ 'stock_source' ];
	sync_stock: boolean;
	sync_prices: boolean;
	sync_product_data: boolean;
	create_products: boolean;
	rate_per_minute: string;
	keycrm_weight_unit: PublicSettings[ 'keycrm_weight_unit' ];
	keycrm_dimension_unit: PublicSettings[ 'keycrm_dimension_unit' ];
	retire_policy: PublicSettings[ 'retire_policy' ];
	stock_apply: PublicSettings[ 'stock_apply' ];
	pull_interval_minutes: string;
	max_attempts: string;
	untracked_stock: string;
	sync_statuses?: PublicSettings[ 'sync_statuses' ];
	create_external?: boolean;
}

/**
 * Form state from stored settings.
 *
 * @param s Settings from GET /settings.
 */
export function toDraft( s: PublicSettings ): SettingsDraft {
	return {
		...s,
		api_key: '',
		warehouse_id: s.warehouse_id === null ? '' : String( s.warehouse_id ),
		rate_per_minute: String( s.rate_per_minute ),
		pull_interval_minutes: String( s.pull_interval_minutes ),
		max_attempts: String( s.max_attempts ),
		untracked_stock:
			s.untracked_stock === null || s.untracked_stock === undefined
				? ''
				: String( s.untracked_stock ),
	};
}

type Status = NonNullable< PublicSettings[ 'sync_statuses' ] >[ number ];

/** The product statuses that can be created in keyCRM, with their WordPress names. */
function statusOptions(): Array< { value: Status; label: string } > {
	return [
		{ value: 'publish', label: __( 'Published', 'keycrm-sync' ) },
		{ value: 'private', label: __( 'Private', 'keycrm-sync' ) },
		{ value: 'pending', label: __( 'Pending review', 'keycrm-sync' ) },
		{ value: 'draft', label: __( 'Draft', 'keycrm-sync' ) },
		{ value: 'future', label: __( 'Scheduled', 'keycrm-sync' ) },
	];
}

/**
 * A status list with one status turned on or off.
 *
 * @param list   Current list.
 * @param status Status.
 * @param on     Whether it is on.
 */
function toggled( list: Status[], status: Status, on: boolean ): Status[] {
	const rest = list.filter( ( s ) => s !== status );
	return on ? [ ...rest, status ] : rest;
}

interface Props {
	draft: SettingsDraft;
	apiKeySet: boolean;
	onChange: ( patch: Partial< SettingsDraft > ) => void;
}

/**
 * @param props           Draft, whether a key is stored, and the change callback.
 * @param props.draft
 * @param props.apiKeySet
 * @param props.onChange
 */
export function SettingsFields( { draft, apiKeySet, onChange }: Props ) {
	const common = {
		__next40pxDefaultSize: true,
		__nextHasNoMarginBottom: true,
	} as const;
	return (
		<div className="keycrm-sync-settings-fields">
			<fieldset>
				<legend>{ __( 'keyCRM account', 'keycrm-sync' ) }</legend>
				<TextControl
					{ ...common }
					label={ __( 'keyCRM API key', 'keycrm-sync' ) }
					type="password"
					autoComplete="new-password"
					value={ draft.api_key }
					placeholder={ apiKeySet ? '••••••••••••••••' : '' }
					help={
						apiKeySet
							? __(
									'A key is stored (hidden). Type a new key to replace it; leave empty to keep it.',
									'keycrm-sync'
								)
							: __(
									'keyCRM → Settings → API: copy the key here. It is never shown again.',
									'keycrm-sync'
								)
					}
					onChange={ ( v ) => onChange( { api_key: v } ) }
				/>
				<TextControl
					{ ...common }
					label={ __( 'Warehouse ID', 'keycrm-sync' ) }
					type="number"
					min={ 1 }
					value={ draft.warehouse_id }
					help={ __(
						'The keyCRM warehouse whose stock this shop writes.',
						'keycrm-sync'
					) }
					onChange={ ( v ) => onChange( { warehouse_id: v } ) }
				/>
				<SelectControl
					{ ...common }
					label={ __( 'Weight unit in keyCRM', 'keycrm-sync' ) }
					value={ draft.keycrm_weight_unit }
					options={ [
						{ label: 'kg', value: 'kg' },
						{ label: 'g', value: 'g' },
					] }
					onChange={ ( v: string ) =>
						onChange( {
							keycrm_weight_unit: v === 'g' ? 'g' : 'kg',
						} )
					}
				/>
				<SelectControl
					{ ...common }
					label={ __( 'Dimension unit in keyCRM', 'keycrm-sync' ) }
					value={ draft.keycrm_dimension_unit }
					options={ [
						{ label: 'cm', value: 'cm' },
						{ label: 'mm', value: 'mm' },
						{ label: 'm', value: 'm' },
					] }
					onChange={ ( v: string ) =>
						onChange( {
							keycrm_dimension_unit:
								v === 'mm' || v === 'm' ? v : 'cm',
						} )
					}
				/>
			</fieldset>
			<fieldset>
				<legend>{ __( 'What to sync', 'keycrm-sync' ) }</legend>
				<SelectControl
					{ ...common }
					label={ __( 'Source of truth for stock', 'keycrm-sync' ) }
					value={ draft.stock_source }
					options={ [
						{
							label: __(
								'WooCommerce (shop → keyCRM)',
								'keycrm-sync'
							),
							value: 'woocommerce',
						},
						{
							label: __(
								'keyCRM (keyCRM → shop)',
								'keycrm-sync'
							),
							value: 'keycrm',
						},
					] }
					onChange={ ( v: string ) =>
						onChange( {
							stock_source:
								v === 'keycrm' ? 'keycrm' : 'woocommerce',
						} )
					}
				/>
				<ToggleControl
					__nextHasNoMarginBottom
					label={ __( 'Stock levels', 'keycrm-sync' ) }
					checked={ draft.sync_stock }
					onChange={ ( v ) => onChange( { sync_stock: v } ) }
				/>
				<ToggleControl
					__nextHasNoMarginBottom
					label={ __( 'Prices', 'keycrm-sync' ) }
					checked={ draft.sync_prices }
					onChange={ ( v ) => onChange( { sync_prices: v } ) }
				/>
				<ToggleControl
					__nextHasNoMarginBottom
					label={ __(
						'Product data (name, description, pictures)',
						'keycrm-sync'
					) }
					checked={ draft.sync_product_data }
					onChange={ ( v ) => onChange( { sync_product_data: v } ) }
				/>
				<ToggleControl
					__nextHasNoMarginBottom
					label={ __(
						'Create products missing in keyCRM',
						'keycrm-sync'
					) }
					checked={ draft.create_products }
					onChange={ ( v ) => onChange( { create_products: v } ) }
				/>
				<fieldset>
					<legend>
						{ __(
							'Create products with these statuses (keyCRM cannot delete products, so a draft created there stays)',
							'keycrm-sync'
						) }
					</legend>
					{ statusOptions().map( ( o ) => (
						<CheckboxControl
							__nextHasNoMarginBottom
							key={ o.value }
							label={ o.label }
							checked={ (
								draft.sync_statuses ?? [ 'publish' ]
							).includes( o.value ) }
							onChange={ ( on ) =>
								onChange( {
									sync_statuses: toggled(
										draft.sync_statuses ?? [ 'publish' ],
										o.value,
										on
									),
								} )
							}
						/>
					) ) }
				</fieldset>
				<ToggleControl
					__nextHasNoMarginBottom
					label={ __(
						'Create external/affiliate products',
						'keycrm-sync'
					) }
					checked={ draft.create_external ?? false }
					onChange={ ( v ) => onChange( { create_external: v } ) }
				/>
				<TextControl
					{ ...common }
					label={ __(
						'Stock sent for "In stock" items without a quantity',
						'keycrm-sync'
					) }
					help={ __(
						'For products that do not manage stock and are in stock or on backorder. Empty: none is sent (keyCRM keeps its own number).',
						'keycrm-sync'
					) }
					type="number"
					min={ 0 }
					value={ draft.untracked_stock }
					onChange={ ( v ) => onChange( { untracked_stock: v } ) }
				/>
				<SelectControl
					{ ...common }
					label={ __(
						'When a product leaves the shop',
						'keycrm-sync'
					) }
					value={ draft.retire_policy }
					options={ [
						{
							label: __(
								'Set its stock in keyCRM to 0',
								'keycrm-sync'
							),
							value: 'zero_stock',
						},
						{
							label: __(
								'Leave it in keyCRM unchanged',
								'keycrm-sync'
							),
							value: 'none',
						},
					] }
					onChange={ ( v: string ) =>
						onChange( {
							retire_policy: v === 'none' ? 'none' : 'zero_stock',
						} )
					}
				/>
			</fieldset>
			<fieldset>
				<legend>{ __( 'keyCRM → shop stock', 'keycrm-sync' ) }</legend>
				<SelectControl
					{ ...common }
					label={ __( 'Stock to apply', 'keycrm-sync' ) }
					value={ draft.stock_apply }
					options={ [
						{
							label: __(
								'Available (in stock minus reserved)',
								'keycrm-sync'
							),
							value: 'available',
						},
						{
							label: __( 'Total in stock', 'keycrm-sync' ),
							value: 'total',
						},
					] }
					onChange={ ( v: string ) =>
						onChange( {
							stock_apply: v === 'total' ? 'total' : 'available',
						} )
					}
				/>
				<TextControl
					{ ...common }
					label={ __(
						'Full stock pull every (minutes, 0 = off)',
						'keycrm-sync'
					) }
					type="number"
					min={ 0 }
					max={ 1440 }
					value={ draft.pull_interval_minutes }
					onChange={ ( v ) =>
						onChange( { pull_interval_minutes: v } )
					}
				/>
			</fieldset>
			<fieldset>
				<legend>{ __( 'Sender', 'keycrm-sync' ) }</legend>
				<TextControl
					{ ...common }
					label={ __(
						'Rate budget (keyCRM requests per minute, at most 60)',
						'keycrm-sync'
					) }
					type="number"
					min={ 1 }
					max={ 60 }
					value={ draft.rate_per_minute }
					onChange={ ( v ) => onChange( { rate_per_minute: v } ) }
				/>
				<TextControl
					{ ...common }
					label={ __(
						'Attempts before giving up on a SKU',
						'keycrm-sync'
					) }
					type="number"
					min={ 1 }
					max={ 100 }
					value={ draft.max_attempts }
					onChange={ ( v ) => onChange( { max_attempts: v } ) }
				/>
			</fieldset>
		</div>
	);
}
