import {createLegacyProtocol} from './legacy-protocol.ts';
import type {LoginProtocols} from './login-flow.ts';
import {createServiceAppProtocol, type ServiceAppDeps} from './service-app-protocol.ts';
import {createWecomClientProtocol} from './wecom-client-protocol.ts';

/** What the protocols are built with: one WeCom client and token caches, and WeCom's page hosts. */
export interface ProtocolDeps extends ServiceAppDeps {
  /** WECOM_SSO_BASE: `https://open.work.weixin.qq.com` in production. */
  wecomSsoBase: string;
  /** WECOM_OAUTH_BASE: `https://open.weixin.qq.com` in production. */
  wecomOauthBase: string;
}

/** Every protocol of the catalogue, registered by name over the same WeCom client and token caches. */
export function createLoginProtocols(deps: ProtocolDeps): LoginProtocols {
  return {
    legacy: createLegacyProtocol(deps),
    'service-app': createServiceAppProtocol(deps),
    'wecom-client': createWecomClientProtocol(deps),
  };
}
