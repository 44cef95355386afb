// The in-cluster connection (running in a Pod): the API server from KUBERNETES_SERVICE_HOST and
// _PORT (main.ts reads the environment and passes them in), the CA and the ServiceAccount token
// from the projected volume. The token is a file path, not a value: it rotates (connection.ts
// re-reads it), and the CA is read once, as client-go does.
import { readFileSync } from 'node:fs';
import { isIPv6 } from 'node:net';
import { join } from 'node:path';
import { ErrorCodes, OperatorError } from '../errors.ts';
import type { ConnectionConfig } from './connection.ts';

export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

const source = 'in-cluster config';

export type InClusterEnv = { readonly host: string; readonly port: string | undefined };

export function inClusterConfig(env: InClusterEnv, dir = SERVICE_ACCOUNT_DIR): ConnectionConfig {
  if (env.port === undefined || env.port === '') {
    throw new OperatorError(ErrorCodes.KUBE_CONFIG, `${source}: KUBERNETES_SERVICE_PORT is not set; the kubelet sets it together with KUBERNETES_SERVICE_HOST`);
  }
  const caPath = join(dir, 'ca.crt');
  let ca: Buffer;
  try {
    ca = readFileSync(caPath);
  } catch (error) {
    throw new OperatorError(ErrorCodes.KUBE_CONFIG, `${source}: cannot read ${caPath}; mount the ServiceAccount token (automountServiceAccountToken)`, { cause: error });
  }
  const host = isIPv6(env.host) ? `[${env.host}]` : env.host;
  return { server: `https://${host}:${env.port}`, ca, tokenFile: join(dir, 'token'), source };
}
