import { createDirectory, listAllowedDirectories, listDirectory, tree } from "./directory-tools.js";
import { copyFile, deleteFile, getFileInfo, moveFile } from "./entry-tools.js";
import { readFile, readMultipleFiles } from "./read-tools.js";
import { searchFiles } from "./search-files.js";
import type { FileTool } from "./tool.js";
import { editFile, writeFile } from "./write-tools.js";

export const fileTools = [
  readFile,
  readMultipleFiles,
  writeFile,
  editFile,
  createDirectory,
  listDirectory,
  tree,
  moveFile,
  copyFile,
  deleteFile,
  searchFiles,
  getFileInfo,
  listAllowedDirectories,
] as unknown as FileTool[];
