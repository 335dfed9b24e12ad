export { encryptedFileName, hubEntries, hubEtag, LFS_MIN_BYTES, lfsPointer, type HubEntry, type HubLfs } from './hub-entries';
export { commitOf, DEFAULT_HF_NAMESPACE, entryNotFound, hubErrorName, hubNamespace, hubRepoFor, resolveHubRevision, type HubErrorName, type HubRepo, type HubRevision } from './hub-repo';
export { checkHubPath, findHubEntry, modelInfoView, pathsInfoView, treeView, type HubModelInfo, type HubTreeEntry } from './hub-views';
export { openHubFile } from './open-hub-file';
export { recordHubDownload } from './record-hub-download';
export { hubPage, TREE_PAGE_SIZE, type HubPage } from './hub-page';
