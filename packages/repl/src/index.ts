/** @mnemo/repl public API. */
export {};
