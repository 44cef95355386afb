// Columns of `kubectl get opengaussclusters`. The default view prints exactly 2.0's README header,
// NAME ROLE CPU MEMORY READ PORT WRITE PORT DB PORT STATE AGE; Primary and Image appear only with
// -o wide (priority 1). 2.0's "DB Passwd" column is gone: it printed the password.
export type PrinterColumn = {
  readonly name: string;
  readonly type: 'string' | 'integer' | 'date';
  readonly jsonPath: string;
  readonly description: string;
  readonly priority?: number;
};

export const printerColumns: readonly PrinterColumn[] = [
  { name: 'Role', type: 'string', jsonPath: '.spec.localrole', description: 'Role of the cluster in an intracity pair.' },
  { name: 'CPU', type: 'string', jsonPath: '.spec.cpu', description: 'CPU limit of the og container.' },
  { name: 'Memory', type: 'string', jsonPath: '.spec.memory', description: 'Memory limit of the og container.' },
  { name: 'Read Port', type: 'integer', jsonPath: '.spec.readport', description: 'NodePort of the read Service.' },
  { name: 'Write Port', type: 'integer', jsonPath: '.spec.writeport', description: 'NodePort of the write Service.' },
  { name: 'DB Port', type: 'integer', jsonPath: '.spec.dbport', description: 'Database port.' },
  { name: 'State', type: 'string', jsonPath: '.status.state', description: 'Cluster state.' },
  { name: 'Primary', type: 'string', jsonPath: '.status.primary', description: 'Pod IP of the primary.', priority: 1 },
  { name: 'Image', type: 'string', jsonPath: '.spec.image', description: 'openGauss image.', priority: 1 },
  { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp', description: 'Time since creation.' },
];
