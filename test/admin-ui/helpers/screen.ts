/**
 * Per-file set-up of an admin UI screen test: the msw server hooks, and a `screen` whose queries
 * run inside the last rendered container (Notice also announces its text in wp.a11y's live
 * regions outside it, which document-wide queries would find twice).
 *
 * `findBy…` and `waitFor` wait until their condition holds, bounded well inside jest's test
 * timeout: testing-library's default bound (1 s of real time) is a timing assert that a busy
 * machine can break, not a property of the screen.
 */
import {
	configure,
	render,
	within,
	type BoundFunctions,
	type queries,
	type RenderResult,
} from '@testing-library/react';
import type { ReactElement } from 'react';

import { setupMswServer } from './server';

type Screen = BoundFunctions< typeof queries >;

/** What setupScreenTest gives a test file. */
export interface ScreenTest {
	/** Queries bound to the container of the last `renderIn`. */
	screen: Screen;
	/** Render a React element and bind `screen` to its container. */
	renderIn: ( ui: ReactElement ) => RenderResult;
}

/** Registers the msw server hooks and returns a container-bound `screen` and its render. */
export function setupScreenTest(): ScreenTest {
	configure( { asyncUtilTimeout: 20_000 } );
	setupMswServer();
	let bound: Screen | undefined;
	const screen = new Proxy( {} as Screen, {
		get: ( _target, key: keyof Screen ) => {
			if ( ! bound ) {
				throw new Error( 'screen queried before renderIn()' );
			}
			return bound[ key ];
		},
	} );
	const renderIn = ( ui: ReactElement ): RenderResult => {
		const view = render( ui );
		bound = within( view.container );
		return view;
	};
	return { screen, renderIn };
}
