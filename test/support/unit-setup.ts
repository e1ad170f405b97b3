/**
 * The unit project's setupFilesAfterEnv: every unit file runs with the network guard on.
 *
 * Node's core modules are shared by every test file a jest worker runs, and one worker serves every project, so
 * the guard goes on before each unit file and comes off after it (afterAll, which a setupFiles module could not
 * register): the sandbox and e2e files the worker runs next keep the real network functions.
 */
import { afterAll } from '@jest/globals';
import { installNetworkGuard } from './network-guard';

afterAll(installNetworkGuard());
