// PVC status bodies (merge patches) for the three moments of an online expansion, as the
// external resizer and the kubelet write them (KEP-1790 allocatedResourceStatuses).
export function expansionStarted(capacity: string, now: string): object {
  return {
    status: {
      allocatedResources: { storage: capacity },
      allocatedResourceStatuses: { storage: 'ControllerResizeInProgress' },
      conditions: [{ type: 'Resizing', status: 'True', lastProbeTime: null, lastTransitionTime: now }],
    },
  };
}

export function expansionFsPending(capacity: string, now: string): object {
  return {
    status: {
      allocatedResources: { storage: capacity },
      allocatedResourceStatuses: { storage: 'NodeResizePending' },
      conditions: [{ type: 'FileSystemResizePending', status: 'True', lastProbeTime: null, lastTransitionTime: now,
        message: 'Waiting for user to (re-)start a pod to finish file system resize of volume on node.' }],
    },
  };
}

export function expansionDone(capacity: string): object {
  return { status: { capacity: { storage: capacity }, allocatedResources: { storage: capacity }, allocatedResourceStatuses: null, conditions: null } };
}
