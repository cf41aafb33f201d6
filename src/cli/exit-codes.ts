/** The CLI's exit codes, in a module of their own so the dispatcher loads no command to know them. */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_ERROR = 2;
