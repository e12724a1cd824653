/** @mnemo/query public API. */
export {};
