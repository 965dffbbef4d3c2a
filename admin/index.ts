/**
 * Entry of the admin console served at /admin: importing it defines `<wecom-sp-admin>` and the
 * elements it is made of.
 * @module
 */
export {WecomSpAdminElement} from './wecom-sp-admin.ts';
