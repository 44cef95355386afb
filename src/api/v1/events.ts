// Event reasons (events.k8s.io/v1 `reason`). 2.0's reasons are kept where the meaning is the same,
// so existing alerts keep matching; new ones follow the -ing / past-tense convention.
export const EventReason = {
  // Lifecycle (2.0)
  Creating: 'Creating',
  Updating: 'Updating',
  /** Spelled as 2.0 spells it, so that alerts matching it keep working. */
  Recovering: 'Recorvering',
  /** Lower case, as 2.0 emits it. */
  Restoring: 'restoring',
  Ready: 'Ready',
  MaintainStart: 'MaintainStart',
  MaintainComplete: 'MaintainComplete',
  ValidateFail: 'ValidateFail',
  ValidateFix: 'ValidateFix',
  Failed: 'Failed',
  // Roles (2.0)
  SetPrimary: 'SetPrimary',
  SetStandby: 'SetStandby',
  SwitchPrimary: 'SwitchPrimary',
  // Instances (2.0)
  ConfigDBFail: 'ConfigDBFail',
  RestoreFail: 'RestoreFail',
  PodBuildFail: 'PodBuildFail',
  PodBuildComplete: 'PodBuildComplete',
  FixStandbyFail: 'FixStandbyFail',
  DeleteInstance: 'DeleteInstance',
  UpgradeInstance: 'UpgradeInstance',
  // Guards (2.0)
  SetMostAvailable: 'SetMostAvailable',
  SetDefaultTransaction: 'SetDefaultTransaction',
  StartPodFail: 'StartPodFail',
  // HA operations (new)
  FailingOver: 'FailingOver',
  FailedOver: 'FailedOver',
  SwitchingOver: 'SwitchingOver',
  SwitchedOver: 'SwitchedOver',
  Rebuilding: 'Rebuilding',
  Rebuilt: 'Rebuilt',
} as const;
export type EventReason = (typeof EventReason)[keyof typeof EventReason];
