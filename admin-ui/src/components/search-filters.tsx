/**
 * The search form above a list: a search field, "Search", and any further filters.
 */
import { Button, TextControl } from '@wordpress/components';
import { __ } from '@wordpress/i18n';
import type { ReactNode } from 'react';

interface Props {
	/** Label of the search field. */
	label: string;
	/** Text in the field. */
	draft: string;
	onDraftChange: ( value: string ) => void;
	/** Called with the trimmed text on submit (also when it did not change). */
	onSearch: ( search: string ) => void;
	/** Further filters or actions after the "Search" button. */
	children?: ReactNode;
}

/**
 * @param props               Field label, text, callbacks and further filters.
 * @param props.label
 * @param props.draft
 * @param props.onDraftChange
 * @param props.onSearch
 * @param props.children
 */
export function SearchFilters( {
	label,
	draft,
	onDraftChange,
	onSearch,
	children,
}: Props ) {
	return (
		<form
			className="keycrm-sync-filters"
			role="search"
			onSubmit={ ( e ) => {
				e.preventDefault();
				onSearch( draft.trim() );
			} }
		>
			<TextControl
				__next40pxDefaultSize
				__nextHasNoMarginBottom
				label={ label }
				value={ draft }
				onChange={ onDraftChange }
			/>
			<Button variant="secondary" type="submit">
				{ __( 'Search', 'keycrm-sync' ) }
			</Button>
			{ children }
		</form>
	);
}
