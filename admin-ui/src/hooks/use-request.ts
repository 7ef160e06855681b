/**
 * Loads data with a request function and keeps loading / error / data state.
 */
import { useCallback, useEffect, useRef, useState } from '@wordpress/element';

import { toApiError, type ApiError } from '../api/errors';

export type RequestState< T > =
	| { status: 'loading'; data: T | null; error: null }
	| { status: 'ready'; data: T; error: null }
	| { status: 'error'; data: T | null; error: ApiError };

export interface UseRequest< T > {
	state: RequestState< T >;
	/** Loads again (keeps the last data while loading). */
	reload: () => void;
	/** Replaces the data (e.g. with a PUT's response). */
	setData: ( data: T ) => void;
}

/**
 * Runs `load` now and whenever `deps` change; aborts the previous request.
 *
 * @param load Request function; receives an AbortSignal.
 * @param deps Values that trigger a new load.
 */
export function useRequest< T >(
	load: ( signal: AbortSignal ) => Promise< T >,
	deps: readonly unknown[]
): UseRequest< T > {
	const [ state, setState ] = useState< RequestState< T > >( {
		status: 'loading',
		data: null,
		error: null,
	} );
	const [ tick, setTick ] = useState( 0 );
	const loadRef = useRef( load );
	loadRef.current = load;

	useEffect( () => {
		const controller = new AbortController();
		setState( ( prev ) => ( {
			status: 'loading',
			data: prev.data,
			error: null,
		} ) );
		loadRef.current( controller.signal ).then(
			( data ) => {
				if ( ! controller.signal.aborted ) {
					setState( { status: 'ready', data, error: null } );
				}
			},
			( thrown: unknown ) => {
				if ( ! controller.signal.aborted ) {
					setState( ( prev ) => ( {
						status: 'error',
						data: prev.data,
						error: toApiError( thrown ),
					} ) );
				}
			}
		);
		return () => controller.abort();
		// eslint-disable-next-line react-hooks/exhaustive-deps
	}, [ ...deps, tick ] );

	const reload = useCallback( () => setTick( ( t ) => t + 1 ), [] );
	const setData = useCallback(
		( data: T ) => setState( { status: 'ready', data, error: null } ),
		[]
	);
	return { state, reload, setData };
}
