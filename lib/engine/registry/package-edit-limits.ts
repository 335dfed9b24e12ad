/** Bounds of what Update accepts (a module of its own, so the browser can use them without the engine). */
export const MAX_DESCRIPTION_CHARS = 2000;
export const MAX_HOMEPAGE_CHARS = 2000;
export const MAX_README_BYTES = 256 * 1024;
