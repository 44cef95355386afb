// The namespace-wide ConfigMaps named by spec.scriptconfig and spec.filebeatconfig. The reconciler
// creates them only when missing and never overwrites them (users edit them, as 2.0's docs say);
// they have no owner because several clusters share them. Unlike 2.0's defaults (weakness 28) they
// hard-code no database port and no Elasticsearch address: the job list starts empty (2.0 never
// ran its jobs anyway) and filebeat discards events until an output is configured.
import type { V1ConfigMap } from '@kubernetes/client-node';
import { APP_LABEL_VALUE, Label } from '../api/v1/index.ts';
import { OgPaths } from './paths.ts';

export const JOB_SCRIPT_KEYS = { og: 'scriptconfig-og.ini', sidecar: 'scriptconfig-sidecar.ini' } as const;
export const FILEBEAT_KEY = 'filebeat.opengauss.yml';

export type FilebeatOutput =
  | { readonly kind: 'discard' }
  | {
    readonly kind: 'elasticsearch';
    readonly hosts: readonly string[];
    readonly username?: string;
    /** Name of a sidecar environment variable holding the password (customizedenv sidecar_…). */
    readonly passwordEnv?: string;
  };

const sharedMeta = (name: string, namespace: string) => ({ name, namespace, labels: { [Label.App]: APP_LABEL_VALUE } });

const INI_HEADER = [
  '# Scheduled jobs, one per line: (<cron expression>) <script path> [arguments].',
  '# og-operator ships no default jobs; scripts from this ConfigMap are mounted at ' + OgPaths.jobScripts + '.',
  '',
].join('\n');

export function buildJobScriptConfigMap(name: string, namespace: string): V1ConfigMap {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: sharedMeta(name, namespace),
    data: { [JOB_SCRIPT_KEYS.og]: INI_HEADER, [JOB_SCRIPT_KEYS.sidecar]: INI_HEADER },
  };
}

const q = (text: string): string => JSON.stringify(text);
const MULTILINE = String.raw`^\[?[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}:[0-9]{2}`;

// 2.0's three inputs and their index names (filebeat-opengauss-<logtype>-YYYY.MM).
const inputs: readonly (readonly [string, string])[] = [
  ['syslog', `${OgPaths.gausslog}/pg_log/*.log`],
  ['omlog', `${OgPaths.gausslog}/bin/*/*.log`],
  ['auditlog', `${OgPaths.logMount}/*audit.log`],
];

function renderInputs(): string[] {
  return inputs.flatMap(([logtype, path]) => [
    '  - type: log',
    `    paths: [${q(path)}]`,
    `    fields: {podIp: ${q('${MY_POD_IP}')}, clusterName: ${q('${CR_NAME}')}, logtype: ${q(logtype)}}`,
    `    multiline.pattern: ${q(MULTILINE)}`,
    '    multiline.negate: true',
    '    multiline.match: after',
  ]);
}

function renderOutput(output: FilebeatOutput): string[] {
  if (output.kind === 'discard') return ['output.discard:', '  enabled: true'];
  return [
    'setup.ilm.enabled: false',
    `setup.template.name: ${q('filebeat-opengauss')}`,
    `setup.template.pattern: ${q('filebeat-opengauss-*')}`,
    'output.elasticsearch:',
    `  hosts: [${output.hosts.map(q).join(', ')}]`,
    ...(output.username === undefined ? [] : [`  username: ${q(output.username)}`]),
    ...(output.passwordEnv === undefined ? [] : [`  password: ${q(`\${${output.passwordEnv}}`)}`]),
    `  index: ${q('filebeat-opengauss-%{[fields.logtype]}-%{+yyyy.MM}')}`,
  ];
}

/** `filebeat.opengauss.yml`, read by the sidecar's filebeat. */
export function renderFilebeatConfig(output: FilebeatOutput): string {
  return [
    '# Filebeat inputs of the openGauss sidecar. Created by og-operator when missing, never overwritten.',
    'filebeat.inputs:',
    ...renderInputs(),
    ...renderOutput(output),
    '',
  ].join('\n');
}

export function buildFilebeatConfigMap(name: string, namespace: string, output: FilebeatOutput = { kind: 'discard' }): V1ConfigMap {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: sharedMeta(name, namespace),
    data: { [FILEBEAT_KEY]: renderFilebeatConfig(output) },
  };
}
