/**
 * A screen whose code is a chunk of its own (webpack splits at `import()`), fetched from
 * plugin/build/ the first time the screen is shown: a spinner while it loads, and an error notice
 * with "Try again" when it cannot be fetched. Rarely used tabs load this way, so admin.js stays
 * small.
 */
import type { ComponentType } from 'react';
import { __ } from '@wordpress/i18n';

import { useRequest } from '../hooks/use-request';
import { LoadState } from './load-state';

/**
 * @param load Imports the screen's module and returns the screen.
 * @return The screen, loaded on first render.
 */
export function lazyScreen< P extends object >(
	load: () => Promise< ComponentType< P > >
): ComponentType< P > {
	let loaded: ComponentType< P > | null = null;
	const loadOnce = async () => ( loaded ??= await load() );
	function Loading( props: P ) {
		const { state: req, reload } = useRequest( loadOnce, [] );
		const Screen = req.data;
		return Screen ? (
			<Screen { ...props } />
		) : (
			<LoadState
				req={ req }
				reload={ reload }
				errorTitle={ __( 'Could not load this tab.', 'keycrm-sync' ) }
				loadingLabel={ __( 'Loading…', 'keycrm-sync' ) }
			/>
		);
	}
	return function LazyScreen( props: P ) {
		const Screen = loaded ?? Loading;
		return <Screen { ...props } />;
	};
}
