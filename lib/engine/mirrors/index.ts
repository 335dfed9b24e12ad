export { addMirror, updateMirror, removeMirror, listMirrors, listMirrorChecks, getMirrorRow, type MirrorInput, type MirrorPatch } from './manage-mirrors';
export { checkMirrors, type CheckReport } from './check-mirrors';
export { mirrorCheckConfig, type MirrorCheckConfig } from './mirror-config';
export { getSelectionStrategy, setSelectionStrategy } from './mirror-settings';
export { listRegionRanges, setRegionRanges, regionForAddress, REGION_RE } from './region-ranges';
export { SELECTION_STRATEGIES, selectMirrors, type SelectionStrategy } from './select-mirror';
export { versionLocations, type Location, type LocationsView } from './version-locations';
export { probeMirror, type ProbeResult } from './probe-mirror';
export type { MirrorView, MirrorCheckView } from './mirror-views';
