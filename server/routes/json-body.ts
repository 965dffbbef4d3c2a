import {bodyParser} from '@koa/bodyparser';
import type Koa from 'koa';

/**
 * Parses a JSON body of at most 32 KB, for the routes that read one (ticket redemption, the admin
 * API's writes). Only there: every other route leaves the body unread, so a malformed or corrupt
 * compressed body cannot fail a request that never needed it.
 */
export const readJsonBody: Koa.Middleware = bodyParser({enableTypes: ['json'], jsonLimit: '32kb', encoding: 'utf-8'}) as Koa.Middleware;
