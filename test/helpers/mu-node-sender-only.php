<?php
/**
 * Mu-plugin for tests of the Node sender on a real shop: the runner inside WordPress stays off,
 * so only the sender under test sends (it would otherwise send until the sender's first claim).
 *
 * @package KeyCrmSync\Tests
 */

define( 'KEYCRM_SYNC_IN_WORDPRESS', false );
